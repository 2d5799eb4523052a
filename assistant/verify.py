"""Citation verification for every backend: parse [n], drop dangling markers, check each sentence's support."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.answer import AnswerSentence, Citation, Passage
from core.schema import Chunk
from core.sentences import split_sentences
from core.tokenize import char_bigrams, tokenize

MARKER = re.compile(r"\s*[\[［](\d{1,2})[\]］]")
_ITEM_PREFIX = re.compile(r"^\s*(\d{1,2}[.、．]|[-*•])\s*")
_CLAIM_PIECE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*(?:\s*[\[［]\d{1,2}[\]］])*")


@dataclass(frozen=True)
class ParsedSentence:
    text: str  # without markers or list numbering
    markers: list[int]


def parse_answer(text: str) -> list[ParsedSentence]:
    """Claims with their citation markers. Lead-in lines (ending in '：') are not claims."""
    parsed = []
    for line in text.splitlines():
        line = _ITEM_PREFIX.sub("", line.strip())
        if not line or (line.endswith(("：", ":")) and not MARKER.search(line)):
            continue
        pieces = []
        for piece in _CLAIM_PIECE.findall(line):
            bare = MARKER.sub("", piece).strip()
            if len(bare) >= 2:
                pieces.append((bare, [int(m) for m in MARKER.findall(piece)]))
        # "句一。句二。[1]": a marker at the end of a line also covers the unmarked sentences before it.
        inherited: list[int] = []
        for bare, markers in reversed(pieces):
            inherited = markers or inherited
            parsed.append(ParsedSentence(bare, markers or inherited))
        parsed[len(parsed) - len(pieces) :] = parsed[len(parsed) - len(pieces) :][::-1]
    return parsed


_NUMBER = re.compile(r"\d+(?:[.,，\s]\d+)*\s*%?")


def numbers_of(text: str) -> set[str]:
    return {re.sub(r"[\s,，]", "", n) for n in _NUMBER.findall(text)}


def containment(claim: str, passage: str) -> float:
    """Share of the claim's content (character bigrams or jieba words, whichever is higher) in the passage.

    A claim that states a number the passage does not contain gets 0: one changed digit keeps almost every
    bigram, yet makes the sentence false.
    """
    if numbers_of(claim) - numbers_of(passage):
        return 0.0
    grams = char_bigrams(claim)
    gram_share = len(grams & char_bigrams(passage)) / len(grams) if grams else 0.0
    words = set(tokenize(claim))
    word_share = sum(1 for w in words if w in passage) / len(words) if words else 0.0
    return max(gram_share, word_share)


def best_span(claim: str, passage_text: str) -> tuple[int, int]:
    """Offsets of the passage sentence (or adjacent pair) that best matches the claim."""
    sentences = split_sentences(passage_text)
    if not sentences:
        return 0, len(passage_text)
    claim_grams = char_bigrams(claim)
    best, best_score = (sentences[0].start, sentences[0].end), -1.0
    for i, sentence in enumerate(sentences):
        for j in (i, i + 1):
            if j >= len(sentences):
                continue
            text = passage_text[sentence.start : sentences[j].end]
            grams = char_bigrams(text)
            score = len(claim_grams & grams) / max(1, len(claim_grams | grams))
            if score > best_score:
                best, best_score = (sentence.start, sentences[j].end), score
    return best


class CitationVerifier:
    def __init__(
        self,
        threshold: float,
        embed: Callable[[list[str]], list[list[float]]] | None = None,
        semantic_threshold: float = 0.9,
    ) -> None:
        self.threshold = threshold
        self.embed = embed
        self.semantic_threshold = semantic_threshold

    def _semantic(self, claim: str, passage: str) -> float:
        if self.embed is None:
            return 0.0
        a, b = (np.asarray(v, dtype=np.float32) for v in self.embed([claim, passage]))
        return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))

    def check(self, sentences: list[ParsedSentence], numbered: dict[int, Passage]) -> list[AnswerSentence]:
        checked = []
        for sentence in sentences:
            markers = [n for n in dict.fromkeys(sentence.markers) if n in numbered]
            support = max((containment(sentence.text, numbered[n].text) for n in markers), default=0.0)
            supported = support >= self.threshold
            if not supported and markers and support >= self.threshold * 0.6:
                # Paraphrase: little surface overlap, but the meaning matches the cited passage.
                semantic = max(self._semantic(sentence.text, numbered[n].text) for n in markers)
                supported = semantic >= self.semantic_threshold
            checked.append(AnswerSentence(sentence.text, markers, supported, round(support, 3)))
        return checked


def strip_dangling_markers(text: str, valid: set[int]) -> str:
    return MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "", text)


def make_citations(
    checked: list[AnswerSentence], numbered: dict[int, Passage], chunks: dict[str, Chunk]
) -> list[Citation]:
    """One citation per cited passage, quoting the span that best matches the sentences citing it."""
    citations = []
    for n in sorted({n for s in checked for n in s.citations}):
        passage = numbered[n]
        claims = "".join(s.text for s in checked if n in s.citations)
        start, end = best_span(claims, passage.text)
        chunk = chunks.get(passage.chunk_id)
        orig = chunk.original_span(start, end) if chunk else (passage.char_start, passage.char_end)
        pages = chunk.pages_of(start, end) if chunk else (passage.page_start, passage.page_end)
        citations.append(
            Citation(
                n=n,
                source=passage.source,
                title=passage.title,
                section=passage.section,
                chunk_id=passage.chunk_id,
                text=passage.text[start:end],
                char_start=orig[0],
                char_end=orig[1],
                passage=passage.text,
                page_start=pages[0],
                page_end=pages[1],
            )
        )
    return citations


def drop_unsupported(text: str, checked: list[AnswerSentence]) -> str:
    """Remove the lines whose every claim failed verification (used when the setting asks for it)."""
    bad = {s.text for s in checked if not s.supported}
    kept = []
    for line in text.splitlines():
        claims = [MARKER.sub("", p).strip() for p in _CLAIM_PIECE.findall(_ITEM_PREFIX.sub("", line.strip()))]
        claims = [c for c in claims if len(c) >= 2]
        if claims and all(c in bad for c in claims):
            continue
        kept.append(line)
    return "\n".join(kept)
