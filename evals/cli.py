"""`rongzhi eval` and `rongzhi bench`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.settings import BACKENDS, Settings


def _print_run(title: str, run) -> None:
    from evals.report import FALLBACK_LABEL, fallback_cell, judge_line, split_table, summary_rows

    print(f"== {title}")
    if table := split_table(run.report):
        headers, rows = table
        print("".join(f"{h:<34}" if i == 0 else f"{h:>10}" for i, h in enumerate(headers)))
        for row in rows:
            print("".join(f"{c:<34}" if i == 0 else f"{c:>10}" for i, c in enumerate(row)))
    else:
        print(f"{'metric':<34}{'rongzhi':>10}{'baseline':>10}{'ratio':>8}")
        for label, ours, theirs, ratio in summary_rows(run.report):
            print(f"{label:<34}{ours:>10}{theirs:>10}{ratio:>8}")
    latency = run.report["latency_ms"]["end_to_end"]
    print(
        f"latency p50 {latency['p50']} ms, p95 {latency['p95']} ms; "
        f"{run.report['summary']['failed_items']} of {run.report['summary']['items']} items with failures"
    )
    if not split_table(run.report) and run.report["summary"].get("model_items"):  # else a row of the split table
        print(f"{FALLBACK_LABEL}: {fallback_cell(run.report['summary'])}")
    if judged := run.report.get("llm_judge"):
        print(judge_line(judged))
    print(f"reports: {run.out_dir / 'report.html'}, {run.out_dir / 'report.md'}, {run.out_dir / 'results.jsonl'}")


def _cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.runner import run_eval

    options = {
        "backend": args.backend,
        "k": args.k,
        "baseline": not args.no_baseline,
        "show_progress": not args.quiet,
        "judge": args.judge,
    }
    out = Path(args.out)
    if args.dataset:  # a user's dataset, against the index the settings point at
        _print_run(args.dataset, run_eval(Path(args.dataset), out, settings, **options))
        return 0
    from evals.suites import SUITES
    from ingest.pipeline import run_ingest

    for name in args.suite or sorted(SUITES):
        suite = SUITES[name]
        suite_settings = suite.settings(settings)
        run_ingest(suite_settings)  # incremental: nothing to do when the suite's index is current
        _print_run(f"{name} ({suite.corpus_dir})", run_eval(suite.dataset, out / name, suite_settings, **options))
    return 0


def register(sub) -> None:
    from evals.suites import SUITES

    p = sub.add_parser("eval", help="run the evaluation suites (or one dataset) and write results and reports")
    p.add_argument("--dataset", help="a JSONL file in the EVAL_SCHEMA.md format, run against the current index")
    p.add_argument(
        "--suite",
        action="append",
        choices=sorted(SUITES),
        help="run only this suite (repeatable); default: every suite, each on its own corpus and index",
    )
    p.add_argument("--out", default="reports/eval", help="output directory (one subdirectory per suite)")
    p.add_argument("--backend", choices=BACKENDS, help="answer backend")
    p.add_argument("--k", type=int, help="passages retrieved and scored (default 5)")
    p.add_argument("--no-baseline", action="store_true", help="skip the plain llama-index baseline")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--judge",
        action="store_true",
        help="also score faithfulness with the configured OpenAI-compatible model as judge (a model's opinion)",
    )
    p.set_defaults(func=_cmd_eval)
    register_bench(sub)


def _cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from evals.bench import run_bench

    scales = tuple(int(s) for s in args.scales.split(",") if s.strip()) if args.scales else ()
    report = run_bench(settings, Path(args.out), scales=scales, cold=not args.warm_cache, max_questions=args.questions)
    print((Path(args.out) / "bench.md").read_text(encoding="utf-8"))
    missed = [name for name, t in report["targets"].items() if t["met"] is False]
    if missed:
        print("targets missed: " + ", ".join(missed), file=sys.stderr)
    return 0


def register_bench(sub) -> None:
    p = sub.add_parser("bench", help="benchmark ingest, retrieval, answers, memory and scale (vs the baseline)")
    p.add_argument("--out", default="reports/bench", help="output directory for bench.json and bench.md")
    p.add_argument("--scales", default="10000,100000", help="synthetic index sizes, comma-separated ('' for none)")
    p.add_argument("--warm-cache", action="store_true", help="reuse the data dir's embedding cache (not a cold ingest)")
    p.add_argument("--questions", type=int, help="use only the first N evaluation questions")
    p.set_defaults(func=_cmd_bench)
