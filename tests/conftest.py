"""Shared fixtures: the real corpus, one real index built once per test session, a free port, the fake model
server and the running app. Tests use these fixtures; no test module imports another's helpers."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from core.offline import configure_offline
from core.settings import PROJECT_ROOT, Settings

CORPUS = PROJECT_ROOT / "corpus"

SettingsFactory = Callable[..., Settings]


def pytest_configure(config) -> None:
    configure_offline()  # before anything loads a model library, as rongzhi.main() does


def _make_settings(data_dir: Path, **groups: dict) -> Settings:
    """Settings on ``data_dir`` with some groups' fields replaced: ``make(d, ui={"port": 1})``; no .env read."""
    storage = {"corpus_dir": CORPUS, "data_dir": data_dir, **groups.pop("storage", {})}
    return Settings(_env_file=None, storage=storage, **groups)


@pytest.fixture(scope="session")
def make_settings() -> SettingsFactory:
    return _make_settings


SMALL_PAPERS = {
    "a_paper.md": "# 揭榜挂帅机制研究\n\n高新区通过揭榜挂帅机制组织企业攻克关键核心技术难题。{n}\n\n"
    "该机制按成果付费，激发了科研团队的创新活力。\n",
    "b_paper.md": "# 中试平台建设\n\n科技成果转化需要中试平台的支撑。{n}\n\n中试平台降低了企业承担的转化风险。\n",
}


@pytest.fixture(scope="session")
def small_corpus() -> Callable[..., Path]:
    """Writes two short papers under ``root/corpus`` (an index of them takes seconds, not the real corpus's
    minutes); ``version`` changes their text, so each ingest of a new version has something to do."""

    def write(root: Path, version: int = 0) -> Path:
        corpus = root / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for name, text in SMALL_PAPERS.items():
            (corpus / name).write_text(text.format(n=f"第{version}版。" if version else ""), encoding="utf-8")
        return corpus

    return write


@pytest.fixture(scope="session")
def assistant_over(tmp_path_factory) -> Callable[..., object]:
    """An Assistant over a fresh index of ``files`` (name → text); ``groups`` replace settings fields as in
    ``make_settings`` ("chunking={"tokens": 64}")."""

    def build(files: dict[str, str], **groups: dict):
        from assistant.core import Assistant
        from ingest.pipeline import run_ingest

        root = tmp_path_factory.mktemp("collection")
        corpus = root / "corpus"
        corpus.mkdir()
        for name, text in files.items():
            (corpus / name).write_text(text, encoding="utf-8")
        settings = _make_settings(root / "data", storage={"corpus_dir": corpus}, **groups)
        run_ingest(settings)
        return Assistant(settings)

    return build


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def paper_files() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def embedding_cache_dir(tmp_path_factory) -> Path:
    """A data dir whose embedding cache is warmed once, so each test's fresh index embeds nothing new."""
    path = tmp_path_factory.mktemp("warm")
    from ingest.pipeline import run_ingest

    run_ingest(_make_settings(path))
    return path


@pytest.fixture(scope="session")
def indexed_settings(embedding_cache_dir: Path) -> Settings:
    """Settings pointing at a complete index of the real corpus (shared, read-only for tests)."""
    return _make_settings(embedding_cache_dir)


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


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    def pick() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    return pick


@pytest.fixture(scope="session")
def fake_openai():
    """A scripted OpenAI-compatible server on loopback (see tests/fakes.py); the model name picks a behaviour."""
    from tests.fakes import FakeOpenAI

    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture(scope="session")
def app_url(indexed_settings: Settings, free_port):
    """(url, settings) of the app served for real on a free loopback port, shared by the browser and load tests."""
    from ui.serve import launch

    settings = indexed_settings.updated(ui={"port": free_port(), "concurrency": 4})
    app = launch(settings, block=False, warm=False)
    yield f"http://127.0.0.1:{settings.ui.port}/", settings
    app.close()
