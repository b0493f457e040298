"""Imports every module that registers checks, so the catalogue finds them all."""

from . import applications, cellvalues, content, disclosure, structure, yoy

__all__ = ["applications", "cellvalues", "content", "disclosure", "structure", "yoy"]
