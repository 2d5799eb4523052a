"""The three clocks of a model call, against the scripted OpenAI-compatible server on loopback (real HTTP)."""

import time

import pytest

from assistant import prompts
from assistant.answer import Passage
from assistant.llm import (
    Budget,
    ModelTimeoutError,
    StageLimits,
    StreamTimings,
    answer_messages,
    build_llm,
    stream_answer,
)
from core.errors import GenerationError

# Inline passages, not from the shipped documents; the fake server answers with their first sentences.
GREENWAY = "城市绿道把公园和河岸连成一张步行网络。绿道两侧种植本地树种。"
LIBRARY = "社区图书馆延长了夜间开放时间。读者可以在线预约座位。"
PASSAGES = [
    Passage("c1", "a.md", "城市绿道规划", "一、总体", "body", GREENWAY, 0, len(GREENWAY), 1.0),
    Passage("c2", "b.md", "社区图书馆运营", "", "body", LIBRARY, 0, len(LIBRARY), 0.9),
]
MESSAGES = answer_messages("绿道和图书馆有什么变化？", PASSAGES)
# Fractions of a second, so a stall is seen quickly; the ratios are those of the defaults (first token > gap).
LIMITS = StageLimits(first_token=0.8, between_tokens=0.4)


@pytest.fixture(scope="module", autouse=True)
def warm_client(make_settings, tmp_path_factory, fake_openai) -> None:
    """The first model call of a process spends ~1.5 s loading the HTTP client, which would eat the short clocks."""
    llm = llm_for(make_settings, tmp_path_factory.mktemp("warm-llm"), fake_openai, "good")
    read(llm, StageLimits(30, 30), Budget(30))


def llm_for(make_settings, tmp_path, server, model: str):
    settings = make_settings(tmp_path, model={"base_url": server.base_url, "name": model, "retries": 0})
    return build_llm(settings, "openai")


def read(llm, limits: StageLimits, budget: Budget, timings: StreamTimings | None = None) -> tuple[str, float]:
    started = time.monotonic()
    text = "".join(stream_answer(llm, MESSAGES, limits, budget, timings))
    return text, time.monotonic() - started


def test_a_stall_before_the_first_token_is_a_timeout_named_so(make_settings, tmp_path, fake_openai) -> None:
    llm = llm_for(make_settings, tmp_path, fake_openai, "stall-first:3")
    started = time.monotonic()
    with pytest.raises(ModelTimeoutError) as caught:
        read(llm, LIMITS, Budget(10))
    assert str(caught.value) == prompts.MODEL_NO_FIRST_TOKEN.format(seconds=0.8)
    assert time.monotonic() - started < LIMITS.first_token + 1.0  # the empty role chunk the server sent is not a token


def test_a_stall_mid_stream_is_a_timeout_after_the_text_so_far(make_settings, tmp_path, fake_openai) -> None:
    llm = llm_for(make_settings, tmp_path, fake_openai, "stall-mid:3")
    received = []
    started = time.monotonic()
    with pytest.raises(ModelTimeoutError) as caught:
        for delta in stream_answer(llm, MESSAGES, LIMITS, Budget(10)):
            received.append(delta)
    assert len(received) == 2 and "城市绿道" in "".join(received)
    assert str(caught.value) == prompts.MODEL_STALLED.format(seconds=0.4)
    assert time.monotonic() - started < LIMITS.first_token + 1.0


def test_a_slow_but_steady_answer_is_not_cut_under_the_ceiling(make_settings, tmp_path, fake_openai) -> None:
    llm = llm_for(make_settings, tmp_path, fake_openai, "steady:0.25")
    timings = StreamTimings()
    text, seconds = read(llm, LIMITS, Budget(10), timings)
    # longer than both per-stage clocks together, yet whole: only the ceiling bounds a flowing answer
    assert seconds > LIMITS.first_token + LIMITS.between_tokens
    assert "[1]" in text and "[2]" in text and text.endswith("[2]")
    assert 0.2 < timings.first_token_s < LIMITS.first_token and timings.total_s >= seconds - 0.05


def test_the_ceiling_cuts_a_flowing_answer_that_runs_past_it(make_settings, tmp_path, fake_openai) -> None:
    llm = llm_for(make_settings, tmp_path, fake_openai, "steady:0.15")
    started = time.monotonic()
    with pytest.raises(ModelTimeoutError) as caught:
        read(llm, LIMITS, Budget(0.8))
    assert str(caught.value) == prompts.MODEL_OVER_CEILING.format(seconds=0.8)
    assert time.monotonic() - started < 0.8 + 1.0


def test_calls_of_one_question_share_one_budget(make_settings, tmp_path, fake_openai) -> None:
    """The follow-up rewrite spends from the question's budget; the answer gets what is left, not a new one."""
    llm = llm_for(make_settings, tmp_path, fake_openai, "steady:0.15")
    budget = Budget(1.5)
    read(llm, LIMITS, budget)  # six pieces, 0.15 s apart: about 0.9 s of the 1.5 s
    assert 0 < budget.remaining() < LIMITS.first_token
    with pytest.raises(ModelTimeoutError) as caught:
        read(llm, LIMITS, budget)
    assert str(caught.value) == prompts.MODEL_OVER_CEILING.format(seconds=1.5)


def test_an_unreachable_endpoint_is_not_called_a_timeout(make_settings, tmp_path) -> None:
    settings = make_settings(tmp_path, model={"base_url": "http://127.0.0.1:9/v1", "retries": 0})
    with pytest.raises(Exception) as caught:
        read(build_llm(settings, "openai"), StageLimits(5, 5), Budget(5))
    assert not isinstance(caught.value, ModelTimeoutError) and str(caught.value) == prompts.MODEL_UNREACHABLE


def test_a_failed_request_is_retried_under_the_clocks_and_an_abandoned_one_never(
    make_settings, tmp_path, fake_openai
) -> None:
    """Retries belong to the reader, not to the HTTP client: a 500 is asked again (retries=1: two requests); a
    stalled request that was given up on is not re-sent later by the thread that was still reading it."""
    fake_openai.requests.clear()
    with pytest.raises(GenerationError) as caught:
        read(llm_for(make_settings, tmp_path, fake_openai, "error500"), StageLimits(5, 5, retries=1), Budget(10))
    assert str(caught.value) == prompts.MODEL_HTTP_ERROR.format(status=500)
    assert [r["model"] for r in fake_openai.requests] == ["error500", "error500"]
    fake_openai.requests.clear()
    clocks = {"first_token_timeout": 0.3, "token_timeout": 0.3, "retries": 1}  # the socket times out at 1.3 s
    settings = make_settings(tmp_path, model={"base_url": fake_openai.base_url, "name": "slow", **clocks})
    with pytest.raises(ModelTimeoutError):
        read(build_llm(settings, "openai"), StageLimits.of(settings.model), Budget(10))
    time.sleep(2.5)  # past the socket's read timeout (1.3 s) in the abandoned thread, which sent no headers yet
    assert [r["model"] for r in fake_openai.requests] == ["slow"]
