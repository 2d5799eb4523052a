"""A conversation: the turns so far, which a follow-up ("那第二条具体指什么？") is read against.

The CLI chat, each UI browser session and the evaluation's follow-up items all hold one and pass it to
``Assistant.ask``; nobody builds role/content dicts by hand.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from assistant.answer import Answer

USER = "user"
ASSISTANT = "assistant"


@dataclass
class Turn:
    question: str
    answer_text: str
    answer: Answer | None = None  # None for a turn read from a transcript (an evaluation item's history)


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @classmethod
    def from_messages(cls, messages: list[dict] | None) -> Conversation:
        """From OpenAI-style ``[{"role": "user"|"assistant", "content": ...}, ...]`` (EVAL_SCHEMA's history)."""
        conversation = cls()
        for message in messages or []:
            content = str(message.get("content", ""))
            if message.get("role") == USER or not conversation.turns or conversation.turns[-1].answer_text:
                conversation.turns.append(Turn(content if message.get("role") == USER else "", ""))
            if message.get("role") == ASSISTANT:
                conversation.turns[-1].answer_text = content
        return conversation

    def messages(self) -> list[dict]:
        out: list[dict] = []
        for turn in self.turns:
            if turn.question:
                out.append({"role": USER, "content": turn.question})
            if turn.answer_text:
                out.append({"role": ASSISTANT, "content": turn.answer_text})
        return out

    def add(self, answer: Answer) -> None:
        self.turns.append(Turn(answer.question, answer.text, answer))

    def clear(self) -> None:
        self.turns.clear()

    @property
    def last_answer(self) -> Answer | None:
        return self.turns[-1].answer if self.turns else None

    def __len__(self) -> int:
        return len(self.turns)
