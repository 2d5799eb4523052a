"""Append-only feedback log: one JSON line per 👍/👎, with everything needed to turn it into an eval item."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict
from pathlib import Path

from assistant.answer import Answer

RATINGS = ("up", "down")


class FeedbackStore:
    """Lines are only ever appended (never rewritten), under a lock so concurrent sessions cannot interleave."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, answer: Answer, rating: str, comment: str = "", session: str = "") -> dict:
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, got {rating!r}")
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "session": session,
            "rating": rating,
            "comment": comment.strip(),
            "question": answer.question,
            "standalone_question": answer.standalone_question,
            "answer": answer.text,
            "refused": answer.refused,
            "backend": answer.backend,
            "citations": [asdict(c) for c in answer.citations],
            "retrieved": [p.chunk_id for p in answer.retrieved],
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
        return entry

    def entries(self) -> list[dict]:
        if not self.path.is_file():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
