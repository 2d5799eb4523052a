"""The Assistant: rewrite -> retrieve -> gate -> answer (extractive or model) -> verify citations."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from llama_index.core.llms import LLM

from assistant import prompts
from assistant.answer import Answer, Passage
from assistant.conversation import Conversation
from assistant.extractive import ExtractiveComposer, answer_lines
from assistant.followup import Rewrite, is_followup, rewrite
from assistant.gate import GateDecision, decide
from assistant.index import CorpusIndex
from assistant.llm import answer_messages, build_llm, complete, stream_answer
from assistant.question import QuestionProfile, clean_question, profile, question_content
from assistant.retrieval import HybridRetriever, chunk_passage
from assistant.safety import without_injections
from assistant.verify import (
    CitationVerifier,
    drop_unsupported,
    grounded_enough,
    make_citations,
    parse_answer,
    rewrite_markers,
    strip_dangling_markers,
)
from core.errors import GenerationError, InvalidQuestionError, UngroundedAnswerError
from core.papers import papers_named
from core.schema import IndexState, parent_section
from core.settings import BACKENDS, Settings, get_settings

logger = logging.getLogger(__name__)


@dataclass
class StreamEvent:
    kind: str  # "delta" (text to append), "reset" (discard streamed text), "final" (the complete Answer)
    text: str = ""
    answer: Answer | None = None


def keeps_the_point(condensed: str, question: str, rule_based: str) -> bool:
    """A model's rewrite of a follow-up must keep the follow-up's own terms ("哪篇…提出") and at least one term the
    rule-based rewrite took from the earlier turn (the antecedent); otherwise it answers another question."""
    own = profile(question).terms
    antecedent = [t for t in profile(rule_based).terms if t not in own]
    text = condensed.lower()
    return all(t in text for t in own) and (not antecedent or any(t in text for t in antecedent))


class Assistant:
    """Rewrite -> retrieve -> gate -> answer -> verify, over the index its collaborators read.

    Each collaborator can be passed in (a small index for a unit test, a different composer); the defaults are
    built from ``settings`` as the CLI and the UI use them.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        index: CorpusIndex | None = None,
        retriever: HybridRetriever | None = None,
        composer: ExtractiveComposer | None = None,
        llms: dict[str, LLM] | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self.index = index or CorpusIndex(self.settings)
        self.retriever = retriever or HybridRetriever(self.index, self.settings)
        self.composer = composer or ExtractiveComposer(self.idf, self.settings.answer.max_sentences)
        self._llms: dict[str, LLM] = dict(llms or {})

    # --- public API -------------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        sources: list[str] | None = None,
        backend: str | None = None,
    ) -> Answer:
        """The answer to ``question`` read against ``conversation`` (which this call does not change)."""
        final = None
        for event in self.ask_stream(question, conversation, sources, backend):
            if event.kind == "final":
                final = event.answer
        assert final is not None
        return final

    def ask_stream(
        self,
        question: str,
        conversation: Conversation | None = None,
        sources: list[str] | None = None,
        backend: str | None = None,
    ) -> Iterator[StreamEvent]:
        backend = backend or self.settings.answer.backend
        if backend not in BACKENDS:
            raise InvalidQuestionError(f"未知的回答方式：{backend}（可选 {', '.join(BACKENDS)}）")
        question = self.validate(question)
        self.validate_sources(sources)
        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[name] = round((now - clock) * 1000, 2)
            clock = now

        started = clock
        resolved = self._rewrite(question, conversation.messages() if conversation else None, backend)
        lap("rewrite")
        generation = self.index.current()
        named = papers_named(resolved.question, generation.state.papers)
        retrieval = self.retriever.retrieve(question_content(resolved.question), sources or list(named) or None)
        lap("retrieve")
        question_profile = profile(resolved.question)
        context = "".join(named.values()) + self._titles(sources)
        passages = without_injections(retrieval.passages)
        decision = decide(question_profile, passages, retrieval.best_dense, self.settings, context, generation.mentions)
        lap("gate")
        base = Answer(
            question=question,
            text="",
            refused=False,
            backend=backend,
            standalone_question=resolved.question,
            retrieved=passages,
            timings_ms=timings,
        )
        if not decision.answerable:
            logger.info(
                "refused %r: %s (dense %.3f, coverage %.2f)",
                question,
                decision.reason,
                decision.best_dense,
                decision.coverage,
            )
            answer = self._refusal(base, decision, sources)
            yield StreamEvent("delta", answer.text)
        elif backend == "extractive":
            answer = self._extractive(base, question_profile, resolved)
            yield StreamEvent("delta", answer.text)
        else:
            answer = yield from self._generate(base, question_profile, resolved, backend)
        set_aside = len(retrieval.passages) - len(passages)
        if set_aside:  # the reader learns that something was held back, and why
            notice = prompts.INSTRUCTION_PASSAGE_NOTICE.format(count=set_aside)
            answer.notice = f"{answer.notice}\n{notice}" if answer.notice else notice
        lap("answer")
        timings["total"] = round((time.perf_counter() - started) * 1000, 2)
        yield StreamEvent("final", answer=answer)

    def validate(self, question: str) -> str:
        if not isinstance(question, str):
            raise InvalidQuestionError(prompts.EMPTY_QUESTION)
        if len(question) > self.settings.answer.max_question_chars:
            raise InvalidQuestionError(
                prompts.QUESTION_TOO_LONG.format(length=len(question), limit=self.settings.answer.max_question_chars)
            )
        cleaned = clean_question(question)
        if not cleaned:
            raise InvalidQuestionError(prompts.EMPTY_QUESTION)
        return cleaned

    def validate_sources(self, sources: list[str] | None) -> None:
        """Only indexed paper names are accepted as filters (no paths, nothing outside the index)."""
        unknown = sorted(set(sources or []) - set(self.index.current().state.papers))
        if unknown:
            raise InvalidQuestionError(prompts.UNKNOWN_SOURCE.format(names="、".join(unknown)))

    def _titles(self, sources: list[str] | None) -> str:
        """Titles of the papers the user filtered to: the filter says what the question is about, so a passage
        need not repeat the paper's topic words to count as covering them."""
        papers = self.index.current().state.papers
        return "".join((papers.get(s) or {}).get("title") or "" for s in sources or [])

    def state(self) -> IndexState:
        """The published index being served (IndexMissingError / StoreUnavailableError say why there is none)."""
        return self.index.current().state

    def idf(self, term: str) -> float:
        return self.index.loaded().bm25.idf(term)

    # --- steps ------------------------------------------------------------------------------------------
    def _rewrite(self, question: str, history: list[dict] | None, backend: str) -> Rewrite:
        resolved = rewrite(question, history)
        if backend == "extractive" or resolved.mode in ("standalone", "more") or not is_followup(question, history):
            return resolved
        try:
            transcript = "\n".join(f"{t.get('role')}: {t.get('content', '')[:400]}" for t in (history or [])[-4:])
            prompt = prompts.CONDENSE_PROMPT.format(history=transcript, question=question)
            condensed = complete(self._llm(backend), prompt, self.settings.model.timeout).splitlines()[0].strip()
            if 4 <= len(condensed) <= 200 and keeps_the_point(condensed, question, resolved.question):
                return Rewrite(condensed, "llm", resolved.exclude)
            logger.info("model rewrite %r dropped the question's terms; using the rule-based rewrite", condensed)
        except (GenerationError, IndexError):
            logger.info("condense failed; using the rule-based rewrite")
        return resolved

    def _refusal(self, base: Answer, decision: GateDecision | None = None, sources: list[str] | None = None) -> Answer:
        """The refusal, then what is missing (the terms no evidence holds, or the figure no passage states) and
        the paper filter when one narrowed the search: an official should know what to look for elsewhere."""
        lines = [prompts.CANNOT_ANSWER]
        if decision is not None and decision.missing:
            lines.append(prompts.REFUSAL_MISSING.format(terms="、".join(f"“{t}”" for t in decision.missing)))
        elif decision is not None and decision.slot is not None:
            what = prompts.SLOT_WHAT.get(decision.slot.kind, prompts.SLOT_WHAT["quantity"])
            focus = "、".join(f"“{t}”" for t in decision.slot.focus) or prompts.SLOT_FOCUS_UNKNOWN
            lines.append(prompts.REFUSAL_SLOT.format(focus=focus, what=what))
        if sources:
            lines.append(prompts.REFUSAL_FILTER.format(titles=self._titles_line(sources)))
        base.text = "\n".join(lines)
        base.refused = True
        return base

    def _titles_line(self, sources: list[str]) -> str:
        papers = self.index.current().state.papers
        return "、".join(f"《{(papers.get(s) or {}).get('title') or s}》" for s in sources)

    def _finish(self, base: Answer, text: str, numbered: dict[int, Passage], embed_check: bool) -> Answer:
        generation = self.index.current()
        text = strip_dangling_markers(text, set(numbered))
        verifier = CitationVerifier(
            self.settings.answer.support_threshold,
            self.index.embedder.get_text_embedding_batch if embed_check else None,
        )
        parsed = parse_answer(text)
        checked = verifier.check(parsed, numbered)
        text = rewrite_markers(text, parsed, checked)  # unmarked or mis-numbered claims now cite their passage
        if self.settings.answer.drop_unsupported and any(not s.supported for s in checked):
            text = drop_unsupported(text, checked)
            checked = [s for s in checked if s.supported]
        base.text = text
        base.sentences = checked
        base.citations = make_citations(checked, numbered, generation.by_id)
        return base

    def _extractive(self, base: Answer, question: QuestionProfile, resolved: Rewrite) -> Answer:
        passages = list(base.retrieved)
        continuation = {}
        if question.kind == "list":
            continuation = self._continuations(passages)
            self._add_sibling_sections(passages)
        chosen = self.composer.select(question, passages, set(resolved.exclude) or None, continuation)
        if not chosen:
            return self._refusal(base)
        numbering: dict[int, int] = {}
        ordered = self.composer.order(chosen, passages)
        titles = [passages[e.passage_rank].title for e in ordered]
        lines = [self.composer.lead_in(question, resolved.mode, titles)]
        lines += answer_lines(ordered, lambda e: numbering.setdefault(e.passage_rank, len(numbering) + 1))
        numbered = {n: passages[rank] for rank, n in numbering.items()}
        return self._finish(base, "\n".join(lines), numbered, embed_check=False)

    def _add_sibling_sections(self, passages: list[Passage]) -> None:
        """Append the opening chunk of every sibling sub-section of the top passages, so a list answered by a
        section's sub-headings is complete even when retrieval found only some of them."""
        chunks = self.index.current().chunks
        present = {p.chunk_id for p in passages}
        for passage in passages[:3]:
            parent = parent_section(passage.section)
            if parent is None:
                continue
            seen_children: set[str] = set()
            for chunk in chunks:
                if chunk.source != passage.source or parent_section(chunk.section) != parent:
                    continue
                if chunk.section in seen_children:
                    continue
                seen_children.add(chunk.section)
                if chunk.chunk_id not in present:
                    present.add(chunk.chunk_id)
                    passages.append(chunk_passage(chunk))

    def _continuations(self, passages: list[Passage]) -> dict[int, int]:
        """Append the chunk that follows each top passage, so an enumeration cut by a chunk boundary (or
        announced at a chunk's end, "启示如下：") can be kept whole."""
        generation = self.index.current()
        continuation = {}
        for rank, passage in enumerate(passages[:3]):
            following = generation.next_chunk.get(passage.chunk_id)
            if following is None:
                continue
            passages.append(chunk_passage(generation.by_id[following]))
            continuation[rank] = len(passages) - 1
        return continuation

    def _generate(
        self, base: Answer, question: QuestionProfile, resolved: Rewrite, backend: str
    ) -> Iterator[StreamEvent]:
        numbered = {i: p for i, p in enumerate(base.retrieved, start=1)}
        streamed = ""
        try:
            llm = self._llm(backend)
            for delta in stream_answer(
                llm, answer_messages(resolved.question, base.retrieved), self.settings.model.timeout
            ):
                streamed += delta
                yield StreamEvent("delta", delta)
            text = streamed.strip()
            if prompts.CANNOT_ANSWER[:12] in text:
                return self._refusal(base)
            answer = self._finish(base, text, numbered, embed_check=True)
            if not answer.citations or not grounded_enough(answer.sentences, self.settings.answer.min_supported_share):
                raise UngroundedAnswerError("模型答案缺少有效引用")
            if answer.unsupported:
                answer.notice = prompts.UNSUPPORTED_NOTICE.format(count=len(answer.unsupported))
            return answer
        except GenerationError as exc:
            logger.warning("falling back to the extractive answer: %s", exc)
            if streamed:
                yield StreamEvent("reset")
            base.backend = "extractive"
            answer = self._extractive(base, question, resolved)
            # The service answering but failing the citation check is not an outage: say which it was.
            notice = prompts.UNGROUNDED_NOTICE if isinstance(exc, UngroundedAnswerError) else prompts.FALLBACK_NOTICE
            answer.notice = notice.format(reason=exc)
            yield StreamEvent("delta", answer.text)
            return answer

    def _llm(self, backend: str) -> LLM:
        if backend not in self._llms:
            self._llms[backend] = build_llm(self.settings, backend)
        return self._llms[backend]
