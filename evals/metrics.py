"""Groundedness metrics computed in Chinese terms (character bigrams, jieba words), never English word splits.

Every function works on the results.jsonl records of EVAL_SCHEMA.md, so any system's results can be scored.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from assistant.prompts import CANNOT_ANSWER
from assistant.verify import containment, parse_answer
from core.settings import AnswerSettings
from core.tokenize import char_bigrams
from evals.dataset import EvalItem

QUOTE_MATCH = 0.8  # share of a gold quote's bigrams a passage must hold to count as containing it


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def contains_quote(passage: str, quote: str) -> bool:
    """Whitespace-insensitive substring, or most of the quote's bigrams (a quote may straddle two chunks)."""
    if squash(quote) in squash(passage):
        return True
    grams = char_bigrams(quote)
    return bool(grams) and len(grams & char_bigrams(passage)) / len(grams) >= QUOTE_MATCH


def support(claim: str, passage: str) -> float:
    """How much of the claim the passage holds (0 when the claim states a number the passage lacks)."""
    return containment(claim, passage)


def is_refusal(record: dict) -> bool:
    return bool(record.get("refused")) or CANNOT_ANSWER in (record.get("answer") or "")


@dataclass
class ItemScore:
    id: str
    kind: str
    answerable: bool
    refused: bool
    error: str | None = None
    quote_recall: float | None = None
    mrr: float | None = None
    doc_recall: float | None = None
    key_point_coverage: float | None = None
    line_precision: float | None = None
    citation_precision: float | None = None
    citation_support: float | None = None
    groundedness: float | None = None
    missing_key_points: list[str] = field(default_factory=list)
    off_point_lines: list[str] = field(default_factory=list)
    unsupported_sentences: list[str] = field(default_factory=list)
    ungrounded_sentences: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {**asdict(self), "severity": self.severity}

    @property
    def severity(self) -> int:
        """How much a reader is harmed: 0 a wrong refusal, an answered unanswerable question or an error; 1 key
        points missing; 2 off-point lines; 3 citation faults; 4 nothing wrong."""
        if self.error or self.refused == self.answerable:
            return 0
        if self.missing_key_points:
            return 1
        if self.off_point_lines:
            return 2
        return 3 if self.failures else 4


def on_point(line: str, item: EvalItem, support_threshold: float) -> bool:
    """A claim line is on point when it contains a key point or most of it lies inside a gold quote."""
    if any(squash(point) in squash(line) for point in item.key_points):
        return True
    return any(contains_quote(line, q) or support(line, q) >= support_threshold for q in item.gold_quotes)


def score_item(
    item: EvalItem, record: dict, k: int, support_threshold: float = AnswerSettings().support_threshold
) -> ItemScore:
    """Scores of one results.jsonl record; ``support_threshold`` is the product's own bar (settings.answer), so
    the evaluation and the citation verifier agree on what "supported" means."""
    refused = is_refusal(record)
    score = ItemScore(item.id, item.kind, item.answerable, refused, record.get("error"))
    if score.error:
        score.failures.append(f"error: {score.error}")
        return score
    if not item.answerable:
        if not refused:
            score.failures.append("answered an unanswerable question")
        return score
    retrieved = record.get("retrieved") or []
    top = retrieved[:k]
    if item.gold_quotes:
        found = [q for q in item.gold_quotes if any(contains_quote(p.get("text", ""), q) for p in top)]
        score.quote_recall = len(found) / len(item.gold_quotes)
        ranks = [
            i for i, p in enumerate(retrieved) if any(contains_quote(p.get("text", ""), q) for q in item.gold_quotes)
        ]
        score.mrr = 1.0 / (ranks[0] + 1) if ranks else 0.0
    if item.gold_docs:
        sources = {p.get("source") for p in top}
        score.doc_recall = sum(d in sources for d in item.gold_docs) / len(item.gold_docs)
    if refused:
        score.failures.append("refused an answerable question")
        score.key_point_coverage = 0.0
        score.missing_key_points = list(item.key_points)
        return score

    answer = record.get("answer") or ""
    if item.key_points:
        missing = [kp for kp in item.key_points if squash(kp) not in squash(answer)]
        score.key_point_coverage = 1 - len(missing) / len(item.key_points)
        score.missing_key_points = missing
    claims = [sentence.text for sentence in parse_answer(answer)]  # lead-in lines ("…如下：") are not claims
    if claims:
        score.off_point_lines = [c for c in claims if not on_point(c, item, support_threshold)]
        score.line_precision = 1 - len(score.off_point_lines) / len(claims)
        if score.off_point_lines:
            score.failures.append(f"{len(score.off_point_lines)} of {len(claims)} answer line(s) off point")
    citations = {c.get("n"): c for c in record.get("citations") or []}
    if citations:
        good = 0
        for citation in citations.values():
            text = citation.get("text", "")
            evidence = any(contains_quote(text, q) or support(text, q) >= support_threshold for q in item.gold_quotes)
            good += bool(citation.get("source") in item.gold_docs and evidence)
        score.citation_precision = good / len(citations)
    sentences = parse_answer(answer)
    if sentences:
        supported, grounded = 0, 0
        for sentence in sentences:
            cited = [citations[n] for n in sentence.markers if n in citations]
            cited_texts = [c.get("passage") or c.get("text", "") for c in cited]
            if any(support(sentence.text, t) >= support_threshold for t in cited_texts):
                supported += 1
            else:
                score.unsupported_sentences.append(sentence.text)
            if any(support(sentence.text, p.get("text", "")) >= support_threshold for p in retrieved) or any(
                support(sentence.text, t) >= support_threshold for t in cited_texts
            ):
                grounded += 1
            else:
                score.ungrounded_sentences.append(sentence.text)
        score.citation_support = supported / len(sentences)
        score.groundedness = grounded / len(sentences)
    else:
        score.citation_support = score.groundedness = 0.0
    if score.unsupported_sentences:
        score.failures.append(f"{len(score.unsupported_sentences)} sentence(s) not supported by their citation")
    if score.ungrounded_sentences:
        score.failures.append(f"{len(score.ungrounded_sentences)} sentence(s) not grounded in any retrieved passage")
    if score.citation_precision is not None and score.citation_precision < 1:
        score.failures.append("a citation points at a passage without gold evidence")
    if not citations:
        score.failures.append("no citations")
    return score


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 4) if present else None


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 2)


METRIC_NAMES = (
    "quote_recall",
    "mrr",
    "doc_recall",
    "key_point_coverage",
    "line_precision",
    "citation_precision",
    "citation_support",
    "groundedness",
)


def aggregate(scores: list[ItemScore], records: list[dict]) -> dict:
    answerable = [s for s in scores if s.answerable and not s.error]
    unanswerable = [s for s in scores if not s.answerable and not s.error]
    summary: dict = {name: _mean([getattr(s, name) for s in answerable]) for name in METRIC_NAMES}
    summary["refusal_recall"] = (
        round(sum(s.refused for s in unanswerable) / len(unanswerable), 4) if unanswerable else None
    )
    summary["false_refusal_rate"] = (
        round(sum(s.refused for s in answerable) / len(answerable), 4) if answerable else None
    )
    summary["items"] = len(scores)
    summary["errors"] = sum(1 for s in scores if s.error)
    summary["failed_items"] = sum(1 for s in scores if s.failures)
    # A model run: how often the model's answer was replaced by the extractive one (outage, timeout, answer not
    # tied to the passages), over the items whose answer the model was asked for (gate refusals never ask it).
    asked = [r for r in records if r.get("model_called")]
    summary["model_items"] = len(asked)
    summary["fallbacks"] = sum(1 for r in asked if r.get("fallback"))
    summary["fallback_rate"] = round(summary["fallbacks"] / len(asked), 4) if asked else None
    by_kind: dict[str, dict] = {}
    for kind in sorted({s.kind for s in scores}):
        group = [s for s in scores if s.kind == kind and not s.error]
        entry = {name: _mean([getattr(s, name) for s in group]) for name in METRIC_NAMES}
        entry["items"] = len(group)
        entry["refused"] = sum(s.refused for s in group)
        entry["passed"] = sum(not s.failures for s in group)
        by_kind[kind] = entry
    latency: dict[str, dict] = {}
    stages = sorted({stage for r in records for stage in (r.get("timings_ms") or {})})
    for stage in stages:
        values = [r["timings_ms"][stage] for r in records if stage in (r.get("timings_ms") or {})]
        latency[stage] = {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95)}
    totals = [r["latency_ms"] for r in records if r.get("latency_ms") is not None]
    latency["end_to_end"] = {"p50": percentile(totals, 0.5), "p95": percentile(totals, 0.95)}
    return {"summary": summary, "by_kind": by_kind, "latency_ms": latency}
