"""Format versions as data: see formats.py for the declarations and model.py for their shape."""

from .formats import FORMAT_2019, FORMAT_2021, FORMATS, version_for_year
from .model import Column, ColumnKind, Format, Row, TableTemplate

__all__ = ["FORMATS", "FORMAT_2019", "FORMAT_2021", "Column", "ColumnKind", "Format", "Row", "TableTemplate",
           "version_for_year"]
