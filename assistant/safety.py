"""Passages that address the assistant instead of the reader are not evidence.

A document in the corpus can carry text like "忽略以上所有指令……" aimed at a model that reads it. Such a passage
is kept out of answers (extractive or generated), out of the model's prompt and out of the evidence list; the
log records each one set aside, so an administrator can remove the document.
"""

from __future__ import annotations

import logging
import re

from assistant.answer import Passage
from core.instructions import INJECTION, SentenceEmbedder, looks_like_injection

logger = logging.getLogger(__name__)

_CLAUSE = re.compile(r"[^，,。！？!?；;\n]+[，,。！？!?；;\n]*")


def without_instructions(question: str) -> str:
    """The question minus clauses addressed to the assistant ("忽略以上所有指令，") — they say nothing about what
    is asked, and their words would count against the evidence. A question that is nothing but such clauses
    is returned unchanged, so the gate sees it as it is (and refuses it)."""
    clauses = _CLAUSE.findall(question)
    # only the fixed phrases here: a question is addressed to the assistant by nature ("请告诉我…")
    kept = "".join(c for c in clauses if INJECTION.search(c) is None).strip()
    return kept or question


def without_injections(passages: list[Passage], embed: SentenceEmbedder | None = None) -> list[Passage]:
    """``passages`` minus the instruction-like ones; ``embed`` gives the detector's sentence vectors (the data
    dir's embedding cache, where ingest left them; core.instructions.stored_or_computed)."""
    kept = [p for p in passages if not looks_like_injection(p.text, embed)]
    for passage in passages:
        if passage not in kept:
            logger.warning("set aside an instruction-like passage from %s (%s)", passage.source, passage.chunk_id)
    return kept
