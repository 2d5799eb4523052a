"""Start the web app: check the index first, then serve on loopback with a bounded queue and no share link."""

from __future__ import annotations

import logging

import gradio as gr

from assistant.core import Assistant
from ingest.settings import Settings
from ingest.store import ChromaIndexStore
from ui import render, strings
from ui.app import ChatController, build_app

logger = logging.getLogger(__name__)

QUEUE_MAX_SIZE = 100  # waiting answers beyond this are turned away with Gradio's "queue full" message
WARMUP_QUESTION = strings.EXAMPLE_FACT


class UIStartError(RuntimeError):
    """The app cannot serve; the message says what to do."""


def check_index(settings: Settings) -> None:
    state = ChromaIndexStore(settings).current_state()  # StoreUnavailableError names an unreachable server
    if state is None:
        raise UIStartError(
            f"no index in {settings.data_dir}: build one first with `rongzhi ingest` (or `make run`), then start the UI"
        )


def auth_pair(settings: Settings) -> tuple[str, str] | None:
    if bool(settings.ui_username) != bool(settings.ui_password):
        raise UIStartError("set both RONGZHI_UI_USERNAME and RONGZHI_UI_PASSWORD for a login, or neither")
    return (settings.ui_username, settings.ui_password) if settings.ui_username else None


def create_app(settings: Settings, warm: bool = True) -> tuple[gr.Blocks, ChatController]:
    check_index(settings)
    assistant = Assistant(settings)
    if warm:  # load the index and models now, so the first visitor does not wait for them
        assistant.ask(WARMUP_QUESTION)
    controller = ChatController(assistant, settings)
    app = build_app(controller)
    app.queue(default_concurrency_limit=settings.ui_concurrency, max_size=QUEUE_MAX_SIZE)
    return app, controller


def launch(settings: Settings, block: bool = True, warm: bool = True) -> gr.Blocks:
    auth = auth_pair(settings)
    app, _ = create_app(settings, warm)
    logger.info("serving on http://%s:%d", settings.host, settings.port)
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=False,
        auth=auth,
        auth_message=strings.LOGIN_MESSAGE if auth else None,
        prevent_thread_lock=not block,
        show_error=False,
        quiet=True,
        css=render.PAGE_CSS,
        theme=gr.themes.Default(font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]),
        footer_links=[],
        mcp_server=False,
        ssr_mode=False,
        pwa=False,
    )
    return app
