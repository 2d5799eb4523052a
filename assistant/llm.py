"""Generation backends that need a model: any OpenAI-compatible endpoint, or a local GGUF via llama-cpp."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from assistant import prompts
from assistant.answer import Passage
from core.errors import GenerationError
from core.settings import Settings

logger = logging.getLogger(__name__)


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
            timeout=settings.model.timeout,
            max_retries=settings.model.retries,
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


def stream_answer(llm: LLM, messages: list[ChatMessage], deadline_s: float) -> Iterator[str]:
    """Text deltas; raises GenerationError on transport errors or when the whole answer overruns the deadline."""
    started = time.monotonic()
    try:
        for chunk in llm.stream_chat(messages):
            if time.monotonic() - started > deadline_s:
                raise GenerationError("模型响应超时")
            if chunk.delta:
                yield chunk.delta
    except GenerationError:
        raise
    except Exception as exc:  # openai/httpx raise many types; all mean "no usable answer"
        logger.warning("generation failed: %s", exc)
        raise GenerationError(_reason(exc)) from exc


def complete(llm: LLM, prompt: str, deadline_s: float) -> str:
    return "".join(stream_answer(llm, [ChatMessage(role=MessageRole.USER, content=prompt)], deadline_s)).strip()


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if "Timeout" in name:
        return "模型响应超时"
    if "Connection" in name:
        return "无法连接模型服务"
    status = getattr(exc, "status_code", None)
    return f"模型服务返回错误 {status}" if status else f"模型调用失败（{name}）"
