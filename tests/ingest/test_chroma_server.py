"""The scale-out path: a real `chroma run` server on loopback, ingest into it, answer from it from two workers,
survive the server going away and coming back without restarting the assistant."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.core import Assistant
from core.errors import StoreUnavailableError
from ingest.pipeline import run_ingest
from ui import strings
from ui.app import ChatController, Session

pytestmark = pytest.mark.slow

CHROMA = Path(sys.executable).with_name("chroma")
QUESTION = "成都高新区用什么机制攻克关键核心技术难题？"


class ChromaServer:
    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port, self.process = path, port, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("chroma server did not come up")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def server(tmp_path, free_port):
    assert CHROMA.exists(), "the chroma CLI ships with the chromadb wheel"
    chroma = ChromaServer(tmp_path / "chroma-server", free_port())
    chroma.start()
    yield chroma
    chroma.stop()


def test_ingest_and_answer_through_a_chroma_server_that_goes_away_and_returns(
    server, fresh_data_dir, tmp_path, make_settings
):
    chroma = {"chroma_host": "127.0.0.1", "chroma_port": server.port}
    settings = make_settings(fresh_data_dir, storage=chroma)
    report = run_ingest(settings)
    assert report.chunks > 300 and not (fresh_data_dir / "chroma").exists()  # nothing stored locally

    worker = Assistant(settings)
    answer = worker.ask(QUESTION)
    assert "揭榜挂帅" in answer.text and answer.citations

    # a second UI worker on another host: no local BM25 file, rebuilt from the server's chunks
    other_dir = tmp_path / "worker2"
    other_dir.mkdir()
    shutil.copy(fresh_data_dir / "embedding_cache.sqlite", other_dir)
    second = Assistant(make_settings(other_dir, storage=chroma))
    assert second.ask(QUESTION).text == answer.text

    server.stop()
    with pytest.raises(StoreUnavailableError):
        worker.ask(QUESTION)
    controller = ChatController(worker, settings)
    view = list(controller.respond(QUESTION, Session(), []))[-1]
    assert view.error == strings.ERROR_STORE_DOWN and view.question == QUESTION

    server.start()  # same port, same data: service resumes without restarting the worker
    assert worker.ask(QUESTION).text == answer.text
