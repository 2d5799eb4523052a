"""`rongzhi eval`."""

from __future__ import annotations

import argparse
from pathlib import Path

from evals.dataset import DEFAULT_DATASET
from ingest.settings import Settings


def _cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.report import summary_rows
    from evals.runner import run_eval

    run = run_eval(
        Path(args.dataset),
        Path(args.out),
        settings,
        backend=args.backend,
        k=args.k,
        baseline=not args.no_baseline,
        show_progress=not args.quiet,
    )
    print(f"{'metric':<34}{'rongzhi':>10}{'baseline':>10}{'ratio':>8}")
    for label, ours, theirs, ratio in summary_rows(run.report):
        print(f"{label:<34}{ours:>10}{theirs:>10}{ratio:>8}")
    latency = run.report["latency_ms"]["end_to_end"]
    print(
        f"latency p50 {latency['p50']} ms, p95 {latency['p95']} ms; "
        f"{run.report['summary']['failed_items']} of {run.report['summary']['items']} items with failures"
    )
    print(f"reports: {run.out_dir / 'report.html'}, {run.out_dir / 'report.md'}, {run.out_dir / 'results.jsonl'}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("eval", help="run an evaluation dataset and write results and reports")
    p.add_argument("--dataset", default=str(DEFAULT_DATASET), help="JSONL in the EVAL_SCHEMA.md format")
    p.add_argument("--out", default="reports/eval", help="output directory")
    p.add_argument("--backend", choices=["extractive", "openai", "llamacpp"], help="answer backend")
    p.add_argument("--k", type=int, help="passages retrieved and scored (default 5)")
    p.add_argument("--no-baseline", action="store_true", help="skip the plain llama-index baseline")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_eval)
