"""Evaluating the evaluation: deliberately broken results must be flagged; faithful ones must score high."""

import re

from assistant.prompts import CANNOT_ANSWER
from evals.dataset import DEFAULT_DATASET, EvalItem, load_dataset
from evals.metrics import aggregate, score_item
from evals.runner import error_record

ITEMS = load_dataset(DEFAULT_DATASET)
ANSWERABLE = [i for i in ITEMS if i.answerable]
UNANSWERABLE = [i for i in ITEMS if not i.answerable]
FABRICATED = "该举措使全国专利数量在一年内增长了三倍，并创造了五百万个就业岗位。"
K = 5


def faithful(item: EvalItem) -> dict:
    """An answer made of the gold quotes, each citing the passage that holds it."""
    citations = [
        {
            "n": n,
            "source": item.gold_docs[0] if len(item.gold_docs) == 1 else _doc_of(item, q),
            "chunk_id": f"gold-{n}",
            "text": q,
            "passage": q,
        }
        for n, q in enumerate(item.gold_quotes, start=1)
    ]
    lines = ["资料中的相关内容如下："] + [f"{c['n']}. {c['text']}[{c['n']}]" for c in citations]
    retrieved = [{"source": c["source"], "chunk_id": c["chunk_id"], "text": c["text"], "score": 1.0} for c in citations]
    return {
        "id": item.id,
        "question": item.question,
        "answer": "\n".join(lines),
        "refused": False,
        "citations": citations,
        "retrieved": retrieved,
        "latency_ms": 1.0,
    }


def _doc_of(item: EvalItem, quote: str) -> str:
    from core.settings import PROJECT_ROOT

    corpus = PROJECT_ROOT / "corpus"
    squash = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 - quotes ignore line breaks
    return next(d for d in item.gold_docs if squash(quote) in squash((corpus / d).read_text(encoding="utf-8")))


def change_a_number(record: dict) -> dict | None:
    """Change one digit of a quoted figure (not the list numbering or a citation marker)."""
    for citation in record["citations"]:
        match = re.search(r"\d", citation["text"])
        if match:
            start = record["answer"].index(citation["text"]) + match.start()
            digit = record["answer"][start]
            answer = record["answer"][:start] + str((int(digit) + 3) % 10) + record["answer"][start + 1 :]
            return {**record, "answer": answer}
    return None


def add_fabrication(record: dict) -> dict:
    return {**record, "answer": record["answer"] + f"\n9. {FABRICATED}[1]"}


def move_citation(record: dict, other: EvalItem) -> dict:
    """Cite another item's gold passage (another paper or topic) instead of the right one."""
    wrong = dict(
        record["citations"][0], source=other.gold_docs[0], text=other.gold_quotes[0], passage=other.gold_quotes[0]
    )
    return {**record, "citations": [wrong, *record["citations"][1:]]}


def refuse(record: dict) -> dict:
    return {**record, "answer": CANNOT_ANSWER, "refused": True, "citations": []}


def test_faithful_answers_score_high() -> None:
    records = [faithful(i) for i in ANSWERABLE]
    scores = [score_item(i, r, K) for i, r in zip(ANSWERABLE, records, strict=True)]
    summary = aggregate(scores, records)["summary"]
    assert summary["citation_support"] == 1.0 and summary["groundedness"] == 1.0
    assert summary["citation_precision"] == 1.0 and summary["key_point_coverage"] == 1.0
    assert summary["quote_recall"] == 1.0 and summary["mrr"] == 1.0
    assert sum(bool(s.failures) for s in scores) == 0


def test_broken_results_are_flagged() -> None:
    broken: list[tuple[EvalItem, dict, str]] = []
    for index, item in enumerate(ANSWERABLE):
        good = faithful(item)
        changed = change_a_number(good)
        if changed:
            broken.append((item, changed, "number changed"))
        broken.append((item, add_fabrication(good), "fabricated sentence"))
        other = next(o for o in ANSWERABLE[index + 1 :] + ANSWERABLE[:index] if set(o.gold_docs) != set(item.gold_docs))
        broken.append((item, move_citation(good, other), "citation moved"))
        broken.append((item, refuse(good), "refusal on answerable"))
    answered = faithful(ANSWERABLE[0])
    for item in UNANSWERABLE:
        broken.append((item, {**answered, "id": item.id, "question": item.question}, "unanswerable answered"))

    missed = [(kind, item.id) for item, record, kind in broken if not score_item(item, record, K).failures]
    assert len(broken) >= 150
    assert len(missed) / len(broken) <= 0.05, missed
    for kind in {k for _, _, k in broken}:
        of_kind = [b for b in broken if b[2] == kind]
        assert sum(1 for m in missed if m[0] == kind) / len(of_kind) <= 0.1, kind


def test_refusals_are_scored_both_ways() -> None:
    records = [refuse(faithful(i)) for i in ANSWERABLE] + [
        {
            "id": i.id,
            "question": i.question,
            "answer": CANNOT_ANSWER,
            "refused": True,
            "citations": [],
            "retrieved": [],
            "latency_ms": 1.0,
        }
        for i in UNANSWERABLE
    ]
    scores = [score_item(i, r, K) for i, r in zip(ANSWERABLE + UNANSWERABLE, records, strict=True)]
    summary = aggregate(scores, records)["summary"]
    assert summary["refusal_recall"] == 1.0 and summary["false_refusal_rate"] == 1.0


def test_errors_are_counted_not_dropped() -> None:
    item = ANSWERABLE[0]
    record = error_record(item, ValueError("boom"), 1.0)
    score = score_item(item, record, K)
    assert score.failures == ["error: ValueError: boom"]
    assert aggregate([score], [record])["summary"]["errors"] == 1


FRONT_MATTER = ["作者单位：某某大学经济学院，北京 100000。", "关键词：创新；融合；发展。"]


def pad(record: dict) -> dict:
    """The correct lines plus front matter and an off-topic line, all 'cited' to passage 1."""
    padding = "\n".join(f"{n}. {line}[1]" for n, line in enumerate([*FRONT_MATTER, FABRICATED], start=20))
    return {**record, "answer": record["answer"] + "\n" + padding}


def test_padded_answers_score_lower_on_answer_lines_on_point() -> None:
    for item in ANSWERABLE[:20]:
        clean = score_item(item, faithful(item), K)
        padded = score_item(item, pad(faithful(item)), K)
        assert clean.line_precision == 1.0, item.id
        assert padded.line_precision < clean.line_precision and padded.off_point_lines, item.id
        assert padded.severity == 2 and clean.severity > 2, item.id


def test_the_fallback_rate_counts_only_items_the_model_was_asked_for() -> None:
    """Three model answers, one replaced by the extractive fallback; a gate refusal never asked the model."""
    item = UNANSWERABLE[0]
    records = [
        {**faithful(ANSWERABLE[0]), "model_called": True, "fallback": False},
        {**faithful(ANSWERABLE[1]), "model_called": True, "fallback": True},
        {**faithful(ANSWERABLE[2]), "model_called": True, "fallback": False},
        {"id": item.id, "answer": CANNOT_ANSWER, "refused": True, "citations": [], "retrieved": [], "latency_ms": 1.0}
        | {"model_called": False},
    ]
    scores = [score_item(i, r, K) for i, r in zip([*ANSWERABLE[:3], item], records, strict=True)]
    summary = aggregate(scores, records)["summary"]
    assert (summary["model_items"], summary["fallbacks"], summary["fallback_rate"]) == (3, 1, 0.3333)
    extractive = aggregate(scores, [faithful(i) for i in ANSWERABLE[:3]] + [records[3]])["summary"]
    assert extractive["model_items"] == 0 and extractive["fallback_rate"] is None
