"""Feedback is appended, never rewritten, and keeps what a developer needs to make an eval item of it; a torn
write never glues itself to the next record, reading never fails, and one session cannot flood the log."""

import subprocess
import sys
import threading

import pytest

from assistant.answer import Answer, Citation
from core.errors import RongzhiError
from core.settings import PROJECT_ROOT
from ui.feedback import FeedbackRejectedError, FeedbackStore


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
    threads = [threading.Thread(target=store.record, args=(answer(i), "up", "", f"s{i}")) for i in range(40)]
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


DISK_FULL_WRITER = """
import resource, signal, sys
from pathlib import Path
from assistant.answer import Answer, Citation
from ui.feedback import FeedbackStore

path = Path(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk: writes past the limit fail instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, (path.stat().st_size + 200, resource.RLIM_INFINITY))
citation = Citation(1, "a.txt", "论文甲", "2 实践", "c1", "引文。", 3, 6, "段落。引文。")
try:
    FeedbackStore(path).record(Answer("问题x", "回答。[1]", False, "extractive", "问题x", [citation]), "up", "长" * 900)
except OSError as exc:
    print("failed", exc.errno)
"""


def test_a_write_that_fills_the_disk_leaves_no_torn_line(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.record(answer(1), "up")
    before = store.path.read_bytes()
    out = subprocess.run(
        [sys.executable, "-c", DISK_FULL_WRITER, str(store.path)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert "failed" in out.stdout, out.stderr  # the write really did hit the limit part-way
    assert store.path.read_bytes() == before  # the partial record was cut back off
    store.record(answer(2), "down")
    assert [e["question"] for e in store.entries()] == ["问题1", "问题2"]


def test_a_torn_last_line_is_skipped_on_read_and_repaired_before_the_next_append(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.record(answer(1), "up")
    whole = store.path.read_bytes()
    with store.path.open("ab") as handle:  # what a crash or a full disk in the middle of a write leaves
        handle.write(b'{"time": "2025-01-01", "rating": "up", "comment": "\xe5\x86')
    assert [e["question"] for e in store.entries()] == ["问题1"]  # reading does not fail
    store.record(answer(2), "down")
    assert store.path.read_bytes().startswith(whole)
    assert [e["question"] for e in store.entries()] == ["问题1", "问题2"]
    assert store.path.read_bytes().count(b"\n") == 2  # the torn bytes are gone, not glued to the new record


def test_a_whole_last_line_without_newline_is_kept(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.path.write_text('{"question": "手工添加"}', encoding="utf-8")
    store.record(answer(1), "up")
    assert [e["question"] for e in store.entries()] == ["手工添加", "问题1"]


def test_reading_never_fails_on_bad_lines(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.record(answer(1), "up")
    with store.path.open("ab") as handle:
        handle.write(b"not json\n\xff\xfe\x00\n[1, 2]\n\n")
    store.record(answer(2), "up")
    assert [e["question"] for e in store.entries()] == ["问题1", "问题2"]


def test_comment_length_and_per_session_rate_are_limited(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl", max_comment_chars=50, per_session=3, window_seconds=60)
    with pytest.raises(FeedbackRejectedError, match="50"):
        store.record(answer(), "up", "长" * 51, session="s1")
    store.record(answer(), "up", "长" * 50, session="s1")
    store.record(answer(), "up", session="s1")
    store.record(answer(), "up", session="s1")
    with pytest.raises(FeedbackRejectedError):
        store.record(answer(), "up", session="s1")
    store.record(answer(), "up", session="s2")  # another session is not held back by s1
    assert len(store.entries()) == 4
    assert isinstance(FeedbackRejectedError("x"), RongzhiError)


def test_the_settings_bound_the_app_feedback(tmp_path, make_settings) -> None:
    settings = make_settings(tmp_path)
    assert settings.ui.feedback_comment_chars == 1000 and settings.ui.feedback_per_session == 10
    store = FeedbackStore(tmp_path / "f.jsonl", settings.ui.feedback_comment_chars)
    with pytest.raises(FeedbackRejectedError):
        store.record(answer(), "up", "长" * 2_000_000)  # the 2 MB comment of the issue
    assert not store.path.exists()


def test_a_later_rating_of_the_same_answer_replaces_the_earlier_one(tmp_path) -> None:
    store = FeedbackStore(tmp_path / "feedback.jsonl")
    store.record(answer(), "down", session="c1", turn=1)
    store.record(answer(), "up", session="c1", turn=2)
    store.record(answer(), "up", "改主意了", session="c1", turn=1)
    assert [(e["turn"], e["rating"], e["comment"]) for e in store.entries()] == [(2, "up", ""), (1, "up", "改主意了")]
