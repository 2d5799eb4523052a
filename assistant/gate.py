"""The refusal gate: decide, before any generation, whether the retrieved evidence can answer the question."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer import Passage
from assistant.question import QuestionProfile
from assistant.slots import Slot, find_slot, slot_filled
from core.settings import Settings

# Part-of-speech tags of jieba for names: places (ns), people (nr), organisations (nt). A name the documents never
# mention cannot be what they are about ("雄安新区2024年…" over papers on other regions). Tuning split: 5 of 39
# unanswerable questions caught, 0 of 127 answerable ones refused. Other nouns (nz, n) are left to the coverage
# check: the abbreviated name of a law is a noun the documents spell out in full.
NAME_TAGS = ("ns", "nr", "nt")
_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年)")
# A numbered part of a document ("第九条", "第三章", "第3节"): if no document has it, it is not there.
_PART = re.compile(r"第[一二三四五六七八九十百零〇两\d]+[条章节款]")
MAX_NAMED_MISSING = 3  # a refusal names at most this many missing terms: the most specific ones


@dataclass(frozen=True)
class GateDecision:
    answerable: bool
    best_dense: float
    coverage: float  # share of the question's key terms found in the top passages
    reason: str
    missing: tuple[str, ...] = ()  # what the question asks about that the evidence (or the corpus) lacks
    slot: Slot | None = None  # the asked-for figure, date or person no passage states


def names_and_years(question: str) -> list[str]:
    """Place, person and organisation names, years and numbered parts (第X条) in a question."""
    from core.tokenize import pos_tags

    names = [word for word, tag in pos_tags(question) if tag in NAME_TAGS and len(word) >= 2]
    return list(dict.fromkeys([*names, *_YEAR.findall(question), *_PART.findall(question)]))


def absent_from_corpus(question: str, mentions: Callable[[str], bool]) -> list[str]:
    """The names and years of the question that no document mentions at all."""
    return [term for term in names_and_years(question) if not mentions(term)]


def missing_terms(question: QuestionProfile, passages: list[Passage], context: str = "") -> tuple[str, ...]:
    """The question's terms the passages lack, longest (most specific) first, without terms inside others."""
    evidence = ("".join(p.section + p.text for p in passages if p.kind != "reference") + context).lower()
    absent = sorted((t for t in question.terms if t not in evidence), key=len, reverse=True)
    kept: list[str] = []
    for term in absent:
        if not any(term in longer for longer in kept):
            kept.append(term)
    return tuple(kept[:MAX_NAMED_MISSING])


def term_coverage(question: QuestionProfile, passages: list[Passage], context: str = "") -> float:
    """Length-weighted share of the question's terms found in the passages (or in ``context``: the names and
    titles of the papers the question is about, which a passage rarely repeats)."""
    if not question.terms:
        return 0.0
    evidence = ("".join(p.section + p.text for p in passages if p.kind != "reference") + context).lower()
    found = [t for t in question.terms if t in evidence]
    # Longer terms carry the specific meaning of a question ("芯片与科学法案" vs "发展").
    weight = sum(len(t) for t in question.terms)
    return sum(len(t) for t in found) / weight


def decide(
    question: QuestionProfile,
    passages: list[Passage],
    best_dense: float,
    settings: Settings,
    context: str = "",
    mentions: Callable[[str], bool] | None = None,
) -> GateDecision:
    """``mentions(term)`` says whether any document mentions a term; without it only the evidence is checked."""
    usable = [p for p in passages if p.kind != "reference"]
    if not usable:
        return GateDecision(False, best_dense, 0.0, "no passage retrieved", missing_terms(question, [], context))
    coverage = term_coverage(question, usable[:3], context)
    if mentions is not None and (absent := absent_from_corpus(question.text, lambda t: mentions(t) or t in context)):
        return GateDecision(False, best_dense, coverage, "a name or year no document mentions", tuple(absent))
    missing = missing_terms(question, usable[:3], context)
    if best_dense < settings.gate.min_dense_similarity:
        return GateDecision(False, best_dense, coverage, "dense similarity below threshold", missing)
    if coverage < settings.gate.min_term_coverage:
        return GateDecision(False, best_dense, coverage, "key terms of the question missing from the evidence", missing)
    slot = find_slot(question.text)
    if slot is not None and not slot_filled(
        slot, usable[:5], question.terms, settings.gate.slot_term_coverage, context
    ):
        return GateDecision(False, best_dense, coverage, f"no passage states the asked-for {slot.kind}", (), slot)
    return GateDecision(True, best_dense, coverage, "ok")
