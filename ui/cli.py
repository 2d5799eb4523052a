"""The `rongzhi` command: ingest, sources, ask, chat, eval, ui, bench."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import ingest  # noqa: F401  - sets the offline environment before any model library loads
from ingest.settings import Settings, get_settings

logger = logging.getLogger("rongzhi")


def _cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import run_ingest

    report = run_ingest(settings, [Path(p) for p in args.paths] or None, show_progress=not args.quiet)
    print(report.summary())
    return 0


def _cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.store import ChromaIndexStore

    state = ChromaIndexStore(settings).current_state()
    if state is None:
        print("No index yet. Build one with: rongzhi ingest", file=sys.stderr)
        return 1
    for source, paper in sorted(state.papers.items()):
        authors = "、".join(paper.get("authors") or []) or "-"
        venue = " ".join(str(x) for x in (paper.get("venue"), paper.get("year")) if x) or "-"
        print(f"{source}\t{paper['chunks']:>4} chunks\t{paper['title']}\t{authors}\t{venue}")
    print(f"{len(state.papers)} papers, {state.chunks} chunks, {state.tokens} tokens, embedder {state.embedder}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rongzhi", description="融智: grounded Q&A over the paper corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="chunk, embed and index the corpus (incremental)")
    p.add_argument("paths", nargs="*", help="files or folders to index (default: the corpus folder)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("sources", help="list the indexed papers")
    p.set_defaults(func=_cmd_sources)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands():
    """Subcommands contributed by the other packages (imported lazily: gradio is slow to import)."""
    from assistant.cli_commands import register as register_assistant
    from evals.cli_commands import register as register_evals
    from evals.cli_commands import register_bench
    from ui.cli_commands import register as register_ui

    return [register_assistant, register_evals, register_bench, register_ui]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args, get_settings())
    except KeyboardInterrupt:
        print("interrupted; the previous index is still the one being served", file=sys.stderr)
        return 130
    except Exception as exc:  # a CLI user gets one clear line, the traceback goes to the log
        logger.debug("command failed", exc_info=True)
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
