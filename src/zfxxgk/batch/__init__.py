"""Batches of many files: worker processes with per-file limits, progress, and resuming an interrupted run."""

from __future__ import annotations

from .faults import fault_problem, fault_report
from .pool import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Fault, Limits, Pool, cpu_count
from .progress import BatchProgress
from .resume import Done, file_sha256, read_done

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_SECONDS", "BatchProgress", "Done", "Fault", "Limits", "Pool", "cpu_count",
           "fault_problem", "fault_report", "file_sha256", "read_done"]
