"""Shared test fixtures: the spec's real reports live in ../shared beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

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
