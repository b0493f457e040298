"""Optional Python dependencies of the readers, imported only when a file needs them.

The core toolkit reads text without them; a Word, web or Excel file without its extra installed
gets a message naming the pip extra instead of an ImportError.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import ReadError

# module -> (pip package, zfxxgk extra)
EXTRAS: dict[str, tuple[str, str]] = {
    "docx": ("python-docx", "docx"),
    "selectolax": ("selectolax", "html"),
    "openpyxl": ("openpyxl", "xlsx"),
    "pypdfium2": ("pypdfium2", "pdf"),
    "pdfplumber": ("pdfplumber", "pdf"),
    "rapidocr": ("rapidocr onnxruntime", "ocr"),
    "onnxruntime": ("rapidocr onnxruntime", "ocr"),
    "cv2": ("opencv-python-headless", "ocr"),
    "PIL": ("pillow", "pdf"),
}


def require(module: str, kind: str) -> ModuleType:
    """Import an optional module or raise ReadError('missing_extra') saying what to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        package, extra = EXTRAS[module.split(".")[0]]
        raise ReadError("missing_extra", kind=kind, package=package, extra=extra) from exc
