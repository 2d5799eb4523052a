"""20 concurrent chat sessions against the running app through its HTTP API (loopback, bounded in count and
time): no errors, latency reported, and no session ever sees another session's history."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from core.settings import PROJECT_ROOT
from evals.dataset import DEFAULT_DATASET, load_dataset

pytestmark = pytest.mark.slow

SESSIONS = 20
FOLLOWUP = "还有吗？"
TIME_LIMIT_S = 300
REPORT = PROJECT_ROOT / "artifacts" / "load.json"


def text_of(content) -> str:
    """Gradio 6 returns message content as a list of typed parts."""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if part.get("type") == "text")


def session_run(url: str, question: str) -> dict:
    from gradio_client import Client

    client = Client(url, verbose=False, download_files=False)
    latencies, chats = [], []
    for text in (question, FOLLOWUP):
        started = time.perf_counter()
        box, chat, _citations, _evidence, _export, _download, _docx, error = client.predict(text, [], api_name="/ask")
        latencies.append((time.perf_counter() - started) * 1000)
        assert error == "" and box == "", error
        chats.append(chat)
    client.close()
    return {"question": question, "latencies": latencies, "chat": chats[-1]}


def test_twenty_concurrent_sessions(app_url) -> None:
    url = app_url[0]
    questions = [i.question for i in load_dataset(DEFAULT_DATASET) if i.answerable and not i.history][:SESSIONS]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
        runs = list(pool.map(lambda q: session_run(url, q), questions))
    wall = time.perf_counter() - started
    assert wall < TIME_LIMIT_S
    for run in runs:
        users = [text_of(m["content"]) for m in run["chat"] if m["role"] == "user"]
        assert users == [run["question"], FOLLOWUP]  # its own two turns, nobody else's
    latencies = np.asarray([ms for run in runs for ms in run["latencies"]])
    report = {
        "sessions": SESSIONS,
        "turns": int(latencies.size),
        "errors": 0,
        "wall_seconds": round(wall, 1),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1),
        "p95_ms": round(float(np.percentile(latencies, 95)), 1),
        "max_ms": round(float(latencies.max()), 1),
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print("load:", report)
