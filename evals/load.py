"""Load test: concurrent sessions on the real index, some asking 2,000-character questions, the rest ordinary ones.

    RONGZHI_STORAGE__DATA_DIR=/tmp/rz-before python -m evals.load --sessions 4 --long-sessions 2 --rounds 6

Runs the ordinary sessions twice — alone, then alongside the long-question sessions — and prints latency
percentiles of the ordinary questions in both runs and of the long questions. Answers go through one shared
``Assistant`` as the UI's do, with at most ``ui.concurrency`` computed at once (the UI's Gradio queue limit), so
a latency includes the wait for a slot. Not a test: the figures depend on the machine and its other load.
"""

from __future__ import annotations

import argparse
import json
import logging
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from core.sentences import split_sentences
from core.settings import Settings
from evals.bench import percentiles
from evals.dataset import DEFAULT_DATASET, load_dataset
from ingest.readers import read_document

logger = logging.getLogger(__name__)


def ordinary_questions(dataset: Path = DEFAULT_DATASET) -> list[str]:
    """Questions of the tuning split that stand alone (no conversation history)."""
    return [i.question for i in load_dataset(dataset) if not i.history and i.split in ("tuning", "")]


def long_question(settings: Settings, question: str, length: int) -> str:
    """A question of exactly ``length`` characters as a person pasting a passage would write it: sentences of the
    corpus (repeated if the corpus is shorter), a line break, then the question."""
    room = length - len(question) - 1
    text = ""
    files = sorted(p for p in settings.storage.corpus_dir.rglob("*") if p.suffix in (".txt", ".md"))
    for path in files:
        for sentence in split_sentences(read_document(path)):
            text += sentence.text
            if len(text) >= room:
                return f"{text[:room]}\n{question}"
    text = text or question
    return f"{(text * (room // len(text) + 1))[:room]}\n{question}"


class FifoSlots:
    """At most ``size`` holders at once, admitted in arrival order as Gradio's queue admits events.

    ``threading.Semaphore`` is not fair: a session that releases a slot and asks again at once takes it back
    before a woken waiter runs, so two sessions asking back to back starved the others (measured: ordinary
    questions waited 1.0-1.25 s for a slot while their answers took 0.15-0.3 s), which the UI's queue does not do.
    """

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiting: deque[object] = deque()
        self._cond = threading.Condition()

    def __enter__(self) -> None:
        ticket = object()
        with self._cond:
            self._waiting.append(ticket)
            while self._waiting[0] is not ticket or not self._free:
                self._cond.wait()
            self._waiting.popleft()
            self._free -= 1
            self._cond.notify_all()  # the next in line may take another free slot

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._free += 1
            self._cond.notify_all()


def run_load(
    settings: Settings, sessions: int, long_sessions: int, rounds: int, length: int, dataset: Path = DEFAULT_DATASET
) -> dict:
    from assistant.core import Assistant

    assistant = Assistant(settings)
    questions = ordinary_questions(dataset)
    longs = [long_question(settings, q, length) for q in questions[: long_sessions or 1]]
    slots = FifoSlots(settings.ui.concurrency)  # what the UI's queue admits at once, first come first served

    def ask(question: str) -> float:
        started = time.perf_counter()
        with slots:
            assistant.ask(question)
        return (time.perf_counter() - started) * 1000

    for question in questions[:3] + longs[:1]:  # warm the embedder, jieba and the index
        assistant.ask(question)

    def ordinary_session(offset: int) -> list[float]:
        return [ask(questions[(offset * rounds + r) % len(questions)]) for r in range(rounds)]

    def phase(with_long: bool) -> tuple[list[float], list[float]]:
        stop = threading.Event()
        long_times: list[float] = []

        def long_session(i: int) -> None:
            while not stop.is_set():
                long_times.append(ask(longs[i % len(longs)]))

        with ThreadPoolExecutor(max_workers=sessions + long_sessions) as pool:
            background = [pool.submit(long_session, i) for i in range(long_sessions if with_long else 0)]
            normal = [pool.submit(ordinary_session, i) for i in range(sessions)]
            times = [t for f in normal for t in f.result()]
            stop.set()
            for f in background:
                f.result()
        return times, long_times

    alone, _ = phase(with_long=False)
    mixed, long_times = phase(with_long=True)
    long_alone = [ask(q) for q in longs]  # a long question with nothing else running
    return {
        "sessions": sessions,
        "long_sessions": long_sessions,
        "rounds": rounds,
        "long_question_chars": len(longs[0]),
        "concurrency": settings.ui.concurrency,
        "ordinary_alone_ms": _stats(alone),
        "ordinary_with_long_ms": _stats(mixed),
        "long_under_load_ms": _stats(long_times),
        "long_alone_ms": _stats(long_alone),
    }


def _stats(values: list[float]) -> dict:
    return {**percentiles(values), "max": round(max(values), 1) if values else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=4, help="sessions asking ordinary questions")
    parser.add_argument("--long-sessions", type=int, default=2, help="sessions asking long questions meanwhile")
    parser.add_argument("--rounds", type=int, default=6, help="questions per ordinary session")
    parser.add_argument("--length", type=int, default=2000, help="characters of a long question")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    settings = Settings()
    report = run_load(settings, args.sessions, args.long_sessions, args.rounds, args.length)
    logger.warning("%s", json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
