"""`rongzhi ingest` and `rongzhi sources`."""

from __future__ import annotations

import argparse
from pathlib import Path

from core import papers
from core.errors import IndexMissingError
from core.settings import Settings


def _cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.pipeline import run_ingest

    report = run_ingest(settings, [Path(p) for p in args.paths] or None, show_progress=not args.quiet)
    print(report.summary())
    return 0


def _cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    from core.store import ChromaIndexStore

    state = ChromaIndexStore(settings).current_state()
    if state is None:
        raise IndexMissingError()
    for source, paper in sorted(state.papers.items()):
        authors = papers.authors_line(paper) or "-"
        venue = papers.venue_line(paper) or "-"
        print(f"{source}\t{paper['chunks']:>4} chunks\t{paper['title']}\t{authors}\t{venue}")
    print(f"{len(state.papers)} papers, {state.chunks} chunks, {state.tokens} tokens, embedder {state.embedder}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("ingest", help="chunk, embed and index the corpus (incremental)")
    p.add_argument("paths", nargs="*", help="files or folders to index (default: the corpus folder)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("sources", help="list the indexed papers")
    p.set_defaults(func=_cmd_sources)
