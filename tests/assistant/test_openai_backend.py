"""The openai backend against a real HTTP server on loopback (not a mocked client)."""

import re

import pytest

from assistant.conversation import Conversation
from assistant.core import Assistant
from assistant.prompts import FALLBACK_NOTICE, UNGROUNDED_NOTICE

QUESTION = "高新区如何通过揭榜挂帅机制激发创新活力？"


@pytest.fixture
def server(fake_openai):
    fake_openai.requests.clear()
    return fake_openai


def make_assistant(indexed_settings, server, model: str, timeout: float = 10.0) -> Assistant:
    settings = indexed_settings.updated(
        model={"base_url": server.base_url, "name": model, "timeout": timeout, "retries": 0}
    )
    return Assistant(settings)


def test_prompt_carries_sources_and_stream_arrives_in_pieces(indexed_settings, server) -> None:
    assistant = make_assistant(indexed_settings, server, "good")
    events = list(assistant.ask_stream(QUESTION, backend="openai"))
    deltas = [e.text for e in events if e.kind == "delta"]
    answer = events[-1].answer
    assert len(deltas) > 3  # streamed, not one block
    assert answer.backend == "openai" and not answer.refused and answer.notice is None
    request = server.requests[-1]
    assert request["stream"] is True
    system, user = request["messages"][0]["content"], request["messages"][1]["content"]
    assert "只依据给定资料" in system
    assert "[1]《" in user and answer.retrieved[0].text[:30] in user
    assert {c.n for c in answer.citations} <= {1, 2}
    assert answer.citations and all(s.supported for s in answer.sentences)


@pytest.mark.parametrize(
    ("model", "timeout", "notice"),
    [("error500", 10.0, FALLBACK_NOTICE), ("slow", 1.0, FALLBACK_NOTICE), ("garbage", 10.0, UNGROUNDED_NOTICE)],
)
def test_failures_fall_back_to_extractive_with_an_honest_notice(indexed_settings, server, model, timeout, notice):
    """An outage says the service was unavailable; an answer that could not be tied to the passages says so."""
    assistant = make_assistant(indexed_settings, server, model, timeout)
    events = list(assistant.ask_stream(QUESTION, backend="openai"))
    answer = events[-1].answer
    assert answer.backend == "extractive"
    assert answer.notice and answer.notice.startswith(notice.split("（")[0])
    assert answer.citations and "揭榜挂帅" in answer.text
    assert answer.timings_ms["total"] < (timeout + 5) * 1000


def test_endpoint_down_falls_back(indexed_settings) -> None:
    settings = indexed_settings.updated(model={"base_url": "http://127.0.0.1:9/v1", "timeout": 2.0, "retries": 0})
    answer = Assistant(settings).ask(QUESTION, backend="openai")
    assert answer.backend == "extractive" and answer.notice and answer.citations


def test_model_refusal_is_a_refusal(indexed_settings, server) -> None:
    answer = make_assistant(indexed_settings, server, "refuse").ask(QUESTION, backend="openai")
    assert answer.refused and answer.retrieved


def test_wrong_citation_numbers_are_dropped_and_re_pointed(indexed_settings, server) -> None:
    answer = make_assistant(indexed_settings, server, "wrong-citation").ask(QUESTION, backend="openai")
    # [9] points nowhere and is dropped; the sentence left unmarked and the one citing passage 1 for passage 2's
    # words are each attributed to the passage that holds them, and the text's markers say so.
    assert "[9]" not in answer.text
    assert answer.backend == "openai" and answer.sentences and not answer.unsupported
    for sentence in answer.sentences:
        assert len(sentence.citations) == 1 and sentence.text in answer.retrieved[sentence.citations[0] - 1].text
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)} == {c.n for c in answer.citations}


def test_followup_condensed_by_the_model(indexed_settings, server) -> None:
    assistant = make_assistant(indexed_settings, server, "condense")
    history = Conversation.from_messages(
        [{"role": "user", "content": "技术图谱是什么？"}, {"role": "assistant", "content": "1. 技术图谱是工具[1]"}]
    )
    answer = assistant.ask("它是哪篇文章提出的？", history, backend="openai")
    assert answer.standalone_question == "技术图谱是哪篇文章提出的？"
    assert any("后续问题" in m["content"] for r in server.requests for m in r["messages"])
