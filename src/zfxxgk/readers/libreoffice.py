"""Word 97-2003 (.doc), WPS (.wps), RTF, OpenDocument and Word 2003 XML, via LibreOffice.

No Python library reads these formats faithfully (merged cells above all), so LibreOffice converts
them to .docx headless and the .docx reader does the rest. LibreOffice is optional: without it
these files get a message saying how to install it.

- One private LibreOffice profile per Python process (-env:UserInstallation), so processes can
  convert in parallel; calls inside one process take turns on it (a lock), as one profile
  cannot be shared by two running instances.
- Every call has a timeout; on expiry the whole process group is killed (soffice forks). So it is
  when the conversion is interrupted: SIGTERM/SIGHUP (`timeout 8 zfxxgk check big.rtf`) and Ctrl-C
  unwind the call, which kills the group and removes the temporary copy of the input and the profile.
- Many files convert in one call (`convert_files`, `read_many`): starting LibreOffice costs far
  more than converting a report.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from ..document import Document
from ..errors import ReadError
from .docx import read_docx

DEFAULT_TIMEOUT = float(os.environ.get("ZFXXGK_LIBREOFFICE_TIMEOUT", "120"))
# Per-file allowance added to the timeout of a batch.
PER_FILE_TIMEOUT = 10.0

# kind -> (suffix LibreOffice detects by, name for messages)
KINDS: dict[str, tuple[str, str]] = {
    "doc": (".doc", "Word 97-2003/WPS (.doc/.wps)"),
    "rtf": (".rtf", "RTF"),
    "odt": (".odt", "OpenDocument (.odt)"),
    "fodt": (".fodt", "OpenDocument (.fodt)"),
    "wordml": (".xml", "Word 2003 XML"),
}

_lock = threading.Lock()
_profile: tuple[int, Path] | None = None


def find_soffice() -> str | None:
    """The LibreOffice executable: $ZFXXGK_SOFFICE, else soffice/libreoffice on PATH."""
    explicit = os.environ.get("ZFXXGK_SOFFICE")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir() -> Path:
    """This process's LibreOffice profile (a fresh one after fork), removed at exit."""
    global _profile
    if _profile is None or _profile[0] != os.getpid():
        path = Path(tempfile.gettempdir()) / f"zfxxgk-lo-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        _profile = (os.getpid(), path)
        atexit.register(shutil.rmtree, path, True)
    return _profile[1]


def convert_files(paths: Sequence[Path], target: str, outdir: Path, *, timeout: float | None = None,
                  kind: str = "doc") -> list[Path | None]:
    """Convert files in one LibreOffice call; the output path for each input, None where none was made.

    `target` is a --convert-to argument ("docx", "doc", "rtf", "html", "docx:MS Word 2007 XML").
    Input stems must be distinct (outputs are named after them).
    """
    name = KINDS.get(kind, ("", kind))[1]
    exe = find_soffice()
    if exe is None:
        raise ReadError("no_libreoffice", kind=name)
    if timeout is None:
        timeout = DEFAULT_TIMEOUT + PER_FILE_TIMEOUT * max(len(paths) - 1, 0)
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [exe, f"-env:UserInstallation={_profile_dir().as_uri()}", "--headless", "--invisible", "--norestore",
           "--nologo", "--nodefault", "--nolockcheck", "--convert-to", target, "--outdir", str(outdir),
           *(str(p) for p in paths)]
    env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
    with _lock, unwind_on_signals():
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True, env=env)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(proc)
            raise ReadError("convert_timeout", kind=name, seconds=f"{timeout:g}") from exc
        except BaseException:  # interrupted (a signal, Ctrl-C): LibreOffice must not outlive us
            _kill_group(proc)
            raise
    ext = target.split(":", 1)[0]
    results: list[Path | None] = []
    for path in paths:
        out = outdir / f"{path.stem}.{ext}"
        results.append(out if out.exists() and out.stat().st_size > 0 else None)
    if proc.returncode != 0 and not any(results):
        reason = (err.decode("utf-8", "replace").strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
        raise ReadError("convert_failed", kind=name, reason=reason[:200])
    return results


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        proc.communicate(timeout=10)


_UNWIND_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextlib.contextmanager
def unwind_on_signals() -> Iterator[None]:
    """While converting, SIGTERM/SIGHUP raise SystemExit instead of ending the process on the spot,
    so `finally` blocks kill LibreOffice's process group and remove the temporary files, and atexit
    removes the profile. Only where the default action would have applied, and only in the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, object] = {}

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    for sig in _UNWIND_SIGNALS:
        if signal.getsignal(sig) == signal.SIG_DFL:
            previous[sig] = signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]


def read_many(items: Sequence[tuple[bytes, str]], *, timeout: float | None = None) -> list[Document | ReadError]:
    """Read many (data, kind) files with one LibreOffice call; a ReadError in place of each failure."""
    if not items:
        return []
    with unwind_on_signals(), tempfile.TemporaryDirectory(prefix="zfxxgk-conv-") as tmp:
        root = Path(tmp)
        inputs = []
        for i, (data, kind) in enumerate(items):
            path = root / f"in{i:05d}{KINDS.get(kind, ('.doc', ''))[0]}"
            path.write_bytes(data)
            inputs.append(path)
        outputs = convert_files(inputs, "docx:MS Word 2007 XML", root / "out", timeout=timeout,
                                kind=items[0][1] if len({k for _, k in items}) == 1 else "doc")
        results: list[Document | ReadError] = []
        for (_, kind), out in zip(items, outputs, strict=True):
            name = KINDS.get(kind, ("", kind))[1]
            if out is None:
                results.append(ReadError("convert_failed", kind=name, reason="LibreOffice produced no output"))
                continue
            try:
                doc = read_docx(out.read_bytes())
            except ReadError as exc:
                results.append(exc)
                continue
            doc.format = kind
            doc.meta["converted_by"] = "libreoffice"
            results.append(doc)
        return results


def read_converted(data: bytes, kind: str, *, timeout: float | None = None) -> Document:
    """Read one file LibreOffice can open, by converting it to .docx."""
    result = read_many([(data, kind)], timeout=timeout)[0]
    if isinstance(result, ReadError):
        raise result
    return result


def read_doc(data: bytes) -> Document:
    return read_converted(data, "doc")


def read_rtf(data: bytes) -> Document:
    return read_converted(data, "rtf")


def read_odt(data: bytes) -> Document:
    return read_converted(data, "odt")


def read_fodt(data: bytes) -> Document:
    return read_converted(data, "fodt")


def read_wordml(data: bytes) -> Document:
    return read_converted(data, "wordml")
