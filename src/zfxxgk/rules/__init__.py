"""The rule engine: catalogue.toml says what each rule means, the modules here check it."""

from . import checks  # noqa: F401  (registers the check functions)
from .registry import Options, Rule, catalogue, render, run_checks

__all__ = ["Options", "Rule", "catalogue", "render", "run_checks"]
