"""The page's behaviour without a browser: turns, sessions, examples, bad input and feedback."""

import os
import time
from pathlib import Path

import pytest

from assistant import prompts
from assistant.prompts import CANNOT_ANSWER, EMPTY_QUESTION
from ui import strings
from ui.app import ChatController, Session

ONLY = "002_1028a8bc601cd370.txt"


@pytest.fixture
def controller(assistant, indexed_settings, tmp_path) -> ChatController:
    settings = indexed_settings.updated(storage={"data_dir": tmp_path})  # feedback goes to tmp
    return ChatController(assistant, settings)


def last(views) -> object:
    *_, view = views
    return view


def test_a_turn_streams_then_shows_answer_sources_evidence_and_export(controller) -> None:
    session = Session()
    views = list(controller.respond("成都高新区用什么机制攻克关键核心技术难题？", session, []))
    assert len(views) >= 2 and views[0].chat[-1]["content"] != views[-1].chat[-1]["content"]
    final = views[-1]
    bubble = final.chat[-1]["content"]
    assert final.chat[-2] == {"role": "user", "content": "成都高新区用什么机制攻克关键核心技术难题？"}
    assert "揭榜挂帅" in bubble and "<mark>" in bubble and "rz-t1-cite-1" in bubble
    assert "<mark>" in final.citations and "rz-evidence-item" in final.evidence
    assert "揭榜挂帅" in final.export and final.download and final.download.endswith(".md")
    assert final.question == "" and final.error == ""
    assert len(session.conversation) == 1 and session.last_answer is not None


def test_bad_input_keeps_the_question_and_the_conversation(controller) -> None:
    session = Session()
    last(controller.respond("成都高新区用什么机制攻克关键核心技术难题？", session, []))
    before = list(session.chat)
    for bad in ("   ", "\x00\x07", "问" * 100_000):
        view = last(controller.respond(bad, session, []))
        assert view.error and view.question == bad and view.chat == before
    assert last(controller.respond("  ", session, [])).error == EMPTY_QUESTION


def test_sessions_do_not_share_history(controller) -> None:
    first, second = Session(), Session()
    last(controller.respond("科技创新与产业创新融合面临哪些障碍？", first, []))
    view = last(controller.respond("那第二条具体指什么？", second, []))
    assert second.conversation.turns[0].question == "那第二条具体指什么？" and len(first.conversation) == 1
    assert view.session is second and first.chat != second.chat


def test_the_followup_example_first_asks_the_list_question_it_refers_to(controller) -> None:
    session = Session()
    last(controller.run_example(strings.EXAMPLE_FOLLOWUP, session, []))
    assert [t.question for t in session.conversation.turns] == [strings.EXAMPLE_LIST, strings.EXAMPLE_FOLLOWUP]
    assert session.last_answer.standalone_question != strings.EXAMPLE_FOLLOWUP  # resolved against turn one
    assert not session.last_answer.refused


def test_every_example_behaves_as_its_label_says(controller) -> None:
    for kind, question in strings.EXAMPLES:
        answer = last(controller.run_example(question, Session(), [])).session.last_answer
        assert answer.refused == (question == strings.EXAMPLE_UNANSWERABLE), (kind, answer.text)
        assert answer.refused or answer.citations


def test_refusal_and_paper_filter(controller) -> None:
    session = Session()
    view = last(controller.respond(strings.EXAMPLE_UNANSWERABLE, session, []))
    assert CANNOT_ANSWER in view.chat[-1]["content"] and strings.RELATED_HEADING in view.citations
    view = last(controller.respond("科技创新与产业创新融合面临哪些挑战？", session, [ONLY]))
    assert {c.source for c in session.last_answer.citations} == {ONLY}


def test_each_answer_has_one_rating_that_a_later_one_replaces(controller) -> None:
    session = Session()
    assert controller.rate(session, 1, True) == strings.FEEDBACK_NOTHING
    last(controller.respond("成都高新区用什么机制攻克关键核心技术难题？", session, []))
    last(controller.respond("科技创新与产业创新融合面临哪些障碍？", session, []))
    assert controller.rate(session, 1, False) == strings.FEEDBACK_ASK_REASON  # 👎 on the first answer
    assert controller.rate(session, 3, True) == strings.FEEDBACK_ASK_REASON  # 👍 on the second
    assert controller.rate(session, 1, True, "其实有帮助") == strings.FEEDBACK_SAVED  # changed mind, with a reason
    first, second = sorted(controller.feedback.entries(), key=lambda e: e["turn"])
    assert (first["turn"], first["rating"], first["comment"]) == (1, "up", "其实有帮助") and "揭榜挂帅" in first[
        "answer"
    ]
    assert (second["turn"], second["rating"]) == (2, "up") and first["session"] == session.conversation.id


def test_paper_choices_and_status_come_from_the_index(controller) -> None:
    choices = controller.paper_choices()
    assert len(choices) == 5 and all(label.startswith("《") for label, _ in choices)
    assert "5 篇论文" in controller.status()


@pytest.fixture
def small_controller(tmp_path, make_settings, small_corpus) -> ChatController:
    """A controller over a two-paper index built here (seconds), for checks that need no real corpus."""
    from assistant.core import Assistant
    from ingest.pipeline import run_ingest

    settings = make_settings(tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)})
    run_ingest(settings)
    return ChatController(Assistant(settings), settings)


@pytest.mark.parametrize(
    "markup",
    [
        "![x](http://127.0.0.1:9/pixel.png)",
        "[点这里](http://127.0.0.1:9/login)",
        "![x][1]\n\n[1]: http://127.0.0.1:9/p.png",
    ],
)
def test_markdown_images_and_links_in_a_question_are_shown_as_typed(small_controller, markup: str) -> None:
    from markdown_it import MarkdownIt

    view = last(small_controller.respond(f"{markup} 揭榜挂帅机制如何激发创新活力？", Session(), []))
    user = view.chat[0]["content"]
    rendered = MarkdownIt("commonmark").render(user)  # what a Markdown renderer makes of the user's turn
    assert "<img" not in rendered and "<a " not in rendered
    assert "http://127.0.0.1:9/" in rendered  # the text itself is still there to read


def test_old_export_files_are_removed(small_controller) -> None:
    first = last(small_controller.respond("揭榜挂帅机制如何激发创新活力？", Session(), [])).download
    assert first and Path(first).is_file()
    stale = time.time() - small_controller.settings.ui.export_max_age - 10
    os.utime(first, (stale, stale))
    second = last(small_controller.respond("中试平台有什么作用？", Session(), [])).download
    assert Path(second).is_file() and not Path(first).exists()
    assert len(list(Path(second).parent.glob("rongzhi-*.md"))) == 1


def test_the_question_shows_at_once_with_searching_and_stays_in_the_box_until_answered(controller) -> None:
    views = list(controller.respond("成都高新区用什么机制攻克关键核心技术难题？", Session(), []))
    first = views[0]
    assert first.chat[-1] == {"role": "assistant", "content": strings.SEARCHING}
    assert first.chat[-2]["role"] == "user" and first.question == "成都高新区用什么机制攻克关键核心技术难题？"
    assert views[-1].question == ""


def test_clear_starts_a_new_conversation_with_empty_panels(controller) -> None:
    session = Session()
    last(controller.respond("科技创新与产业创新融合面临哪些障碍？", session, []))
    view = controller.clear()
    assert view.session is not session and len(view.session.conversation) == 0 and view.chat == []
    assert view.export == "" and view.download is None and strings.NO_ANSWER_YET in view.citations


def test_the_briefing_covers_every_turn_in_markdown_and_word(controller) -> None:
    from docx import Document

    session = Session()
    last(controller.respond("成都高新区用什么机制攻克关键核心技术难题？", session, []))
    last(controller.respond(strings.EXAMPLE_LIST, session, []))
    final = last(controller.respond(strings.EXAMPLE_UNANSWERABLE, session, []))
    assert final.export.count("## 1. ") == 1 and "## 2. " in final.export and "[^1]: 《" in final.export
    assert f"- {strings.EXAMPLE_UNANSWERABLE}" in final.export.split(prompts.BRIEFING_NOT_COVERED)[1]
    assert final.download.endswith(".md") and final.download_docx.endswith(".docx")
    text = "\n".join(p.text for p in Document(final.download_docx).paragraphs)
    assert prompts.BRIEFING_NOT_COVERED in text and "[1] 《" in text and strings.EXAMPLE_UNANSWERABLE in text


def test_the_export_folder_is_removed_when_the_controller_closes(small_controller) -> None:
    download = last(small_controller.respond("揭榜挂帅机制如何激发创新活力？", Session(), [])).download
    folder = Path(download).parent
    small_controller.close_exports()  # what garbage collection or interpreter exit does
    assert not folder.exists()


# --- the model's state in the status line ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_index_settings(tmp_path_factory, make_settings, small_corpus):
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("status")
    settings = make_settings(root / "data", storage={"corpus_dir": small_corpus(root)})
    run_ingest(settings)
    return settings


def model_controller(settings, **model) -> ChatController:
    from assistant.core import Assistant

    settings = settings.updated(
        answer={"backend": "openai"}, model=model, ui={"model_check_interval": 0.2, "model_check_timeout": 0.3}
    )
    return ChatController(Assistant(settings), settings)


def wait_for(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_the_extractive_backend_shows_nothing_about_a_model(small_controller) -> None:
    status = small_controller.status()
    model_part = strings.STATUS_MODEL.split("{")[0]  # "　|　模型：" (the embedder's name says 嵌入模型：)
    assert "篇论文" in status and model_part not in status and small_controller.model_status._thread is None


def test_a_reachable_model_endpoint_shows_as_available(small_index_settings, fake_openai) -> None:
    controller = model_controller(small_index_settings, base_url=fake_openai.base_url)
    try:
        available = strings.STATUS_MODEL.format(state=strings.MODEL_AVAILABLE)
        assert wait_for(lambda: controller.status().endswith(available))
        assert "/v1/models" in fake_openai.checks  # a model list, not a generation
    finally:
        controller.model_status.stop()


def test_start_up_never_waits_for_a_model_that_does_not_answer(small_index_settings) -> None:
    """An endpoint that accepts connections and never replies: the controller is ready at once, the line says
    检查中 until the check's own short timeout, then 不可用."""
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.monotonic()
        controller = model_controller(small_index_settings, base_url=f"http://127.0.0.1:{silent.getsockname()[1]}/v1")
        try:
            first = controller.status()
            assert time.monotonic() - started < 0.25 + 2.0  # building the Assistant, not waiting on the model
            assert first.endswith(strings.STATUS_MODEL.format(state=strings.MODEL_CHECKING))
            unavailable = strings.STATUS_MODEL.format(state=strings.MODEL_UNAVAILABLE)
            assert wait_for(lambda: controller.status().endswith(unavailable))
        finally:
            controller.model_status.stop()


def test_a_model_backend_without_an_endpoint_is_not_configured(small_index_settings) -> None:
    controller = model_controller(small_index_settings, base_url=None)
    assert controller.status().endswith(strings.STATUS_MODEL.format(state=strings.MODEL_NOT_CONFIGURED))
    assert controller.model_status._thread is None  # nothing to check


def test_the_model_is_checked_again_at_the_interval(small_index_settings) -> None:
    from ui.app import ModelStatus

    answers = iter([True, False, True])
    calls, states = [], []  # when each check ran, and the state the previous check had left

    def check() -> bool:
        calls.append(time.monotonic())
        states.append(status.state)
        return next(answers, True)

    settings = small_index_settings.updated(
        answer={"backend": "openai"}, model={"base_url": "http://unused"}, ui={"model_check_interval": 0.1}
    )
    status = ModelStatus(settings, check)
    status.start()
    try:
        assert wait_for(lambda: len(calls) >= 4)
    finally:
        status.stop()
    # it was checked, went down, came back: each check's result is what the status line showed until the next
    assert states[:4] == [
        strings.MODEL_CHECKING,
        strings.MODEL_AVAILABLE,
        strings.MODEL_UNAVAILABLE,
        strings.MODEL_AVAILABLE,
    ]
    assert all(b - a >= 0.09 for a, b in zip(calls, calls[1:], strict=False))  # at the interval, not a busy loop


def test_a_damaged_store_shows_its_one_line_repair_message(tmp_path, make_settings, small_corpus) -> None:
    from assistant.core import Assistant
    from ingest.pipeline import run_ingest

    settings = make_settings(tmp_path / "data", storage={"corpus_dir": small_corpus(tmp_path)})
    run_ingest(settings)
    database = settings.storage.data_dir / "chroma" / "chroma.sqlite3"
    database.write_bytes(b"\x00garbled\xff" * 4096)  # what a disk error or a stray write leaves behind
    controller = ChatController(Assistant(settings), settings)

    view = last(controller.respond("揭榜挂帅机制如何激发创新活力？", Session(), []))
    for shown in (view.error, controller.status()):
        assert shown != strings.ERROR_STORE_DOWN
        assert "\n" not in shown and str(database) in shown and "rongzhi ingest" in shown
    assert view.question == "揭榜挂帅机制如何激发创新活力？"  # the question stays in the box
