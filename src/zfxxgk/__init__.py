"""zfxxgk: read, check and generate China's government information disclosure annual reports."""

__version__ = "0.1.0"

from .pipeline import build_report, check_file, parse_bytes, parse_file
from .report import Cell, Finding, Report
from .rules import catalogue, run_checks

__all__ = ["Cell", "Finding", "Report", "__version__", "build_report", "catalogue", "check_file", "parse_bytes",
           "parse_file", "run_checks"]
