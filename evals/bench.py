"""`rongzhi bench`: ingest throughput, retrieval and answer latency, memory and start-up, at corpus scale and on
synthetic 10k/100k-chunk indexes, with the plain llama-index baseline measured in the same run."""

from __future__ import annotations

import json
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from core.settings import PROJECT_ROOT, Settings
from evals.dataset import DEFAULT_DATASET, load_dataset

logger = logging.getLogger(__name__)

DEFAULT_SCALES = (10_000, 100_000)
TARGETS = {
    "retrieval_p95_ms_corpus": 100.0,
    "retrieval_p95_ms_100k": 300.0,
    "extractive_answer_p95_ms": 1000.0,
    "unchanged_reingest_seconds": 5.0,
    "start_to_first_answer_seconds": 10.0,
}
WARMUP_QUESTIONS = 3
CHANGED_FILE_NOTE = "\n\n（基准测试追加的一段：科技创新与产业创新融合发展需要持续投入。）\n"


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p50": None, "p95": None}
    arr = np.asarray(values)
    return {
        "n": len(values),
        "p50": round(float(np.percentile(arr, 50)), 2),
        "p95": round(float(np.percentile(arr, 95)), 2),
    }


def timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000


def measure_ingest(base: Settings, work: Path, cold: bool) -> tuple[dict, Settings]:
    """Cold (or from an embedding cache), unchanged and one-file-changed ingests of a copy of the corpus."""
    from ingest.pipeline import run_ingest

    corpus = work / "corpus"
    shutil.copytree(base.storage.corpus_dir, corpus)
    settings = base.updated(storage={"corpus_dir": corpus, "data_dir": work / "data", "chroma_host": None})
    settings.storage.data_dir.mkdir(parents=True)
    cache = base.storage.data_dir / "embedding_cache.sqlite"
    if not cold and cache.is_file():
        shutil.copy(cache, settings.storage.data_dir / cache.name)
    first = run_ingest(settings)
    unchanged = run_ingest(settings)
    changed_file = sorted(corpus.glob("*.txt"))[0]
    changed_file.write_text(changed_file.read_text(encoding="utf-8") + CHANGED_FILE_NOTE, encoding="utf-8")
    changed = run_ingest(settings)
    return {
        "mode": "cold (empty embedding cache)" if cold else "warm embedding cache",
        "files": first.files,
        "chunks": first.chunks,
        "tokens": first.tokens,
        "first_ingest_seconds": round(first.seconds, 2),
        "chunks_per_second": round(first.chunks / first.seconds, 1),
        "embedded": first.embedded,
        "unchanged_reingest_seconds": round(unchanged.seconds, 2),
        "one_file_changed_seconds": round(changed.seconds, 2),
        "one_file_changed_embedded": changed.embedded,
    }, settings


def measure_startup(settings: Settings, question: str) -> float:
    """Seconds from spawning a fresh Python process to its first printed answer."""
    code = f"import ingest, sys\nfrom assistant.core import Assistant\nprint(Assistant().ask({question!r}).text[:20])\n"
    env = {
        **os.environ,
        "RONGZHI_STORAGE__DATA_DIR": str(settings.storage.data_dir),
        "RONGZHI_STORAGE__CORPUS_DIR": str(settings.storage.corpus_dir),
    }
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, cwd=PROJECT_ROOT)
    return round(time.perf_counter() - started, 2)


def measure_serving(settings: Settings, questions: list[str], backends: list[str]) -> dict:
    from assistant.core import Assistant

    assistant = Assistant(settings)
    for question in questions[:WARMUP_QUESTIONS]:
        assistant.ask(question)
    retrieval = [timed(assistant.retriever.retrieve, q) for q in questions]
    answers = {}
    for backend in backends:
        answers[backend] = percentiles([timed(assistant.ask, q, None, None, backend) for q in questions])
    return {"retrieval_ms": percentiles(retrieval), "answer_ms": answers, "peak_rss_mb": peak_rss_mb()}


def measure_baseline(settings: Settings, questions: list[str]) -> dict:
    from evals.baseline import BASELINE_NAME, PlainLlamaIndexBaseline

    started = time.perf_counter()
    plain = PlainLlamaIndexBaseline(settings)
    build = time.perf_counter() - started
    for question in questions[:WARMUP_QUESTIONS]:
        plain.retriever.retrieve(question)
    retrieval = [timed(plain.retriever.retrieve, q) for q in questions]
    return {
        "name": BASELINE_NAME,
        "chunks": plain.chunks,
        "build_seconds": round(build, 2),
        "chunks_per_second": round(plain.chunks / build, 1),
        "retrieval_ms": percentiles(retrieval),
    }


def measure_scale(real: Settings, work: Path, size: int, questions: list[str]) -> dict:
    from evals.synthetic import build_synthetic_index

    target = real.updated(storage={"data_dir": work / f"synthetic-{size}", "chroma_host": None})
    target.storage.data_dir.mkdir(parents=True)
    built = build_synthetic_index(real, target, size)
    return {**built, **measure_serving(target, questions, ["extractive"])}


def run_bench(
    settings: Settings,
    out_dir: Path,
    scales: tuple[int, ...] = DEFAULT_SCALES,
    cold: bool = True,
    max_questions: int | None = None,
    dataset: Path = DEFAULT_DATASET,
) -> dict:
    questions = [i.question for i in load_dataset(dataset) if not i.history][:max_questions]
    backends = ["extractive"] + (["openai"] if settings.model.base_url else [])
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rongzhi-bench-") as tmp:
        work = Path(tmp)
        ingest, corpus_settings = measure_ingest(settings, work / "corpus-run", cold)
        logger.info("ingest measured: %s", ingest)
        serving = measure_serving(corpus_settings, questions, backends)
        startup = measure_startup(corpus_settings, questions[0])
        baseline = measure_baseline(corpus_settings, questions)
        scale = [measure_scale(corpus_settings, work, size, questions) for size in scales]
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "questions": len(questions),
        "ingest": ingest,
        "corpus": serving,
        "start_to_first_answer_seconds": startup,
        "baseline": baseline,
        "ratios": {
            "retrieval_p50_rongzhi_over_baseline": _ratio(
                serving["retrieval_ms"]["p50"], baseline["retrieval_ms"]["p50"]
            ),
            "retrieval_p95_rongzhi_over_baseline": _ratio(
                serving["retrieval_ms"]["p95"], baseline["retrieval_ms"]["p95"]
            ),
        },
        "scale": scale,
        "peak_rss_mb": peak_rss_mb(),
    }
    report["targets"] = check_targets(report)
    (out_dir / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out_dir / "bench.md").write_text(markdown(report), encoding="utf-8")
    return report


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    return round(ours / theirs, 2) if ours and theirs else None


def check_targets(report: dict) -> dict:
    largest = max(report["scale"], key=lambda s: s["chunks"], default=None)
    measured = {
        "retrieval_p95_ms_corpus": report["corpus"]["retrieval_ms"]["p95"],
        "retrieval_p95_ms_100k": largest["retrieval_ms"]["p95"] if largest and largest["chunks"] >= 100_000 else None,
        "extractive_answer_p95_ms": report["corpus"]["answer_ms"]["extractive"]["p95"],
        "unchanged_reingest_seconds": report["ingest"]["unchanged_reingest_seconds"],
        "start_to_first_answer_seconds": report["start_to_first_answer_seconds"],
    }
    return {
        name: {
            "target": limit,
            "measured": measured[name],
            "met": None if measured[name] is None else measured[name] <= limit,
        }
        for name, limit in TARGETS.items()
    }


def markdown(report: dict) -> str:
    ingest, corpus, base = report["ingest"], report["corpus"], report["baseline"]
    lines = [
        f"Machine: {report['machine']['cpus']} CPUs, Python {report['machine']['python']}; "
        f"{report['questions']} questions from the evaluation set.",
        "",
        "| measure | rongzhi | plain llama-index baseline |",
        "|---|---|---|",
        f"| index build ({ingest['mode']}) | {ingest['chunks']} chunks in {ingest['first_ingest_seconds']} s "
        f"({ingest['chunks_per_second']} chunks/s) | {base['chunks']} chunks in {base['build_seconds']} s "
        f"({base['chunks_per_second']} chunks/s) |",
        f"| re-ingest, corpus unchanged | {ingest['unchanged_reingest_seconds']} s | – |",
        f"| re-ingest, one file changed | {ingest['one_file_changed_seconds']} s "
        f"({ingest['one_file_changed_embedded']} chunks embedded) | – |",
        f"| warm retrieval p50 / p95 | {corpus['retrieval_ms']['p50']} / {corpus['retrieval_ms']['p95']} ms | "
        f"{base['retrieval_ms']['p50']} / {base['retrieval_ms']['p95']} ms |",
    ]
    for backend, stats in corpus["answer_ms"].items():
        lines.append(f"| complete answer p50 / p95 ({backend}) | {stats['p50']} / {stats['p95']} ms | – |")
    lines += [
        f"| process start to first answer | {report['start_to_first_answer_seconds']} s | – |",
        f"| peak memory (RSS, whole bench process) | {report['peak_rss_mb']} MB | – |",
        "",
        "Growth with index size (synthetic copies of the corpus, vectors reused with noise):",
        "",
        "| chunks | index build | retrieval p50 / p95 | extractive answer p50 / p95 | peak RSS |",
        "|---|---|---|---|---|",
        f"| {ingest['chunks']} (real) | – | {corpus['retrieval_ms']['p50']} / {corpus['retrieval_ms']['p95']} ms | "
        f"{corpus['answer_ms']['extractive']['p50']} / {corpus['answer_ms']['extractive']['p95']} ms | "
        f"{corpus['peak_rss_mb']} MB |",
    ]
    for s in report["scale"]:
        lines.append(
            f"| {s['chunks']} | {s['build_seconds']} s ({s['index_chunks_per_second']} chunks/s) | "
            f"{s['retrieval_ms']['p50']} / {s['retrieval_ms']['p95']} ms | "
            f"{s['answer_ms']['extractive']['p50']} / {s['answer_ms']['extractive']['p95']} ms | "
            f"{s['peak_rss_mb']} MB |"
        )
    lines += ["", "| target | limit | measured | met |", "|---|---|---|---|"]
    for name, t in report["targets"].items():
        met = "n/a" if t["met"] is None else ("yes" if t["met"] else "NO")
        lines.append(f"| {name} | {t['target']} | {t['measured']} | {met} |")
    return "\n".join(lines) + "\n"
