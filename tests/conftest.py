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


@pytest.fixture
def private_kb_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A knowledge-base cache directory of the test's own (`pytestmark` of the KB tests)."""
    monkeypatch.setenv("SANCTIONWATCH_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="module")
def kb():
    """The shipped knowledge base, loaded once per module."""
    from sanctionwatch.kb import load_kb

    return load_kb()
