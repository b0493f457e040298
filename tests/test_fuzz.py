"""Fuzz (issue 14): mutated copies of every fixture form, each read under a time and memory limit.

At least 100 mutants of each form (txt, docx, xlsx, html, text PDF, scan PNG, report JSON) — byte
flips, truncations, splices, NULs and re-encodings, from a fixed seed — are checked one by one in two
resource-limited workers (RLIMIT_AS, a per-file alarm): no traceback, no "internal error", exit codes
0/1/2 only, every --json line valid. Then one folder run over all of them beside the seed reports
still reports every seed. OCR is switched off in the workers (a mutant that still decodes as an image
would spend seconds in recognition; the size and decoding checks are what hostile images exercise).
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zfxxgk.pipeline import parse_file

from .conftest import FIXTURES, ROOT, SEEDS
from .hostile_files import xlsx_bytes
from .office_helpers import seed_html

RANDOM_SEED = 14
MUTANTS_PER_FORM = 100
PER_FILE_SECONDS = 30
WORKER_MEMORY = 2 << 30  # address space per worker (no OCR in the workers)
WORKER = r"""
import json, resource, signal, sys, time
resource.setrlimit(resource.RLIMIT_AS, (%(memory)d, %(memory)d))
import zfxxgk.readers.ocr as ocr
ocr.available = lambda: False
from typer.testing import CliRunner
from zfxxgk.cli import app

class Hang(Exception):
    pass

def alarm(signum, frame):
    raise Hang()

signal.signal(signal.SIGALRM, alarm)
args = json.loads(sys.argv[1])
for path in args["files"]:
    start = time.perf_counter()
    signal.alarm(%(seconds)d)
    try:
        result = CliRunner().invoke(app, ["check", path, "--json", *args["extra"]])
        code, output, exc = result.exit_code, result.output, result.exception
    except Hang:
        code, output, exc = None, "", Hang()
    finally:
        signal.alarm(0)
    bad_json = 0
    for line in result.stdout.splitlines() if code is not None else []:
        try:
            json.loads(line)
        except ValueError:
            bad_json += 1
    print(json.dumps({"file": path, "code": code, "secs": time.perf_counter() - start, "bad_json": bad_json,
                      "exception": None if exc is None or isinstance(exc, SystemExit) else repr(exc),
                      "traceback": "Traceback" in output, "internal": "internal error" in output or "内部错误" in output,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "stdout": result.stdout if args["keep"] and code is not None else None}), flush=True)
"""


# ------------------------------------------------------------------ the fixture forms
def _forms() -> dict[str, bytes]:
    seed = next(iter(sorted(SEEDS.glob("001_*.txt"))))
    report = parse_file(seed)
    rows = [[c.text for c in row] for block in _tables(seed) for row in block] + [[""]]
    cells = {f"{chr(65 + c)}{r + 1}": text for r, row in enumerate(rows[:200]) for c, text in enumerate(row[:20]) if text}
    return {
        "txt": seed.read_bytes(),
        "docx": (FIXTURES / "real" / "template-2021-blank.docx").read_bytes(),
        "xlsx": xlsx_bytes(cells),
        "html": seed_html(seed).encode("utf-8"),
        "pdf": (FIXTURES / "real" / "huaian-city-2024.pdf").read_bytes(),
        "png": _scan_png(),
        "json": json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8"),
    }


def _tables(seed: Path) -> list[list[list[object]]]:
    from zfxxgk.document import Table
    from zfxxgk.readers import read_bytes

    return [b.rows for b in read_bytes(seed.read_bytes()).blocks if isinstance(b, Table)]


def _scan_png() -> bytes:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(FIXTURES / "real" / "huaian-city-2024.pdf"))
    image = pdf[2].render(scale=60 / 72).to_pil().convert("L")
    pdf.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# ------------------------------------------------------------------ mutations
def mutate(data: bytes, rng: random.Random, donors: list[bytes]) -> bytes:
    kind = rng.choice(("flip", "flip", "truncate", "splice", "nul", "reencode"))
    out = bytearray(data)
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8) if rng.random() < 0.5 else rng.randrange(1, 256)
    elif kind == "truncate":
        del out[rng.randrange(1, len(out)):]
    elif kind == "splice":
        donor = rng.choice(donors)
        start = rng.randrange(len(donor))
        piece = donor[start : start + rng.randint(1, 4096)]
        at = rng.randrange(len(out))
        out[at : at + rng.randint(0, len(piece))] = piece
    elif kind == "nul":
        at = rng.randrange(len(out))
        out[at:at] = b"\x00" * rng.randint(1, 64)
    else:
        text = bytes(out).decode("utf-8", errors="surrogateescape")
        codec = rng.choice(("gb18030", "utf-16", "utf-16-le", "big5", "latin-1", "utf-32"))
        out = bytearray(text.encode(codec, errors="replace"))
    return bytes(out)


def _run_workers(chunks: list[list[str]], extra: list[str], keep: bool = False) -> list[dict[str, object]]:
    code = WORKER % {"memory": WORKER_MEMORY, "seconds": PER_FILE_SECONDS}
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    procs = [subprocess.Popen([sys.executable, "-c", code, json.dumps({"files": c, "extra": extra, "keep": keep})], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in chunks]
    records = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode(errors="replace")[-3000:]
        records.extend(json.loads(line) for line in out.decode().splitlines())
    return records


@pytest.mark.slow
def test_fuzz_mutants_never_crash_and_a_folder_run_reports_every_seed(tmp_path: Path) -> None:
    rng = random.Random(RANDOM_SEED)
    forms = _forms()
    donors = list(forms.values())
    folder = tmp_path / "batch"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    files: list[str] = []
    for form, data in forms.items():
        for i in range(MUTANTS_PER_FORM):
            path = folder / f"mutant_{form}_{i:03d}.{form}"
            path.write_bytes(mutate(data, rng, donors))
            files.append(str(path))
    start = time.perf_counter()
    records = _run_workers([files[0::2], files[1::2]], [])
    elapsed = time.perf_counter() - start
    assert len(records) == len(files) == 7 * MUTANTS_PER_FORM
    failures = [r for r in records if r["code"] not in (0, 1, 2) or r["exception"] or r["traceback"] or r["internal"]
                or r["bad_json"]]
    assert failures == [], failures[:5]
    slowest = max(records, key=lambda r: r["secs"])  # type: ignore[arg-type, return-value]
    peak = max(float(r["peak_mb"]) for r in records)  # type: ignore[arg-type]
    print(f"\nfuzz: {len(records)} mutants in {elapsed:.0f} s; slowest {slowest['secs']:.1f} s ({slowest['file']}); "
          f"worker peak {peak:.0f} MB")

    (folder_run,) = _run_workers([[str(folder)]], [], keep=True)
    assert folder_run["code"] in (0, 1) and not folder_run["exception"] and not folder_run["internal"]
    seen = {Path(r["source"]).name: r for r in map(json.loads, str(folder_run["stdout"]).splitlines())}
    assert len(seen) == len(files) + len(list(SEEDS.glob("*.txt")))
    for seed in SEEDS.glob("*.txt"):
        assert seen[seed.name]["error"] is None and len(seen[seed.name]["cells"]) > 100, seed.name
