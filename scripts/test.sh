#!/usr/bin/env bash
# Installs everything the whole test suite needs, then runs it.
# System packages (scripts/apt-packages.txt) need root or sudo; Python packages go into the
# current interpreter's environment (use a virtualenv if you prefer).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(grep -v '^\s*#' scripts/apt-packages.txt | xargs || true)
if [ -n "$packages" ]; then
  missing=$(for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  if [ -n "$missing" ]; then
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends $missing
  fi
fi

python -m pip install -q -e ".[all,test]"
# Every layer: no -m filter, so the slow, LibreOffice, OCR and browser tests all run (docs/testing.md).
# A missing tool or extra fails the tests that need it; with CI set it stops the run before any test.
python -m pytest "$@"
