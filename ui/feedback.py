"""Append-only feedback log: one JSON line per 👍/👎, with everything needed to turn it into an eval item.

A rating belongs to one answer, keyed by conversation id and turn: rating it again (👎 then 👍, or adding a reason)
appends a new line with the same key, and reading keeps only the newest line per key, so one answer never has
two contradictory records.

A record is one ``os.write`` of a whole line followed by ``fsync``; a write that fails part-way (disk full) is cut
back off, and a torn last line left by a crash is repaired before the next append, so one bad write never glues
itself to the next record. Reading skips any line that is not a JSON object: the log never makes a reader fail.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import deque
from dataclasses import asdict
from pathlib import Path

from assistant.answer import Answer
from core.errors import RongzhiError
from ui import strings

logger = logging.getLogger(__name__)

RATINGS = ("up", "down")
_TAIL_BLOCK = 65536  # bytes read at a time, backwards, to find the start of the last line


class FeedbackRejectedError(RongzhiError):
    """Feedback refused before anything was written (comment too long, too many from one session); Chinese."""


class FeedbackStore:
    """Appends under a lock so concurrent sessions cannot interleave; limits what one session may write."""

    def __init__(
        self, path: Path, max_comment_chars: int = 1000, per_session: int = 10, window_seconds: float = 60.0
    ) -> None:
        self.path = path
        self.max_comment_chars = max_comment_chars
        self.per_session = per_session
        self.window_seconds = window_seconds
        self._lock = threading.Lock()
        self._recent: dict[str, deque[float]] = {}  # session -> monotonic times of its records in the window

    def record(self, answer: Answer, rating: str, comment: str = "", session: str = "", turn: int = 0) -> dict:
        """Store a rating of ``answer``, turn ``turn`` (1-based) of conversation ``session``; it replaces an
        earlier rating of the same turn when read back."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, got {rating!r}")
        comment = comment.strip()
        if len(comment) > self.max_comment_chars:
            raise FeedbackRejectedError(
                strings.FEEDBACK_TOO_LONG.format(chars=len(comment), limit=self.max_comment_chars)
            )
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "session": session,
            "turn": turn,
            "key": record_key(session, turn) if turn else "",  # no turn given: a record of its own
            "rating": rating,
            "comment": comment,
            "question": answer.question,
            "standalone_question": answer.standalone_question,
            "answer": answer.text,
            "refused": answer.refused,
            "backend": answer.backend,
            "citations": [asdict(c) for c in answer.citations],
            "retrieved": [p.chunk_id for p in answer.retrieved],
        }
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            self._admit(session)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                self._repair_tail(fd)
                start = os.fstat(fd).st_size
                try:
                    written = os.write(fd, line)
                    if written != len(line):
                        raise OSError(28, f"short write ({written} of {len(line)} bytes)")
                    os.fsync(fd)
                except OSError:
                    os.ftruncate(fd, start)  # no torn record left behind (best effort: the tail repair also covers it)
                    raise
            finally:
                os.close(fd)
        return entry

    def _admit(self, session: str) -> None:
        """Count this record against the session's window, or refuse it (10 MB in 1.5 s came through one)."""
        now = time.monotonic()
        for key in [k for k, times in self._recent.items() if times and now - times[-1] > self.window_seconds]:
            del self._recent[key]  # sessions gone quiet: keeps the map as small as the active sessions
        times = self._recent.setdefault(session, deque())
        while times and now - times[0] > self.window_seconds:
            times.popleft()
        if len(times) >= self.per_session:
            raise FeedbackRejectedError(strings.FEEDBACK_TOO_OFTEN)
        times.append(now)

    def _repair_tail(self, fd: int) -> None:
        """End the file with a newline: keep a last line that is whole JSON, cut off one that is torn."""
        size = os.fstat(fd).st_size
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return
        start = size
        while start > 0:  # find the byte after the last newline
            begin = max(0, start - _TAIL_BLOCK)
            newline = os.pread(fd, start - begin, begin).rfind(b"\n")
            if newline >= 0:
                start = begin + newline + 1
                break
            start = begin
        tail = os.pread(fd, size - start, start)
        if _parse(tail) is not None:
            os.write(fd, b"\n")
            logger.warning("feedback log %s ended without a newline; added one", self.path)
        else:
            os.ftruncate(fd, start)
            logger.warning("feedback log %s ended in a torn record (%d bytes); removed it", self.path, size - start)

    def entries(self) -> list[dict]:
        """Every whole record; torn or foreign lines are skipped (and logged), never raised."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError:
            logger.exception("cannot read feedback log %s", self.path)
            return []
        entries, bad = [], 0
        for raw in data.split(b"\n"):
            if not raw.strip():
                continue
            entry = _parse(raw)
            if entry is None:
                bad += 1
            else:
                entries.append(entry)
        if bad:
            logger.warning("skipped %d unreadable line(s) of %s", bad, self.path)
        return _newest_per_answer(entries)


def record_key(session: str, turn: int) -> str:
    return f"{session}#{turn}"


def _newest_per_answer(entries: list[dict]) -> list[dict]:
    """One record per answer (the newest, in its place); lines without a key (older logs) are all kept."""
    newest = {e["key"]: i for i, e in enumerate(entries) if e.get("key")}
    return [e for i, e in enumerate(entries) if not e.get("key") or newest[e["key"]] == i]


def _parse(raw: bytes) -> dict | None:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
