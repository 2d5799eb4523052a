"""`rongzhi eval`: run a dataset through the Assistant API (and the baseline), score it, write the reports."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.answer import Answer
from assistant.conversation import Conversation
from assistant.core import Assistant
from core.errors import ConfigurationError
from core.settings import Settings
from evals.baseline import BASELINE_NAME, PlainLlamaIndexBaseline
from evals.dataset import EvalItem, load_dataset
from evals.metrics import METRIC_NAMES, aggregate, score_item
from evals.report import write_reports

logger = logging.getLogger(__name__)

DEFAULT_K = 5


def answer_record(item: EvalItem, answer: Answer, latency_ms: float, requested: str) -> dict:
    """One results.jsonl line exactly as EVAL_SCHEMA.md describes (plus timings, unsupported sentences, and the
    backend that really answered: a model run whose item fell back to the extractive answer says so)."""
    fallback = answer.backend != requested
    return {
        "id": item.id,
        "question": item.question,
        "answer": answer.text,
        "refused": answer.refused,
        "citations": [
            {
                "n": c.n,
                "source": c.source,
                "chunk_id": c.chunk_id,
                "text": c.text,
                "passage": c.passage,
                "char_start": c.char_start,
                "char_end": c.char_end,
                "page": c.page_start,
                "page_end": c.page_end,
            }
            for c in answer.citations
        ],
        "retrieved": [
            {"source": p.source, "chunk_id": p.chunk_id, "text": p.text, "score": round(p.score, 6)}
            for p in answer.retrieved
        ],
        "latency_ms": round(latency_ms, 2),
        "standalone_question": answer.standalone_question,
        "backend": answer.backend,
        "requested_backend": requested,
        "fallback": fallback,
        # the model was asked for this answer (a gate refusal never asks it): the fallback rate's denominator
        "model_called": fallback or "model" in answer.timings_ms,
        "notice": answer.notice,
        "unsupported": answer.unsupported,
        "timings_ms": answer.timings_ms,
    }


def error_record(item: EvalItem, error: Exception, latency_ms: float) -> dict:
    return {
        "id": item.id,
        "question": item.question,
        "answer": "",
        "refused": False,
        "citations": [],
        "retrieved": [],
        "latency_ms": round(latency_ms, 2),
        "error": f"{type(error).__name__}: {error}",
    }


def run_items(items: list[EvalItem], assistant: Assistant, backend: str | None, show_progress: bool) -> list[dict]:
    requested = backend or assistant.settings.answer.backend
    records = []
    iterator = items
    if show_progress:
        from tqdm import tqdm

        iterator = tqdm(items, desc="evaluating", unit="item")
    for item in iterator:
        started = time.perf_counter()
        try:
            conversation = Conversation.from_messages(item.history) if item.history else None
            answer = assistant.ask(item.question, conversation, backend=backend)
            records.append(answer_record(item, answer, (time.perf_counter() - started) * 1000, requested))
        except Exception as exc:  # every item gets a line; a failure is reported, never dropped
            logger.warning("item %s failed: %s", item.id, exc)
            records.append(error_record(item, exc, (time.perf_counter() - started) * 1000))
    return records


def split_summaries(items: list[EvalItem], scores: list, records: list[dict]) -> dict[str, dict]:
    """The summary of each split (tuning, test) on its own; a dataset without splits has none."""
    split_of = {i.id: i.split for i in items}
    out = {}
    for split in sorted({i.split for i in items} - {""}):
        chosen = [n for n, s in enumerate(scores) if split_of[s.id] == split]
        part = aggregate([scores[n] for n in chosen], [records[n] for n in chosen])
        out[split] = {"summary": part["summary"], "by_kind": part["by_kind"]}
    return out


@dataclass
class EvalRun:
    report: dict
    out_dir: Path


def run_eval(
    dataset: Path,
    out_dir: Path,
    settings: Settings,
    backend: str | None = None,
    k: int | None = None,
    baseline: bool = True,
    show_progress: bool = False,
    judge: bool = False,
) -> EvalRun:
    if judge and not (settings.judge.base_url or settings.model.base_url):
        raise ConfigurationError(
            "the LLM judge needs a model endpoint: set RONGZHI_JUDGE__BASE_URL and RONGZHI_JUDGE__NAME "
            "(or RONGZHI_MODEL__BASE_URL, which the judge shares when its own is unset)"
        )
    items = load_dataset(dataset)
    k = k or DEFAULT_K
    settings = settings.updated(retrieval={"top_k": max(k, settings.retrieval.top_k)})
    assistant = Assistant(settings)
    started = time.perf_counter()
    records = run_items(items, assistant, backend, show_progress)
    elapsed = time.perf_counter() - started
    by_id = {i.id: i for i in items}
    threshold = settings.answer.support_threshold
    scores = [score_item(by_id[r["id"]], r, k, threshold) for r in records]
    report = aggregate(scores, records)
    state = assistant.index.current().state
    report["run"] = {
        "dataset": str(dataset),
        "items": len(items),
        "k": k,
        "backend": backend or settings.answer.backend,
        "embedder": state.embedder,
        "chunks": state.chunks,
        "chunk_tokens": settings.chunking.tokens,
        "seconds": round(elapsed, 1),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    report["items"] = [{**s.to_dict(), "split": by_id[s.id].split} for s in scores]
    report["splits"] = split_summaries(items, scores, records)
    if judge:
        from evals.judge import LLMJudge

        report["llm_judge"] = LLMJudge(settings).judge_all(records)

    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    if baseline:
        plain = PlainLlamaIndexBaseline(settings, k)
        base_records = [plain.run(i) for i in items]
        base_scores = [score_item(by_id[r["id"]], r, k, threshold) for r in base_records]
        base_report = aggregate(base_scores, base_records)
        base_report["splits"] = split_summaries(items, base_scores, base_records)
        report["baseline"] = {"name": BASELINE_NAME, "chunks": plain.chunks, **base_report}
        report["ratios"] = {
            name: round(report["summary"][name] / base_report["summary"][name], 2)
            for name in METRIC_NAMES
            if report["summary"].get(name) is not None and base_report["summary"].get(name)
        }
        with (out_dir / "baseline_results.jsonl").open("w", encoding="utf-8") as handle:
            for record in base_records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    write_reports(report, records, out_dir)
    if judge:  # after the reports are written, so the items the judge could not judge can be read
        from evals.judge import require_judged

        require_judged(report["llm_judge"])
    return EvalRun(report, out_dir)
