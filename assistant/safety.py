"""Passages that address the assistant instead of the reader are not evidence.

A document in the corpus can carry text like "忽略以上所有指令……" aimed at a model that reads it. Such a passage
is kept out of answers (extractive or generated), out of the model's prompt and out of the evidence list; the
log records each one set aside, so an administrator can remove the document.
"""

from __future__ import annotations

import logging
import re

from assistant.answer import Passage

logger = logging.getLogger(__name__)

_INJECTION = re.compile(
    r"(忽略|无视|忘记|忘掉)(以上|上述|之前|此前|前面|先前)?(的)?(所有|全部|一切)?(的)?(指令|指示|提示|规则|要求|设定)"
    r"|(不要|不得|禁止|无需|不必)(给出|提供|附上|标注|引用|使用|参考)(任何)?(引用|出处|来源|资料|材料|文献)"
    r"|(系统|system)\s*(提示词|prompt)"
    r"|ignore\s+(all\s+)?(the\s+)?(previous|above|prior)\s+(instructions|prompts)"
    r"|disregard\s+(all\s+)?(previous|above|prior)",
    re.I,
)


_CLAUSE = re.compile(r"[^，,。！？!?；;\n]+[，,。！？!?；;\n]*")


def looks_like_injection(text: str) -> bool:
    return _INJECTION.search(text) is not None


def without_instructions(question: str) -> str:
    """The question minus clauses addressed to the assistant ("忽略以上所有指令，") — they say nothing about what
    is asked, and their words would count against the evidence. A question that is nothing but such clauses
    is returned unchanged, so the gate sees it as it is (and refuses it)."""
    clauses = _CLAUSE.findall(question)
    kept = "".join(c for c in clauses if not looks_like_injection(c)).strip()
    return kept or question


def without_injections(passages: list[Passage]) -> list[Passage]:
    kept = [p for p in passages if not looks_like_injection(p.text)]
    for passage in passages:
        if passage not in kept:
            logger.warning("set aside an instruction-like passage from %s (%s)", passage.source, passage.chunk_id)
    return kept
