"""Feedback is appended, never rewritten, and keeps what a developer needs to make an eval item of it."""

import threading

import pytest

from assistant.answer import Answer, Citation
from ui.feedback import FeedbackStore


def answer(n: int = 0) -> Answer:
    citation = Citation(1, "a.txt", "论文甲", "2 实践", "c1", "引文。", 3, 6, "段落。引文。")
    return Answer(f"问题{n}", "回答。[1]", False, "extractive", f"问题{n}", [citation])


def test_entries_carry_question_answer_and_citations(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "fb" / "feedback.jsonl")
    store.record(answer(), "down", "  引文不对  ", session="s1")
    (entry,) = store.entries()
    assert entry["rating"] == "down" and entry["comment"] == "引文不对" and entry["session"] == "s1"
    assert entry["question"] == "问题0" and entry["answer"] == "回答。[1]"
    assert entry["citations"][0]["text"] == "引文。" and entry["citations"][0]["source"] == "a.txt"


def test_appends_from_many_sessions_at_once_are_all_kept_whole(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.record(answer(), "up")
    before = store.path.read_bytes()
    threads = [threading.Thread(target=store.record, args=(answer(i), "up")) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.path.read_bytes().startswith(before)  # earlier lines untouched
    assert sorted(e["question"] for e in store.entries()[1:]) == sorted(f"问题{i}" for i in range(40))


def test_unknown_rating_is_rejected_and_nothing_written(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    with pytest.raises(ValueError):
        store.record(answer(), "meh")
    assert store.entries() == []
