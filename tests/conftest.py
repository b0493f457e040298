"""Shared test fixtures, and the test layers (docs/testing.md).

The spec's real reports live in ../shared beside the checkout. Markers (pyproject.toml): slow,
libreoffice, ocr, browser, postgres; every libreoffice/ocr/browser test is also slow.

Nothing a test needs may turn into a skip:
- a missing fixture directory or Python package of the developer layer stops the session at start;
- a selected test whose system tool or extra is missing (LibreOffice, OCR, Chromium) fails at set-up
  with a message naming what to install, so `pytest -m "not slow"` still runs without them;
- with CI set (CI=true, as .ci/run does) every requirement is checked before any test runs, and a
  skipped test fails the run.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# This machine sets PYTHONDONTWRITEBYTECODE, so pytest would rewrite the asserts of every test module on every
# run (about 4 s of the developer layer, deselected slow modules included); let it keep the rewritten modules.
sys.dont_write_bytecode = False

# The report-store fixtures (db_url on SQLite and PostgreSQL, the throwaway PostgreSQL server).
pytest_plugins = ["tests.store_helpers", "tests.web_helpers"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
SEEDS = FIXTURES / "seeds"


def seed(number: str) -> Path:
    """The seed report whose file name starts with the given number ("000" … "004")."""
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    assert FIXTURES.is_dir(), f"fixtures not found at {FIXTURES}: ../shared must sit beside the checkout"
    return FIXTURES


def fixture_files(pattern: str, count: int | None = None) -> list[Path]:
    """The fixture files matching a glob under ../shared/fixtures, never an empty list.

    Use this for module-level parameter lists: a bare glob over a missing directory gives an
    empty list, and pytest turns an empty parametrize into a silent skip.
    """
    files = sorted(FIXTURES.glob(pattern))
    assert files, f"no fixture matches {FIXTURES / pattern}: ../shared/fixtures must sit beside the checkout"
    assert count is None or len(files) == count, f"{len(files)} files match {FIXTURES / pattern}, expected {count}"
    return files


# ---------------------------------------------------------------- what the tests need
APT = "apt-get install -y --no-install-recommends"
PIP_ALL = "pip install -e '.[all,test]'"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Must exist before any test runs (tests glob these at import time).
FIXTURE_PATTERNS = {"seeds/*.txt": 5, "real/huaian-city-2024.pdf": 1, "real/hongze-district-2023.pdf": 1,
                    "real/template-2021-blank.docx": 1}


@dataclass(frozen=True)
class Need:
    name: str
    check: Callable[[], bool]
    install: str

    @functools.cached_property
    def present(self) -> bool:
        return self.check()


def _module(name: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            return False

    return check


def _soffice() -> bool:
    from zfxxgk.readers.libreoffice import find_soffice

    return find_soffice() is not None


# Python packages the developer layer imports: `pip install -e '.[all,test]'` brings them all.
ALWAYS = tuple(Need(package, _module(module), PIP_ALL) for package, module in (
    ("python-docx", "docx"), ("openpyxl", "openpyxl"), ("selectolax", "selectolax"), ("pdfplumber", "pdfplumber"),
    ("pypdfium2", "pypdfium2"), ("pillow", "PIL"), ("pyarrow", "pyarrow"), ("pandas", "pandas"),
    ("hypothesis", "hypothesis"), ("jsonschema", "jsonschema"), ("fastapi", "fastapi"), ("uvicorn", "uvicorn"),
    ("argon2-cffi", "argon2"), ("python-multipart", "multipart"), ("httpx2", "httpx2"),
    ("schemathesis", "schemathesis")))
# What the tests of each marker need; checked when such a test is selected (and always in CI).
NEEDS: dict[str, tuple[Need, ...]] = {
    "libreoffice": (Need("LibreOffice (soffice)", _soffice, f"{APT} libreoffice-writer-nogui"),),
    "ocr": tuple(Need(package, _module(module), "pip install -e '.[ocr]'") for package, module in (
        ("rapidocr", "rapidocr"), ("onnxruntime", "onnxruntime"), ("opencv-python-headless", "cv2"),
        ("numpy", "numpy"))),
    "browser": (Need("chromium", lambda: Path(CHROMIUM).exists(), f"{APT} chromium"),
                Need("playwright (Python package)", _module("playwright.sync_api"), PIP_ALL)),
}
# Programs single tests call themselves (need_tool).
TOOLS = {name: Need(name, functools.partial(lambda n: shutil.which(n) is not None, name), f"{APT} poppler-utils")
         for name in ("pdftoppm", "pdftotext")}


def ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def need_tool(name: str) -> str:
    """The path of a program the calling test runs; the test fails (never skips) when it is missing."""
    need = TOOLS[name]
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{need.name} is not installed: {need.install}", pytrace=False)
    return path


def _missing_fixtures() -> list[str]:
    if not FIXTURES.is_dir():
        return [f"fixtures not found at {FIXTURES}: ../shared must sit beside the checkout"]
    out = []
    for pattern, count in FIXTURE_PATTERNS.items():
        found = len(list(FIXTURES.glob(pattern)))
        if found != count:
            out.append(f"{FIXTURES / pattern}: {found} file(s), expected {count}")
    if not (SHARED / "spec" / "rules.md").is_file():
        out.append(f"{SHARED / 'spec' / 'rules.md'} not found")
    return out


def _install_lines(needs: list[Need]) -> list[str]:
    return [f"  {need.name}: {need.install}" for need in needs]


def pytest_report_header(config: pytest.Config) -> list[str]:
    found = [f"{need.name}={'yes' if need.present else 'MISSING'}"
             for need in (*[n for needs in NEEDS.values() for n in needs], *TOOLS.values())]
    return [f"zfxxgk test requirements{' (CI: all required)' if ci() else ''}: " + ", ".join(found)]


def pytest_sessionstart(session: pytest.Session) -> None:
    problems = _missing_fixtures()
    missing = [need for need in ALWAYS if not need.present]
    if ci():
        missing += [need for needs in NEEDS.values() for need in needs if not need.present]
        missing += [need for need in TOOLS.values() if not need.present]
    if problems or missing:
        lines = [*problems]
        if missing:
            lines += ["missing, install before running the tests:", *_install_lines(missing)]
        raise pytest.UsageError("\n".join(lines))


@pytest.hookimpl(tryfirst=True)  # before -m deselects: libreoffice/ocr/browser tests are slow ones
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(m) for m in NEEDS) and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow)


def pytest_runtest_setup(item: pytest.Item) -> None:
    missing = [need for marker, needs in NEEDS.items() if item.get_closest_marker(marker)
               for need in needs if not need.present]
    if missing:
        pytest.fail("\n".join(["this test needs what is not installed (it is never skipped):",
                                *_install_lines(missing)]), pytrace=False)


_skipped: list[str] = []
# Tests not marked slow whose set-up and call took longer than this are listed at the end: mark them
# slow, so that `pytest -m "not slow"` stays under 20 s. Tear-down is left out (the last test of a run
# also tears down the session's fixtures). Wall-clock, so a busy machine lists more.
SLOW_SECONDS = 0.5
_unmarked_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if ci() and report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)
    if "slow" not in report.keywords and report.when != "teardown":
        _unmarked_seconds[report.nodeid] = _unmarked_seconds.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    over = sorted(((s, n) for n, s in _unmarked_seconds.items() if s > SLOW_SECONDS), reverse=True)
    if over:
        terminalreporter.section(f"not marked slow, but over {SLOW_SECONDS:g} s: mark them @pytest.mark.slow", yellow=True)
        for seconds, nodeid in over:
            terminalreporter.line(f"{seconds:6.2f}s {nodeid}")
    if _skipped:
        terminalreporter.section("skipped in CI (a failure: nothing may be skipped)", red=True)
        for nodeid in _skipped:
            terminalreporter.line(nodeid)


# ---------------------------------------------------------------- bounds instead of timings
@contextlib.contextmanager
def hang_guard(seconds: float = 120) -> Iterator[None]:
    """Fail when the block runs longer than `seconds`: a generous bound that catches hangs and
    super-linear work on megabytes of input, never a busy machine. Timings: bench/bench_bad_input.py.

    SIGALRM interrupts Python code and the regex engine alike; main thread only (as pytest runs tests).
    """
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"did not finish within {seconds:g} s: a hang or super-linear work")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
