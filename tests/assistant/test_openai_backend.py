"""The openai backend against a real HTTP server on loopback (not a mocked client)."""

import re

import pytest

from assistant import prompts
from assistant.conversation import Conversation
from assistant.core import Assistant
from assistant.prompts import FALLBACK_NOTICE, TIMEOUT_NOTICE, UNGROUNDED_NOTICE

QUESTION = "高新区如何通过揭榜挂帅机制激发创新活力？"


@pytest.fixture
def server(fake_openai):
    fake_openai.requests.clear()
    return fake_openai


def make_assistant(indexed_settings, server, model: str, timeout: float = 10.0) -> Assistant:
    settings = indexed_settings.updated(
        model={"base_url": server.base_url, "name": model, "first_token_timeout": timeout, "retries": 0}
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
    [("error500", 10.0, FALLBACK_NOTICE), ("slow", 1.0, TIMEOUT_NOTICE), ("garbage", 10.0, UNGROUNDED_NOTICE)],
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
    settings = indexed_settings.updated(
        model={"base_url": "http://127.0.0.1:9/v1", "first_token_timeout": 2.0, "retries": 0}
    )
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


# --- the three clocks, end to end, on a two-paper index (seconds to build) -------------------------------------
SMALL_QUESTION = "中试平台有什么作用？"
CLOCKS = {"first_token_timeout": 1.0, "token_timeout": 0.5, "answer_timeout": 10.0, "retries": 0}


@pytest.fixture(scope="module")
def small_settings(tmp_path_factory, make_settings, small_corpus, fake_openai):
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("clocks")
    settings = make_settings(root / "data", storage={"corpus_dir": small_corpus(root)})
    run_ingest(settings)
    good = settings.updated(model={"base_url": fake_openai.base_url, "name": "good", "retries": 0})
    Assistant(good).ask(SMALL_QUESTION, backend="openai")  # loads the HTTP client (~1.5 s) before the short clocks
    return settings


def clocked(small_settings, server, model: str, **clocks) -> Assistant:
    return Assistant(small_settings.updated(model={"base_url": server.base_url, "name": model, **CLOCKS, **clocks}))


def test_a_model_silent_before_its_first_token_gives_the_timeout_notice(small_settings, server) -> None:
    answer = clocked(small_settings, server, "stall-first:3").ask(SMALL_QUESTION, backend="openai")
    assert answer.backend == "extractive" and answer.citations and "中试平台" in answer.text
    reason = prompts.MODEL_NO_FIRST_TOKEN.format(seconds=CLOCKS["first_token_timeout"])
    assert answer.notice == prompts.TIMEOUT_NOTICE.format(reason=reason)
    # the model's own time (retrieval on a busy machine may take seconds more): the clock, not the server's 3 s
    assert answer.timings_ms["model"] < 2000 and "model_first_token" not in answer.timings_ms


def test_a_stream_that_stalls_midway_is_withdrawn_for_the_extractive_answer(small_settings, server) -> None:
    events = list(clocked(small_settings, server, "stall-mid:3").ask_stream(SMALL_QUESTION, backend="openai"))
    kinds = [e.kind for e in events]
    assert kinds.index("reset") > kinds.index("delta")  # what had streamed is taken back on screen
    answer = events[-1].answer
    assert answer.backend == "extractive" and answer.citations
    assert answer.notice == prompts.TIMEOUT_NOTICE.format(
        reason=prompts.MODEL_STALLED.format(seconds=CLOCKS["token_timeout"])
    )


def test_a_slow_steady_answer_under_the_ceiling_is_the_models(small_settings, server) -> None:
    answer = clocked(small_settings, server, "steady:0.3").ask(SMALL_QUESTION, backend="openai")
    assert answer.backend == "openai" and answer.notice is None and answer.citations
    clocks = CLOCKS["first_token_timeout"] + CLOCKS["token_timeout"]
    assert answer.timings_ms["model"] > clocks * 1000 > answer.timings_ms["model_first_token"]


def test_the_followup_rewrite_spends_from_the_questions_budget(small_settings, server) -> None:
    """Rewrite and answer share one ceiling: a rewrite that waits out its first-token clock leaves the answer the
    remainder (it runs out of the ceiling, not of a fresh first-token clock)."""
    history = Conversation.from_messages(
        [{"role": "user", "content": SMALL_QUESTION}, {"role": "assistant", "content": "1. 中试平台降低了转化风险[1]"}]
    )
    assistant = clocked(small_settings, server, "stall-first:3", answer_timeout=1.4)
    answer = assistant.ask("那它具体指什么？", history, backend="openai")
    # the rewrite was asked; the answer was asked with what was left, or not at all when nothing was
    assert "后续问题" in server.requests[0]["messages"][0]["content"] and len(server.requests) <= 2
    assert answer.notice == prompts.TIMEOUT_NOTICE.format(reason=prompts.MODEL_OVER_CEILING.format(seconds=1.4))
    assert answer.backend == "extractive" and answer.timings_ms["rewrite"] + answer.timings_ms["model"] < 2400
