"""Shared fixtures: the real corpus and one real index built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ingest  # noqa: F401  - offline environment before anything loads a model
from ingest.settings import PROJECT_ROOT, Settings

CORPUS = PROJECT_ROOT / "corpus"
PAPERS = sorted(p.name for p in CORPUS.glob("*.txt"))


def make_settings(data_dir: Path, **overrides) -> Settings:
    overrides.setdefault("corpus_dir", CORPUS)
    return Settings(data_dir=data_dir, _env_file=None, **overrides)


@pytest.fixture(scope="session")
def embedding_cache_dir(tmp_path_factory) -> Path:
    """A data dir whose embedding cache is warmed once, so each test's fresh index embeds nothing new."""
    path = tmp_path_factory.mktemp("warm")
    from ingest.pipeline import run_ingest

    run_ingest(make_settings(path))
    return path


@pytest.fixture(scope="session")
def indexed_settings(embedding_cache_dir: Path) -> Settings:
    """Settings pointing at a complete index of the real corpus (shared, read-only for tests)."""
    return make_settings(embedding_cache_dir)


@pytest.fixture
def fresh_data_dir(tmp_path: Path, embedding_cache_dir: Path) -> Path:
    """An empty data dir that already holds the warmed embedding cache (no index)."""
    shutil.copy(embedding_cache_dir / "embedding_cache.sqlite", tmp_path / "embedding_cache.sqlite")
    return tmp_path


@pytest.fixture(scope="session")
def assistant(indexed_settings: Settings):
    """One Assistant over the shared index, as the CLI and the UI build it."""
    from assistant.core import Assistant

    return Assistant(indexed_settings)
