"""Start the web app: check the index first, then serve on loopback with a bounded queue and no share link."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import gradio as gr

from assistant.core import Assistant
from core.errors import ConfigurationError
from core.settings import Settings
from ui import render, script, strings
from ui.app import ChatController, build_app
from ui.throttle import LoginThrottle

logger = logging.getLogger(__name__)

QUEUE_MAX_SIZE = 100  # waiting answers beyond this are turned away with Gradio's "queue full" message
WARMUP_QUESTION = strings.EXAMPLE_FACT


def auth_pair(settings: Settings) -> tuple[str, str] | None:
    if bool(settings.ui.username) != bool(settings.ui.password):
        raise ConfigurationError("set both RONGZHI_UI__USERNAME and RONGZHI_UI__PASSWORD for a login, or neither")
    return (settings.ui.username, settings.ui.password) if settings.ui.username else None


def login_check(settings: Settings) -> Callable[[str, str], Awaitable[bool]] | None:
    """The throttled password check Gradio calls on /login, or None when no login is configured."""
    pair = auth_pair(settings)
    if pair is None:
        return None
    ui = settings.ui
    throttle = LoginThrottle(
        *pair, ui.login_delay, ui.login_max_delay, ui.login_lockout_failures, ui.login_lockout_seconds
    )
    return throttle.check


def create_app(settings: Settings, warm: bool = True) -> tuple[gr.Blocks, ChatController]:
    assistant = Assistant(settings)
    assistant.state()  # IndexMissingError / StoreUnavailableError: say so before serving a page that cannot answer
    if warm:  # load the index and models now, so the first visitor does not wait for them
        # the extractive path loads the index and the embedder; a model server may take minutes to answer a first
        # question (143 s seen on 2 cores), and the page must not wait for it
        assistant.ask(WARMUP_QUESTION, backend="extractive")
    controller = ChatController(assistant, settings)
    app = build_app(controller)
    app.queue(default_concurrency_limit=settings.ui.concurrency, max_size=QUEUE_MAX_SIZE)
    return app, controller


def launch(settings: Settings, block: bool = True, warm: bool = True) -> gr.Blocks:
    auth = login_check(settings)
    app, _ = create_app(settings, warm)
    app.launch(
        server_name=settings.ui.host,
        server_port=settings.ui.port,
        share=False,
        auth=auth,
        auth_message=strings.LOGIN_MESSAGE if auth else None,
        prevent_thread_lock=True,  # returns once serving, so the address is printed when it is true
        show_error=False,
        quiet=True,
        css=render.PAGE_CSS,
        head=script.PAGE_HEAD,
        theme=gr.themes.Default(font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"]),
        footer_links=[],
        mcp_server=False,
        ssr_mode=False,
        pwa=False,
        max_file_size=settings.ui.max_upload_kb * 1024,
    )
    announce(settings)
    if block:
        app.block_thread()
    return app


def announce(settings: Settings) -> None:
    """One line on stdout once the app answers: what `make run` shows a person (a log line may be filtered out)."""
    url = f"http://{settings.ui.host}:{settings.ui.port}"
    logger.info("serving on %s", url)
    print(strings.STARTED.format(url=url), flush=True)
