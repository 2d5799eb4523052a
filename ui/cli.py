"""`rongzhi ui`: the web app."""

from __future__ import annotations

import argparse

from core.settings import Settings


def _cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    from ui.serve import launch

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    launch(settings.updated(ui=overrides))
    return 0


def register(sub) -> None:
    p = sub.add_parser("ui", help="serve the chat UI (default http://127.0.0.1:7860)")
    p.add_argument("--host", help="bind address (default RONGZHI_UI__HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default RONGZHI_UI__PORT or 7860)")
    p.set_defaults(func=_cmd_ui)
