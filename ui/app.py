"""The Gradio app: chat with streamed, cited answers, the evidence on screen, a paper filter, export and feedback.

Each browser session keeps its own conversation in a `gr.State`; the Assistant (index, models) is shared and
answers at most `ui_concurrency` questions at once, the rest wait in Gradio's queue.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import threading
import time
import urllib.request
import uuid
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr

from assistant import render as answer_render
from assistant.answer import Answer
from assistant.conversation import Conversation
from assistant.core import Assistant
from core import papers as paper_names
from core.errors import (
    CorruptIndexError,
    DamagedStoreError,
    IndexMissingError,
    InvalidQuestionError,
    StoreUnavailableError,
)
from core.settings import Settings
from ui import render, strings
from ui.feedback import FeedbackRejectedError, FeedbackStore

logger = logging.getLogger(__name__)


@dataclass
class Session:
    """One browser session: its conversation (what follow-ups are read against) and the chat as shown."""

    conversation: Conversation = field(default_factory=Conversation)
    chat: list[dict] = field(default_factory=list)

    @property
    def last_answer(self) -> Answer | None:
        return self.conversation.last_answer


@dataclass
class View:
    """Everything one turn updates, in the order of the event outputs."""

    question: str
    chat: list[dict]
    session: Session
    citations: str
    evidence: str
    export: str
    download: str | None
    error: str
    download_docx: str | None = None

    def outputs(self) -> tuple:
        return (
            self.question,
            self.chat,
            self.session,
            self.citations,
            self.evidence,
            self.export,
            gr.update(value=self.download, interactive=self.download is not None),
            gr.update(value=self.download_docx, interactive=self.download_docx is not None),
            self.error,
        )


# Markdown that would make the browser fetch or link something from a question: images and links (![x](url),
# [x][ref]) and bare autolinks are all introduced by these characters, so a backslash before each keeps them text.
_MARKDOWN_ACTIVE = re.compile(r"([!\[\]()`*_~\\])")


def user_turn(question: str) -> str:
    """The user's question as the chat shows it: HTML escaped and Markdown neutralised, so it reads as typed."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", answer_render.escape(question))


class ModelStatus:
    """Whether the answer model can be reached, for the status line: checked on a background thread at start and
    every ``ui.model_check_interval`` seconds, so neither start-up nor a page load ever waits on the model.

    The extractive backend needs no model and shows nothing about one; a model backend without an endpoint (or GGUF
    file) is 未配置; otherwise 检查中 until the first check, then 可用 or 不可用."""

    def __init__(self, settings: Settings, check: Callable[[], bool] | None = None) -> None:
        self.settings = settings
        self.backend = settings.answer.backend
        self._check = check or self._reachable
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.state: str | None = None  # None: the backend needs no model
        if self.backend != "extractive":
            self.state = strings.MODEL_CHECKING if self.configured else strings.MODEL_NOT_CONFIGURED

    @property
    def configured(self) -> bool:
        model = self.settings.model
        return bool(model.base_url) if self.backend == "openai" else model.gguf_path is not None

    def start(self) -> None:
        if self.state != strings.MODEL_CHECKING or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, daemon=True, name="rongzhi-model-status")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def check_now(self) -> str | None:
        """One check (on the caller's thread); the state it leaves."""
        try:
            ok = self._check()
        except Exception:  # a check that breaks says "unavailable", never takes the page down
            logger.warning("model status check failed", exc_info=True)
            ok = False
        state = strings.MODEL_AVAILABLE if ok else strings.MODEL_UNAVAILABLE
        if state != self.state:
            logger.info("model %s: %s", self.settings.model.name, "available" if ok else "unavailable")
        self.state = state
        return state

    def _run(self) -> None:
        while not self._stop.is_set():
            self.check_now()
            self._stop.wait(self.settings.ui.model_check_interval)

    def _reachable(self) -> bool:
        model = self.settings.model
        if self.backend == "llamacpp":
            return model.gguf_path is not None and model.gguf_path.is_file()
        # listing the models is cheap for every OpenAI-compatible server and costs it no generation
        request = urllib.request.Request(
            f"{(model.base_url or '').rstrip('/')}/models", headers={"Authorization": f"Bearer {model.api_key}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.ui.model_check_timeout) as response:
                return response.status == 200
        except (OSError, ValueError) as exc:  # refused, timed out, HTTP error status, malformed URL
            logger.debug("model endpoint check: %s", exc)
            return False


class ChatController:
    """The page's behaviour, separate from its layout so it can be driven without a browser."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        self.assistant = assistant
        self.settings = settings
        self.feedback = FeedbackStore(
            settings.storage.feedback_path,
            settings.ui.feedback_comment_chars,
            settings.ui.feedback_per_session,
            settings.ui.feedback_window,
        )
        self._export_dir = Path(tempfile.mkdtemp(prefix="rongzhi-export-"))
        # The age sweep in _write_export only runs on the next export; without this, every server or test run left
        # its folder in /tmp (217 after one CI run). Runs when the controller is collected or the process exits.
        self.close_exports = weakref.finalize(self, shutil.rmtree, self._export_dir, ignore_errors=True)
        self.model_status = ModelStatus(settings)
        self.model_status.start()  # in the background: the first check must not hold up the page
        # the checking thread must not outlive the page's controller (tests build many)
        weakref.finalize(self, self.model_status.stop)

    # --- index facts ---------------------------------------------------------------------------------
    def papers(self) -> answer_render.Papers:
        return self.assistant.state().papers

    def paper_choices(self) -> list[tuple[str, str]]:
        return [(paper_names.label(source, paper), source) for source, paper in sorted(self._papers_or_empty().items())]

    def status(self) -> str:
        try:
            state = self.assistant.state()
        except DamagedStoreError as exc:  # its one line names the file and the repair command
            return str(exc)
        except StoreUnavailableError:
            return strings.ERROR_STORE_DOWN
        except IndexMissingError as exc:
            return str(exc)
        return render.status_line(
            state.embedder, self.settings.answer.backend, len(state.papers), state.chunks, self.model_status.state
        )

    # --- a turn ------------------------------------------------------------------------------------
    def view(
        self, session: Session, question: str = "", error: str = "", downloads: tuple[str, str] | None = None
    ) -> View:
        papers = self._papers_or_empty()
        answer = session.last_answer
        return View(
            question=question,
            chat=list(session.chat),
            session=session,
            citations=render.citations_panel(answer, papers),
            evidence=render.evidence_panel(answer, papers),
            export=answer_render.to_briefing_markdown(self._answers(session), papers),
            download=downloads[0] if downloads else None,
            error=error,
            download_docx=downloads[1] if downloads else None,
        )

    @staticmethod
    def _answers(session: Session) -> list[Answer]:
        return [t.answer for t in session.conversation.turns if t.answer is not None]

    def _papers_or_empty(self) -> answer_render.Papers:
        try:
            return self.papers()
        except (StoreUnavailableError, IndexMissingError):
            return {}

    def respond(self, question: str, session: Session, sources: list[str] | None) -> Iterator[View]:
        """Stream one turn. On any failure the question stays in the box and the conversation is untouched."""
        try:
            cleaned = self.assistant.validate(question)
        except InvalidQuestionError as exc:
            yield self.view(session, question, error=str(exc))
            return
        pending = [*session.chat, {"role": "user", "content": user_turn(cleaned)}]
        shown = ""
        # The question stays in the box until the answer is complete: if the connection drops mid-answer the
        # person still has it and can send it again.
        yield self._pending_view(session, pending, strings.SEARCHING, question)
        try:
            answer = None
            # the raw text: its line breaks tell a pasted passage from the question after it (question_view)
            for event in self.assistant.ask_stream(question, session.conversation, sources=sources or None):
                if event.kind == "delta":
                    shown += event.text
                    yield self._pending_view(session, pending, answer_render.escape(shown), question)
                elif event.kind == "reset":
                    shown = ""
                elif event.kind == "final":
                    answer = event.answer
        except InvalidQuestionError as exc:
            yield self.view(session, question, error=str(exc))
            return
        except DamagedStoreError as exc:  # waiting does not help: the message names the file and the repair command
            logger.warning("vector store damaged: %s", exc)
            yield self.view(session, question, error=str(exc))
            return
        except StoreUnavailableError:
            logger.warning("vector store unavailable", exc_info=True)
            yield self.view(session, question, error=strings.ERROR_STORE_DOWN)
            return
        except (IndexMissingError, CorruptIndexError) as exc:  # their messages name the repair command
            yield self.view(session, question, error=str(exc))
            return
        except Exception as exc:  # the user gets a message and keeps the question; the log gets the traceback
            logger.exception("answer failed for %r", cleaned)
            yield self.view(session, question, error=strings.ERROR_GENERIC.format(reason=type(exc).__name__))
            return
        assert answer is not None
        turn = len(session.conversation) + 1  # in every citation id, so [n] opens this turn's passage
        bubble = answer_render.to_html(answer, self.papers(), turn)
        session.chat = [*pending, {"role": "assistant", "content": bubble}]
        session.conversation.add(answer)
        yield self.view(session, downloads=self._write_export(session))

    def _pending_view(self, session: Session, pending: list[dict], text: str, question: str) -> View:
        view = self.view(session, question)
        view.chat = [*pending, {"role": "assistant", "content": text}]
        return view

    def _write_export(self, session: Session) -> tuple[str, str]:
        """The whole conversation as a briefing, Markdown and Word; files older than export_max_age are removed."""
        cutoff = time.time() - self.settings.ui.export_max_age
        for old in self._export_dir.glob("rongzhi-*"):
            try:
                if old.stat().st_mtime < cutoff:
                    old.unlink()
            except FileNotFoundError:  # another session's turn removed it first
                pass
        stem = self._export_dir / f"rongzhi-{strings.EXPORT_FILE_STEM}-{uuid.uuid4().hex[:8]}"
        answers, papers = self._answers(session), self.papers()
        markdown = stem.with_suffix(".md")
        markdown.write_text(answer_render.to_briefing_markdown(answers, papers), encoding="utf-8")
        docx = answer_render.write_briefing_docx(answers, papers, stem.with_suffix(".docx"))
        return str(markdown), str(docx)

    def run_example(self, question: str, session: Session, sources: list[str] | None) -> Iterator[View]:
        """A demonstration question; the follow-up example first asks the list question it refers to."""
        if question == strings.EXAMPLE_FOLLOWUP and not session.conversation.turns:
            yield from self.respond(strings.EXAMPLE_LIST, session, sources)
        yield from self.respond(question, session, sources)

    def clear(self) -> View:
        """A new session: chat, conversation (what follow-ups are read against), panels and export together."""
        return self.view(Session())

    def rate(self, session: Session, message_index: int, liked: bool | str | None, comment: str = "") -> str:
        """👍/👎 on chat message ``message_index`` (with an optional reason): one record per answer, replaced by a
        later rating of the same answer. Returns the message shown under the chat."""
        turn = sum(1 for m in session.chat[: message_index + 1] if m.get("role") == "assistant")
        turns = session.conversation.turns
        if not 0 < turn <= len(turns) or turns[turn - 1].answer is None:
            return strings.FEEDBACK_NOTHING
        rating = "up" if liked is True else "down"
        try:
            self.feedback.record(turns[turn - 1].answer, rating, comment, session.conversation.id, turn)
        except FeedbackRejectedError as exc:
            return str(exc)
        except OSError as exc:
            logger.exception("feedback not saved")
            return strings.FEEDBACK_FAILED.format(reason=exc.strerror or exc)
        return strings.FEEDBACK_SAVED if comment.strip() else strings.FEEDBACK_ASK_REASON


def build_app(controller: ChatController) -> gr.Blocks:
    max_age = int(controller.settings.ui.export_max_age)
    # Gradio keeps its own copy of every download; it deletes them on the same schedule as our exports
    with gr.Blocks(title=strings.APP_TITLE, analytics_enabled=False, delete_cache=(max_age, max_age)) as app:
        session = gr.State(Session())
        gr.Markdown(f"## {strings.APP_TITLE}\n{strings.APP_INTRO}", elem_id="rz-intro")
        with gr.Row(elem_id="rz-top"):
            status = gr.Markdown(elem_id="rz-status", elem_classes=["rz-status"])
            classroom = gr.Checkbox(label=strings.CLASSROOM, value=False, elem_id="rz-classroom", scale=0)
        with gr.Row(elem_id="rz-main"):
            with gr.Column(scale=3, elem_id="rz-chat-col"):
                chatbot = gr.Chatbot(
                    label=strings.CHAT_LABEL,
                    elem_id="rz-chat",
                    height=560,
                    sanitize_html=True,
                    render_markdown=True,
                    latex_delimiters=[],  # corpus text is never typeset: "$$\\rule{3000px}…$$" stays text
                    autoscroll=False,  # the page script shows the start of a new answer, not its tail
                    buttons=["copy"],
                )
                error = gr.Markdown(elem_id="rz-error")
                # shown after 👍/👎 on an answer: an optional reason, saved onto the same record
                rated = gr.State(None)  # (message index, liked) of the last rating
                with gr.Row(elem_id="rz-reason-row"):
                    feedback_status = gr.Markdown(elem_id="rz-feedback-status")
                    comment = gr.Textbox(
                        label=strings.FEEDBACK_COMMENT,
                        lines=1,
                        elem_id="rz-comment",
                        max_length=controller.settings.ui.feedback_comment_chars,
                        visible=False,
                        scale=4,
                    )
                    save_reason = gr.Button(strings.FEEDBACK_SAVE_REASON, elem_id="rz-save-reason", visible=False)
                with gr.Row(elem_id="rz-ask-row"):
                    question = gr.Textbox(
                        label=strings.QUESTION_LABEL,
                        placeholder=strings.QUESTION_PLACEHOLDER,
                        elem_id="rz-question",
                        scale=5,
                        lines=1,
                        max_lines=6,
                    )
                    send = gr.Button(strings.SEND, variant="primary", elem_id="rz-send", scale=1)
                with gr.Row():
                    clear = gr.Button(strings.CLEAR, elem_id="rz-clear", size="sm")
                gr.Markdown(f"**{strings.EXAMPLES_LABEL}**", elem_id="rz-examples-label")
                with gr.Row(elem_id="rz-examples"):
                    example_buttons = [
                        (gr.Button(f"{kind}：{text}", size="sm", elem_classes=["rz-example"]), text)
                        for kind, text in strings.EXAMPLES
                    ]
            with gr.Column(scale=2, elem_id="rz-side"):
                # choices known when the page is built, so /ask accepts paper names without a prior page load
                papers = gr.CheckboxGroup(
                    choices=controller.paper_choices(), label=strings.FILTER_LABEL, elem_id="rz-filter"
                )
                with gr.Tabs():
                    with gr.Tab(strings.TAB_CITATIONS, elem_id="rz-tab-citations"):
                        citations = gr.HTML(render.citations_panel(None, {}), elem_id="rz-citations")
                    with gr.Tab(strings.TAB_EVIDENCE, elem_id="rz-tab-evidence"):
                        evidence = gr.HTML(render.evidence_panel(None, {}), elem_id="rz-evidence")
                    with gr.Tab(strings.TAB_EXPORT, elem_id="rz-tab-export"):
                        export = gr.Textbox(label=strings.EXPORT_LABEL, lines=12, buttons=["copy"], elem_id="rz-export")
                        with gr.Row():
                            download = gr.DownloadButton(
                                strings.EXPORT_DOWNLOAD, interactive=False, elem_id="rz-download-md"
                            )
                            download_docx = gr.DownloadButton(
                                strings.EXPORT_DOWNLOAD_DOCX, interactive=False, elem_id="rz-download-docx"
                            )

        turn_outputs = [question, chatbot, session, citations, evidence, export, download, download_docx, error]

        def on_ask(text: str, state: Session, sources: list[str]):
            for view in controller.respond(text, state, sources):
                yield view.outputs()

        def on_clear():
            return controller.clear().outputs()

        def on_load():
            return controller.status(), gr.update(choices=controller.paper_choices())

        # One public API endpoint ("/ask") for scripted clients such as the load test; every other event is
        # private (not in the API docs, not callable by Gradio's clients), so feedback cannot be scripted.
        private = "private"
        # No spinner or timer over the chat: the question is shown at once with SEARCHING under it.
        quiet = "hidden"
        question.submit(on_ask, [question, session, papers], turn_outputs, api_name="ask", show_progress=quiet)
        send.click(on_ask, [question, session, papers], turn_outputs, api_visibility=private, show_progress=quiet)
        clear.click(on_clear, None, turn_outputs, queue=False, api_visibility=private)
        # Gradio's own 🗑 on the chat empties only the screen; without this the next question would bring the old
        # conversation back and be read as its follow-up.
        chatbot.clear(on_clear, None, turn_outputs, queue=False, api_visibility=private)
        for button, text in example_buttons:

            def on_example(state: Session, sources: list[str], text: str = text):
                for view in controller.run_example(text, state, sources):
                    yield view.outputs()

            button.click(on_example, [session, papers], turn_outputs, api_visibility=private, show_progress=quiet)

        def on_like(state: Session, data: gr.LikeData):
            index = data.index if isinstance(data.index, int) else data.index[0]
            message = controller.rate(state, index, data.liked)
            shown = gr.update(visible=True)
            return message, gr.update(value="", visible=True), shown, (index, data.liked)

        def on_reason(text: str, state: Session, last: tuple | None):
            if last is None:
                return strings.FEEDBACK_NOTHING, text
            message = controller.rate(state, last[0], last[1], text)
            return message, "" if message == strings.FEEDBACK_SAVED else text

        chatbot.like(
            on_like, [session], [feedback_status, comment, save_reason, rated], queue=False, api_visibility=private
        )
        save_reason.click(
            on_reason, [comment, session, rated], [feedback_status, comment], queue=False, api_visibility=private
        )
        app.load(on_load, None, [status, papers], queue=False, api_visibility=private)
        if controller.model_status.state is not None:  # the model's state changes while a page is open
            timer = gr.Timer(controller.settings.ui.model_check_interval)
            timer.tick(controller.status, None, status, queue=False, api_visibility=private)
        # 演示模式 lives in the browser only (a class on <body>, remembered in localStorage): no server round trip
        classroom.change(None, [classroom], None, js="(on) => { window.rzClassroom(on); }", api_visibility=private)
        app.load(None, None, [classroom], js="() => window.rzClassroomRemembered()", api_visibility=private)
    return app
