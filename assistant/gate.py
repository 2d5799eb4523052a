"""The refusal gate: decide, before any generation, whether the retrieved evidence can answer the question."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer import Passage
from assistant.question import QuestionProfile
from assistant.slots import find_slot, slot_filled
from core.settings import Settings


@dataclass(frozen=True)
class GateDecision:
    answerable: bool
    best_dense: float
    coverage: float  # share of the question's key terms found in the top passages
    reason: str


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
    question: QuestionProfile, passages: list[Passage], best_dense: float, settings: Settings, context: str = ""
) -> GateDecision:
    usable = [p for p in passages if p.kind != "reference"]
    if not usable:
        return GateDecision(False, best_dense, 0.0, "no passage retrieved")
    coverage = term_coverage(question, usable[:3], context)
    if best_dense < settings.gate.min_dense_similarity:
        return GateDecision(False, best_dense, coverage, "dense similarity below threshold")
    if coverage < settings.gate.min_term_coverage:
        return GateDecision(False, best_dense, coverage, "key terms of the question missing from the evidence")
    slot = find_slot(question.text)
    if slot is not None and not slot_filled(slot, usable[:5], question.terms, settings.gate.min_term_coverage, context):
        return GateDecision(False, best_dense, coverage, f"no passage states the asked-for {slot.kind}")
    return GateDecision(True, best_dense, coverage, "ok")
