"""The load test runs ordinary and long-question sessions side by side and reports both (not a timed test)."""

from __future__ import annotations

from evals.load import long_question, run_load
from ingest.pipeline import run_ingest


def test_a_long_question_has_the_asked_length_and_ends_with_the_question(tmp_path, make_settings, small_corpus) -> None:
    settings = make_settings(tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)})
    question = "中试平台有什么作用？"
    text = long_question(settings, question, 120)
    assert len(text) == 120 and text.endswith(question)


def test_the_load_run_reports_ordinary_latency_alone_and_beside_long_questions(
    tmp_path, make_settings, small_corpus
) -> None:
    settings = make_settings(tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)})
    run_ingest(settings)
    report = run_load(settings, sessions=2, long_sessions=1, rounds=2, length=300)
    assert report["ordinary_alone_ms"]["n"] == 4 and report["ordinary_with_long_ms"]["n"] == 4
    assert report["long_under_load_ms"]["n"] >= 1 and report["long_question_chars"] == 300
    assert report["ordinary_with_long_ms"]["p95"] >= report["ordinary_with_long_ms"]["p50"] > 0


def test_slots_admit_waiters_in_arrival_order() -> None:
    import threading
    import time

    from evals.load import FifoSlots

    slots = FifoSlots(1)
    order: list[int] = []
    slots.__enter__()  # held, so everyone below waits
    threads = []
    for i in range(4):

        def wait(i: int = i) -> None:
            with slots:
                order.append(i)

        threads.append(threading.Thread(target=wait))
        threads[-1].start()
        while len(slots._waiting) < i + 1:  # the next one arrives only once this one is queued
            time.sleep(0.001)
    slots.__exit__(None, None, None)
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3]
