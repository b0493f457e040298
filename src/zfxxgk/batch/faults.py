"""A file whose worker timed out, died or failed: an unreadable report saying why (a `read.*` problem)."""

from __future__ import annotations

from pathlib import Path

from ..report import Problem, Report
from ..sanitize import clean_path
from .pool import Fault
from .resume import file_sha256


def fault_problem(fault: Fault) -> Problem:
    """The read error (`read.*` message key) for a fault."""
    if fault.reason == "timeout":
        return Problem("timeout", {"seconds": fault.args["seconds"]})
    if fault.reason == "crashed":
        return Problem("crashed", {"how": fault.args.get("signal") or f"exit {fault.args.get('exit')}"})
    return Problem("worker_error", {"kind": fault.args.get("kind", ""), "reason": fault.args.get("reason", "")})


def fault_report(file: Path, fault: Fault, max_bytes: int) -> Report:
    """The report of a faulted file: its name, its sha256 (so --resume does not try it again) and the reason."""
    return Report(source=clean_path(file), sha256=file_sha256(file, max_bytes), error=fault_problem(fault))
