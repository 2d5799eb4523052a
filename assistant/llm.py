"""Generation backends that need a model: any OpenAI-compatible endpoint, or a local GGUF via llama-cpp.

Every model call runs under three clocks (settings.model): the first token, the silence between tokens, and a
ceiling for the whole question that the follow-up rewrite and the answer share (a ``Budget``). The stream is read
on a worker thread so a server that stops sending is noticed when a clock runs out, not when a socket gives up.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from assistant import prompts
from assistant.answer import Passage
from core.errors import GenerationError
from core.settings import ModelSettings, Settings

logger = logging.getLogger(__name__)


class ModelTimeoutError(GenerationError):
    """The model did not answer in time; the message names the clock that ran out."""


@dataclass(frozen=True)
class StageLimits:
    """Seconds allowed before the first token and between two tokens of one model call."""

    first_token: float
    between_tokens: float
    retries: int = 0  # new attempts after a failed request, while no token has come and the budget lasts

    @classmethod
    def of(cls, model: ModelSettings) -> StageLimits:
        return cls(model.first_token_timeout, model.token_timeout, model.retries)


class Budget:
    """One ceiling for every model call of a question: the rewrite spends from it and the answer gets the rest."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._deadline = clock() + seconds

    def remaining(self) -> float:
        return self._deadline - self._clock()


@dataclass
class StreamTimings:
    """What the caller learns about one call: seconds to the first token and in all (None: no token came)."""

    first_token_s: float | None = None
    total_s: float = 0.0


def build_llm(settings: Settings, backend: str) -> LLM:
    if backend == "openai":
        if not settings.model.base_url:
            raise GenerationError("未配置 RONGZHI_MODEL__BASE_URL")
        from llama_index.llms.openai_like import OpenAILike

        return OpenAILike(
            model=settings.model.name,
            api_base=settings.model.base_url,
            api_key=settings.model.api_key,
            is_chat_model=True,
            context_window=settings.model.context_window,
            max_tokens=settings.model.max_tokens,
            temperature=settings.model.temperature,
            # the socket's own read timeout only ends a worker thread we already stopped waiting for
            timeout=max(settings.model.first_token_timeout, settings.model.token_timeout) + 1.0,
            # retried by stream_answer under its clocks: the client's own retry would re-send the prompt from a
            # worker thread nobody waits for any more
            max_retries=0,
        )
    if backend == "llamacpp":
        if not settings.model.gguf_path or not settings.model.gguf_path.is_file():
            raise GenerationError("未配置可用的 GGUF 模型文件（RONGZHI_MODEL__GGUF_PATH）")
        try:
            from llama_index.llms.llama_cpp import LlamaCPP
        except ImportError as exc:
            raise GenerationError("未安装 rongzhi[local]（llama-cpp-python）") from exc
        return LlamaCPP(
            model_path=str(settings.model.gguf_path),
            temperature=settings.model.temperature,
            max_new_tokens=settings.model.max_tokens,
            context_window=settings.model.gguf_context_window,
        )
    raise GenerationError(f"unknown backend {backend}")


def format_sources(passages: list[Passage]) -> str:
    return "\n\n".join(
        prompts.SOURCE_TEMPLATE.format(n=i, title=p.title, section=f"·{p.section}" if p.section else "", text=p.text)
        for i, p in enumerate(passages, start=1)
    )


def answer_messages(question: str, passages: list[Passage]) -> list[ChatMessage]:
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=prompts.SYSTEM_PROMPT),
        ChatMessage(
            role=MessageRole.USER,
            content=prompts.USER_PROMPT.format(sources=format_sources(passages), question=question),
        ),
    ]


def build_judge_llm(settings: Settings) -> LLM:
    """The evaluation judge: settings.judge, each unset field taken from the answer model's."""
    judge, model = settings.judge, settings.model
    if not (judge.base_url or model.base_url):
        raise GenerationError("未配置 RONGZHI_JUDGE__BASE_URL（或 RONGZHI_MODEL__BASE_URL）")
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=judge_model_name(settings),
        api_base=judge.base_url or model.base_url,
        api_key=judge.api_key or model.api_key,
        is_chat_model=True,
        context_window=model.context_window,
        max_tokens=model.max_tokens,
        temperature=0.0,  # a verdict should not depend on sampling
        timeout=judge.timeout + 1.0,
        max_retries=0,  # retried by stream_answer (StageLimits.retries), as for the answer model
    )


def judge_model_name(settings: Settings) -> str:
    return settings.judge.name or settings.model.name


_DONE = object()


def _pump(llm: LLM, messages: list[ChatMessage], out: queue.Queue, stop: threading.Event) -> None:
    """Worker: put each non-empty text delta on ``out``, then _DONE or the exception; stop early when told.

    Only text counts as a token: servers send role-only and keep-alive chunks that say nothing about progress."""
    stream = None
    try:
        stream = llm.stream_chat(messages)
        for chunk in stream:
            if stop.is_set():
                break
            if chunk.delta:
                out.put(chunk.delta)
        out.put(_DONE)
    except Exception as exc:  # openai/httpx raise many types; the reader decides what they mean
        out.put(exc)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            try:
                close()  # ends the HTTP response, so the server stops generating for nobody
            except Exception:  # noqa: BLE001 - closing an abandoned stream must not raise into a dead thread
                logger.debug("closing an abandoned model stream failed", exc_info=True)


def stream_answer(
    llm: LLM,
    messages: list[ChatMessage],
    limits: StageLimits,
    budget: Budget,
    timings: StreamTimings | None = None,
) -> Iterator[str]:
    """Text deltas as they arrive; ModelTimeoutError when a clock runs out, GenerationError on transport errors."""
    timings = timings if timings is not None else StreamTimings()
    started = time.monotonic()
    if budget.remaining() <= 0:
        raise ModelTimeoutError(prompts.MODEL_OVER_CEILING.format(seconds=budget.seconds))
    retries = limits.retries

    def attempt() -> tuple[queue.Queue, threading.Event]:
        out: queue.Queue = queue.Queue()
        stop = threading.Event()
        worker = threading.Thread(target=_pump, args=(llm, messages, out, stop), daemon=True, name="rongzhi-model")
        worker.start()
        return out, stop

    out, stop = attempt()
    try:
        while True:
            first = timings.first_token_s is None
            stage = limits.first_token if first else limits.between_tokens
            left = budget.remaining()
            try:
                item = out.get(timeout=max(0.0, min(stage, left)))
            except queue.Empty:
                if left <= stage:
                    reason = prompts.MODEL_OVER_CEILING.format(seconds=budget.seconds)
                else:
                    reason = (prompts.MODEL_NO_FIRST_TOKEN if first else prompts.MODEL_STALLED).format(seconds=stage)
                logger.warning("model call abandoned: %s", reason)
                raise ModelTimeoutError(reason) from None
            if item is _DONE:
                return
            if isinstance(item, Exception):
                logger.warning("generation failed: %s", item)
                if retries and first and budget.remaining() > 0:  # nothing shown yet: ask again
                    retries -= 1
                    out, stop = attempt()
                    continue
                error = ModelTimeoutError if "Timeout" in type(item).__name__ else GenerationError
                raise error(_reason(item)) from item
            if first:
                timings.first_token_s = time.monotonic() - started
            yield item
    finally:
        stop.set()
        timings.total_s = time.monotonic() - started


def complete(llm: LLM, prompt: str, limits: StageLimits, budget: Budget) -> str:
    messages = [ChatMessage(role=MessageRole.USER, content=prompt)]
    return "".join(stream_answer(llm, messages, limits, budget)).strip()


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if "Timeout" in name:
        return prompts.MODEL_TIMED_OUT
    if "Connection" in name:
        return prompts.MODEL_UNREACHABLE
    status = getattr(exc, "status_code", None)
    return prompts.MODEL_HTTP_ERROR.format(status=status) if status else prompts.MODEL_CALL_FAILED.format(name=name)
