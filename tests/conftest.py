"""Shared fixtures. Tests that read ../shared skip cleanly where it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from .postgres import db_url, postgres_server  # noqa: F401  fixtures: a real PostgreSQL server

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def analyzer():
    from sanctionwatch.analyze import default_analyzer

    return default_analyzer()
