"""A Chinese sentence splitter that keeps closing quotes and brackets with their sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass

# 。！？；and their ASCII forms, or a run of ellipsis; then any closing quotes/brackets and footnote marks.
_SENTENCE = re.compile(
    r".*?(?:[。！？；!?;]+|……|…|(?<=[A-Za-z\)])\.(?=\s|$))[”’」』）)】》\"']*(?:<sup>[^<]*</sup>|\^\[[^\]]*\])?|.+?$",
    re.DOTALL,
)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset within the text that was split
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; a line break also ends a sentence (a title or table row has no 。)."""
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        for match in _SENTENCE.finditer(line):
            raw = match.group(0)
            if not raw.strip():
                continue
            lead = len(raw) - len(raw.lstrip())
            stripped = raw.strip()
            start = offset + match.start() + lead
            sentences.append(Sentence(stripped, start, start + len(stripped)))
        offset += len(line) + 1
    return sentences
