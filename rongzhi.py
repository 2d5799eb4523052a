"""The `rongzhi` command: the composition root. Each package registers its own subcommands here.

    rongzhi ingest | sources   (ingest)
    rongzhi ask | chat         (assistant)
    rongzhi eval | bench       (evals)
    rongzhi ui                 (ui)

A ``RongzhiError`` is printed as one line (exit 1); ``-v`` adds progress logs and the traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys

from core.errors import RongzhiError
from core.offline import configure_offline
from core.settings import get_settings

logger = logging.getLogger("rongzhi")


def build_parser() -> argparse.ArgumentParser:
    # Imported here, after configure_offline(): these packages load model libraries.
    from assistant.cli import register as register_assistant
    from evals.cli import register as register_evals
    from ingest.cli import register as register_ingest
    from ui.cli import register as register_ui

    parser = argparse.ArgumentParser(prog="rongzhi", description="融智: grounded Q&A over Chinese documents")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details and tracebacks to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in (register_ingest, register_assistant, register_evals, register_ui):
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    configure_offline()
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
    except RongzhiError as exc:
        if args.verbose:
            logger.exception("command failed")
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
