"""The Assistant: rewrite -> retrieve -> gate -> answer (extractive or model) -> verify citations."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from copy import copy
from dataclasses import dataclass, field, replace
from typing import Any

from llama_index.core.llms import LLM

from assistant import prompts
from assistant.answer import Answer, AnswerSentence, Citation, Passage
from assistant.conversation import Conversation
from assistant.extractive import (
    DEFAULT_WEIGHTS,
    Extract,
    ExtractiveComposer,
    answer_lines,
    compare_lines,
    form_blank,
    shown_text,
)
from assistant.followup import Rewrite, elliptic, is_followup, rewrite, substituted
from assistant.gate import (
    GateDecision,
    Part,
    asked_parts,
    cited_only_titles,
    decide,
    part_headings,
    parts_by_source,
    split_missing,
)
from assistant.index import CorpusIndex, Generation
from assistant.llm import (
    Budget,
    ModelTimeoutError,
    StageLimits,
    StreamTimings,
    answer_messages,
    build_llm,
    complete,
    stream_answer,
)
from assistant.metadata import (
    DocumentAnswer,
    DocumentFacts,
    Located,
    content_turns,
    following_items,
    locate,
    metadata_answer,
    named_papers,
    previous_quotes,
    source_answer,
)
from assistant.question import (
    QuestionProfile,
    asks_division,
    clean_question,
    content_terms,
    profile,
    question_content,
    question_parts,
    question_view,
    subject_of,
    with_full_years,
    without_localizers,
)
from assistant.render import block_headings
from assistant.retrieval import (
    HybridRetriever,
    RetrievalResult,
    chunk_passage,
    following_chunks,
    section_evidence,
    with_leads,
    with_own_dates,
    without_names,
)
from assistant.safety import without_injections
from assistant.slots import asked_clause_start, fills, find_slot, is_item_head, without_slot_words
from assistant.verify import (
    CitationVerifier,
    drop_unsupported,
    grounded_enough,
    make_citations,
    parse_answer,
    rewrite_markers,
    strip_dangling_markers,
)
from core.embeddings import EMBEDDING_CACHE_NAME
from core.enumeration import item_label, item_reference
from core.errors import GenerationError, InvalidQuestionError, UngroundedAnswerError
from core.instructions import stored_or_computed
from core.papers import said_in_full, shown_title
from core.schema import IndexState, parent_section
from core.sentences import split_sentences
from core.settings import BACKENDS, Settings, get_settings
from core.tokenize import pos_tags

logger = logging.getLogger(__name__)
_NUMBER = re.compile(r"\[(\d{1,2})\]")  # a citation marker as the composers write it
# A refusal names the asked clause as written up to this length (a colloquial question's clause runs 8-20
# characters; a pasted paragraph's would not read as the name of what is missing)
_ASKED_CLAUSE_CHARS = 30


@dataclass
class StreamEvent:
    kind: str  # "delta" (text to append), "reset" (discard streamed text), "final" (the complete Answer)
    text: str = ""
    answer: Answer | None = None


def merge_answers(question: str, parts: list[str], answers: list[Answer]) -> Answer:
    """One answer of several questions' answers: a heading per question, each block's [n] renumbered after the
    blocks before it, citations and checked sentences renumbered alike, the retrieved passages interleaved (each
    question's best first). A quote an earlier block cited keeps its number: "何时施行，有效期到哪年" is answered
    twice by one sentence, which is one source, not two. A refused part says so in its block, with its reason."""
    lines: list[str] = []
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    numbers: dict[tuple[str, int, int], int] = {}
    for n, (part, answer) in enumerate(zip(parts, answers, strict=True), start=1):
        lines.append(prompts.PART_HEADING.format(n=n, question=part))
        if answer.refused:
            lines += [prompts.PART_NOT_FOUND, *answer.text.splitlines()[1:]]
            continue
        renumbered: dict[int, int] = {}
        for citation in answer.citations:
            key = (citation.chunk_id, citation.char_start, citation.char_end)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                citations.append(replace(citation, n=numbers[key]))
            renumbered[citation.n] = numbers[key]
        shift = lambda m, r=renumbered: f"[{r.get(int(m.group(1)), int(m.group(1)))}]"  # noqa: E731
        lines += [_NUMBER.sub(shift, line) for line in answer.text.splitlines()]
        sentences += [replace(s, citations=[renumbered.get(c, c) for c in s.citations]) for s in answer.sentences]
    retrieved: list[Passage] = []
    for rank in range(max(len(a.retrieved) for a in answers)):
        for answer in answers:
            if rank < len(answer.retrieved) and answer.retrieved[rank].chunk_id not in {p.chunk_id for p in retrieved}:
                retrieved.append(answer.retrieved[rank])
    notices = [a.notice for a in answers if a.notice]
    return Answer(
        question=question,
        text="\n".join(lines),
        refused=all(a.refused for a in answers),
        backend=answers[0].backend,
        standalone_question=question,
        citations=citations,
        retrieved=retrieved,
        sentences=sentences,
        notice="\n".join(dict.fromkeys(notices)) or None,
    )


def _merged_after_whole(question: str, parts: list[str], answers: list[Answer], whole: Answer) -> Answer:
    """The parts' answers merged, with what the whole question retrieved first among the passages."""
    merged = merge_answers(question, parts, answers)
    seen = {p.chunk_id for p in whole.retrieved}
    merged.retrieved = [*whole.retrieved, *(p for p in merged.retrieved if p.chunk_id not in seen)]
    return merged


def keeps_the_point(condensed: str, question: str, rule_based: str) -> bool:
    """A model's rewrite of a follow-up must keep the follow-up's own terms ("哪篇…提出") and at least one term the
    rule-based rewrite took from the earlier turn (the antecedent); otherwise it answers another question."""
    own = profile(question).terms
    antecedent = [t for t in profile(rule_based).terms if t not in own]
    text = condensed.lower()
    return all(t in text for t in own) and (not antecedent or any(t in text for t in antecedent))


# jieba tags of a verb or preposition right before "第X条": the article is what the asked thing is done against or
# according to ("违反第X条会怎样处理", "依照第X条…"), so the answer is another article's text, not its own.
_ACTING_TAGS = ("v", "p")


def _asks_for_itself(question: str, written: str) -> bool:
    """The question asks what the article ``written`` says ("…办法第X条是怎么规定的？", "第X条说了什么"), not what
    follows from it."""
    at = question.find(written)
    end, tag = 0, ""
    for word, word_tag in pos_tags(question):
        if end + len(word) > at:
            break
        end, tag = end + len(word), word_tag
    return not (end == at and tag in _ACTING_TAGS)


@dataclass
class Evidence:
    """What the refusal gate weighs for one standalone question."""

    question: QuestionProfile
    retrieval: RetrievalResult
    passages: list[Passage]  # retrieved, instruction-like passages set aside
    context: str  # names and titles of the documents the question names or is filtered to
    mentions: Callable[[str], bool]
    documents: dict[str, frozenset[Part]]  # title → numbered parts of those documents
    corpus_parts: frozenset[Part]
    cited_only: dict[str, tuple[str, ...]] = field(default_factory=dict)  # titles cited, not held → their forms
    idf: Callable[[str], float] | None = None  # how rare a term is in the indexed passages
    mentions_contracted: Callable[[str, int], bool] | None = None  # said as written or in a longer form

    def decide(self, settings: Settings) -> GateDecision:
        decision = decide(
            self.question,
            self.passages,
            self.retrieval.best_dense,
            settings,
            self.context,
            self.mentions,
            self.documents,
            self.corpus_parts,
            self.cited_only,
            self.idf,
            self.mentions_contracted,
        )
        return split_missing(decision, self.mentions)


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
        answer = self.settings.answer
        self.composer = composer or ExtractiveComposer(
            self.idf,
            answer.max_sentences,
            replace(DEFAULT_WEIGHTS, dense=answer.dense_line_weight, dense_margin=answer.dense_line_margin),
            max_list_items=answer.max_list_items,
        )
        self._llms: dict[str, LLM] = dict(llms or {})
        # facts derived from the whole index (numbered parts, cited titles): (generation, name → value)
        self._derived: tuple[str, dict[str, Any]] = ("", {})

    # --- public API -------------------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        sources: list[str] | None = None,
        backend: str | None = None,
        split: bool = True,
    ) -> Answer:
        """The answer to ``question`` read against ``conversation`` (which this call does not change);
        ``split=False`` answers several questions asked in one turn as one."""
        final = None
        for event in self.ask_stream(question, conversation, sources, backend, split):
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
        split: bool = True,
    ) -> Iterator[StreamEvent]:
        backend = backend or self.settings.answer.backend
        if backend not in BACKENDS:
            raise InvalidQuestionError(f"未知的回答方式：{backend}（可选 {', '.join(BACKENDS)}）")
        full = self.validate(question)
        # what is read as the question (all of a short one): every stage below costs time with its length
        asked = self.asked(question)
        # follow-ups read the questions about the content: "还有吗？" after "这是哪个文件说的？" goes on from the answer
        # before it
        content = content_turns(conversation)
        history = self.asked_history(content)
        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[name] = round((now - clock) * 1000, 2)
            clock = now

        started = clock
        # one ceiling for every model call of this question: a rewrite that took long leaves the answer less
        budget = Budget(self.settings.model.answer_timeout)
        # One generation for the whole answer: the steps below asked the store for it about 12 times, each a
        # Chroma read under the index's lock (~3 ms on a busy machine, a quarter of a short answer's own time
        # besides the embedding). Pinned only where nothing is yielded, so the pin ends in the thread that set it.
        with self.index.pinned() as generation:
            self.validate_sources(sources)
            facts = self._facts()
            about = source_answer(asked, conversation, generation, facts) or metadata_answer(
                asked, conversation, generation, sources, facts, self.settings.gate.contracted_term_gap
            )
            # several questions in one turn are answered below, each through ask() again
            parts = question_parts(asked, clauses=True) if about is None and split else [asked]
            several = len(parts) > 1
            generated = False
            if about is not None:  # about the documents themselves: no model rewrite, no retrieval over body text
                answer = self._about_documents(
                    Answer(
                        question=full,
                        text="",
                        refused=False,
                        backend="extractive",
                        standalone_question=asked,
                        timings_ms=timings,
                        rewrite_mode=about.kind,
                    ),
                    about,
                )
            elif not several:
                resolved = self._rewrite(asked, history, backend, budget)
                lap("rewrite")
                evidence = self.evidence(resolved.question, sources)
                retrieval, passages, question_profile = evidence.retrieval, evidence.passages, evidence.question
                lap("retrieve")
                decision = evidence.decide(self.settings)
                lap("gate")
                base = Answer(
                    question=full,
                    text="",
                    refused=False,
                    backend=backend,
                    standalone_question=resolved.question,
                    rewrite_mode=resolved.mode,
                    rewrite_readable=resolved.readable,
                    retrieved=passages,
                    timings_ms=timings,
                )
                if not decision.answerable:
                    logger.info(
                        "refused %r: %s (dense %.3f, coverage %.2f)",
                        asked,
                        decision.reason,
                        decision.best_dense,
                        decision.coverage,
                    )
                    answer = self._refusal(base, decision, sources)
                elif backend == "extractive":
                    answer = self._extractive(
                        base, question_profile, resolved, self._previous_quotes(content, resolved), retrieval.vector
                    )
                else:
                    generated = True
        if several or about is not None:
            if several:  # each part in its own block
                answer = self._several(asked, parts, conversation, sources, backend)
                answer.question = full
            lap("answer")
            timings["total"] = round((time.perf_counter() - started) * 1000, 2)
            answer.timings_ms = timings
            yield StreamEvent("delta", answer.text)
            yield StreamEvent("final", answer=answer)
            return
        if generated:
            answer = yield from self._generate(base, question_profile, resolved, backend, budget, retrieval.vector)
        else:
            yield StreamEvent("delta", answer.text)
        set_aside = len(retrieval.passages) - len(passages)
        if set_aside:  # the reader learns that something was held back, and why
            notice = prompts.INSTRUCTION_PASSAGE_NOTICE.format(count=set_aside)
            answer.notice = f"{answer.notice}\n{notice}" if answer.notice else notice
        lap("answer")
        timings["total"] = round((time.perf_counter() - started) * 1000, 2)
        yield StreamEvent("final", answer=answer)

    def _several(
        self,
        question: str,
        parts: list[str],
        conversation: Conversation | None,
        sources: list[str] | None,
        backend: str,
    ) -> Answer:
        """ "甲法何时施行？文号多少？": answered as one question first; when that is refused, each question is
        answered on its own (its own retrieval, gate and citations) under its own heading, so the part the
        documents answer is not lost with the one they do not. A later part that leaves its subject out ("文号
        多少？") is asked with the first part's subject (its nouns) in front, without its question words: "…何时施行"
        must not make "文号" a date.

        Why the whole first: on the papers tuning split all five two-part questions the whole question answered
        were answered better whole than in parts (key points 1.0 vs 0.5 on one, lines on point .40–1.0 vs .20–.67:
        the second part's elliptical form retrieves less). The answer is refused when a part is refused too (the
        question as asked cannot be answered in full), yet still shows what each part found and which is missing;
        when every part is answered, the whole's gate was wrong and the parts' answers stand."""
        whole = self.ask(question, conversation, sources, backend, split=False)
        subject = subject_of(without_slot_words(parts[0]))
        if not whole.refused:
            return self._with_unanswered_part(question, parts, whole, subject, conversation, sources, backend)
        answers = [self.ask(parts[0], conversation, sources, backend, split=False)]
        answers += [
            self.ask(self._part_question(parts[0], subject, part), conversation, sources, backend, split=False)
            for part in parts[1:]
        ]
        refused = [a.refused for a in answers]
        if all(refused):
            return whole
        merged = _merged_after_whole(question, parts, answers, whole)
        merged.refused = any(refused)
        return merged

    def _with_unanswered_part(
        self,
        question: str,
        parts: list[str],
        whole: Answer,
        subject: str,
        conversation: Conversation | None,
        sources: list[str] | None,
        backend: str,
    ) -> Answer:
        """The whole's answer, or, when it states nothing of what one of two asks wants (a date, a figure, a person:
        "…由哪个单位牵头，何时完成" answered with the 牵头单位 line alone, trial 5; "…办公室在哪个单位？热线多少？"
        with the telephone alone), that ask answered on its own under its own heading, or said not found there, and
        the whole's answer under the other's."""
        if len(parts) != 2:
            return whole
        lines = whole.text.splitlines()
        unfilled = [
            at
            for at, part in enumerate(parts)
            if (slot := find_slot(part)) is not None and not any(fills(slot, line, "", part) for line in lines)
        ]
        if len(unfilled) != 1:
            return whole
        if unfilled[0] == 0:
            answers = [self.ask(parts[0], conversation, sources, backend, split=False), whole]
        else:
            later = self._part_question(parts[0], subject, parts[1])
            answers = [whole, self.ask(later, conversation, sources, backend, split=False)]
        return _merged_after_whole(question, parts, answers, whole)

    @staticmethod
    def _part_question(first: str, subject: str, part: str) -> str:
        """A later part of one turn as a question of its own: "老城片区呢？" asks the first part again about that
        thing (followup.substituted), another part gets the first part's subject in front."""
        x = elliptic(part)
        asked = substituted(first, x) if x else ""
        return asked or (f"{subject}，{part}" if subject else part)

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

    def asked(self, question: str) -> str:
        """The part of a (validated) question that is read as the question: question.question_view, cleaned, with
        years said by two digits written in full and places said by their level and a localizer ("县里") by the
        level."""
        viewed = clean_question(question_view(question, self.settings.answer.question_view_chars))
        return without_localizers(with_full_years(viewed))

    def asked_history(self, conversation: Conversation | None) -> list[dict] | None:
        """The conversation's messages with each earlier question as it was read: a follow-up to a pasted
        2,000-character question builds on its question, not on the paste, and "那24年呢？" on "2023年…"."""
        if conversation is None:
            return None
        return [
            {**m, "content": self.asked(m["content"])} if m.get("role") == "user" else m
            for m in conversation.messages()
        ]

    def validate_sources(self, sources: list[str] | None) -> None:
        """Only indexed paper names are accepted as filters (no paths, nothing outside the index)."""
        unknown = sorted(set(sources or []) - set(self.index.current().state.papers))
        if unknown:
            raise InvalidQuestionError(prompts.UNKNOWN_SOURCE.format(names="、".join(unknown)))

    def evidence(self, standalone: str, sources: list[str] | None = None) -> Evidence:
        """Retrieve for a standalone question and gather everything the refusal gate weighs (the gate
        threshold sweep, evals/gate_sweep.py, re-decides it under other settings)."""
        generation = self.index.current()
        question_profile = profile(standalone)
        named = self._not_outnamed(
            standalone, self.retriever.named(standalone, named_papers(standalone, generation, self._facts()))
        )
        if len(named) > 1 and question_profile.kind == "fact":
            # "甲法和乙法哪个先施行？" asks one fact of each document named: answered per document, under its title
            question_profile = replace(question_profile, kind="compare")
        # A comparison that names one of its documents ("甲办法和乙方案有何不同") is about more than that one.
        narrowed = list(named) if len(named) > 1 or question_profile.kind != "compare" else []
        # two documents named, or a comparison (within the documents named or chosen, else those found): every
        # side is retrieved
        compare = question_profile.kind == "compare" and (
            bool(sources or named) or self.settings.retrieval.compare_unnamed
        )
        per_source = compare or (not sources and len(named) > 1)
        query = lexical = question_content(standalone)
        strip = self.settings.retrieval.strip_names
        if narrowed and not sources and strip != "none":  # the names are in the filter now, not needed as words
            stripped = without_names(query, {source: named[source] for source in narrowed})
            query = stripped if strip in ("dense", "both") else query
            lexical = stripped if strip in ("lexical", "both") else lexical
        if self.settings.retrieval.lexical_terms_only:
            lexical = " ".join(content_terms(lexical)) or lexical
        retrieval = self.retriever.retrieve(
            query, sources or narrowed or None, per_source=per_source, lexical_query=lexical
        )
        top_k = self.settings.retrieval.top_k
        if asks_division(standalone):
            # a division is its section's own statement: one passage from the section is enough to read its
            # opening, and it comes right after the best passage (the slot check reads the first five)
            retrieval.passages = section_evidence(generation, retrieval.passages, top_k, 1, within=2)
        elif question_profile.kind == "list":
            hits = self.settings.retrieval.list_section_min_hits
            retrieval.passages = section_evidence(generation, retrieval.passages, top_k, hits)
        if (slot := find_slot(standalone)) is not None and slot.kind == "when":
            retrieval.passages = with_own_dates(
                generation, retrieval.passages, slot.focus, self.settings.retrieval.top_k
            )
        retrieval.passages = with_leads(generation, retrieval.passages)
        documents, corpus_parts = self._documents(sources or list(named))
        return Evidence(
            question_profile,
            retrieval,
            without_injections(
                retrieval.passages, stored_or_computed(self.settings.storage.data_dir / EMBEDDING_CACHE_NAME)
            ),
            "".join(named.values()) + self._titles(sources),
            generation.mentions,
            documents,
            corpus_parts,
            self._cited_only(),
            self.idf,
            generation.mentions_contracted,
        )

    def _not_outnamed(self, question: str, named: dict[str, str]) -> dict[str, str]:
        """Named documents, less those named only by a piece of a longer title the question says in full and the
        collection only cites: in "网络安全法第二十一条" the piece "安全法" fits 《数据安全法》, but the question is
        about 《网络安全法》, which no document here holds."""
        cited = [form for forms in self._cited_only().values() for form in forms if form in question]
        if not cited:
            return named
        papers = self.index.current().state.papers
        return {
            source: described
            for source, described in named.items()
            # the stretch that named it (documents_named: "stretch title") is no piece of a cited title: a cited
            # 《某省水资源条例》 says nothing against "地下水资源条例", which holds its form 水资源条例 but names
            # the 地下水资源管理条例 held here (that side of a comparison went unretrieved)
            if not any(described.split(" ", 1)[0] in form for form in cited)
            or said_in_full(question, papers.get(source) or {})
        }

    def _per_generation(self, name: str, compute: Callable[[Generation], Any]) -> Any:
        """``compute(generation)`` once per published index generation: it reads every chunk."""
        generation = self.index.current()
        if self._derived[0] != generation.state.collection:
            self._derived = (generation.state.collection, {})
        values = self._derived[1]
        if name not in values:
            values[name] = compute(generation)
        return values[name]

    def _facts(self) -> DocumentFacts:
        """Documents' plain texts and title blocks (the document questions and follow-ups read them)."""
        return self._per_generation("documents", DocumentFacts.of)

    def _cited_only(self) -> dict[str, tuple[str, ...]]:
        """Documents the collection cites in 《》 but does not hold."""

        def compute(generation: Generation) -> dict[str, tuple[str, ...]]:
            titles = [(p or {}).get("title") or "" for p in generation.state.papers.values()]
            return cited_only_titles(generation.chunks, titles)

        return self._per_generation("cited_only", compute)

    def _documents(self, named: list[str]) -> tuple[dict[str, frozenset[Part]], frozenset[Part]]:
        """(title → numbered parts (第X条/章/节) of the documents a question names or is filtered to, every
        document's parts): a part the question asks for must be in a named document, or in some document."""
        parts = self._per_generation("parts", lambda generation: parts_by_source(generation.chunks))
        papers = self.index.current().state.papers
        chosen = {(papers.get(s) or {}).get("title") or s: parts.get(s, frozenset()) for s in named}
        return chosen, frozenset().union(*parts.values())

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
    def _item_heads(self) -> list[tuple[str, ...]]:
        """Every list's short item titles, per document section (followup.sibling_substituted)."""

        def compute(generation: Generation) -> list[tuple[str, ...]]:
            lists: dict[tuple[str, str], dict[str, None]] = {}
            for chunk in generation.chunks:
                for sentence in split_sentences(chunk.text):
                    if is_item_head(sentence.text):
                        lists.setdefault((chunk.source, chunk.section), {})[sentence.text] = None
            return [tuple(heads) for heads in lists.values() if len(heads) >= 2]

        return self._per_generation("item_heads", compute)

    def _rewrite(self, question: str, history: list[dict] | None, backend: str, budget: Budget) -> Rewrite:
        resolved = rewrite(question, history, self._item_heads() if history else ())
        if backend == "extractive" or resolved.mode in ("standalone", "more") or not is_followup(question, history):
            return resolved
        try:
            transcript = "\n".join(f"{t.get('role')}: {t.get('content', '')[:400]}" for t in (history or [])[-4:])
            prompt = prompts.CONDENSE_PROMPT.format(history=transcript, question=question)
            limits = StageLimits.of(self.settings.model)
            condensed = complete(self._llm(backend), prompt, limits, budget).splitlines()[0].strip()
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
        if decision is not None and decision.absent_parts:
            absent = decision.absent_parts
            lines += [prompts.REFUSAL_ABSENT_PART.format(title=shown_title(t), part=p) for t, p in absent]
        elif decision is not None and decision.uncollected_parts:
            for title, part in decision.uncollected_parts:
                line = prompts.REFUSAL_UNCOLLECTED_PART if part else prompts.REFUSAL_UNCOLLECTED
                lines.append(line.format(title=shown_title(title), part=part))
        elif decision is not None and (decision.missing or decision.unretrieved):
            for line, terms in (
                (prompts.REFUSAL_MISSING, decision.missing),
                (prompts.REFUSAL_UNRETRIEVED, decision.unretrieved),
            ):
                if terms:
                    lines.append(line.format(terms="、".join(f"“{t}”" for t in terms)))
        elif decision is not None and decision.slot is not None:
            what = prompts.SLOT_WHAT.get(decision.slot.kind, prompts.SLOT_WHAT["quantity"])
            lines.append(prompts.REFUSAL_SLOT.format(focus=self._asked_as_written(base, decision), what=what))
        if sources:
            lines.append(prompts.REFUSAL_FILTER.format(titles=self._titles_line(sources)))
        base.text = "\n".join(lines)
        base.refused = True
        return base

    @staticmethod
    def _asked_as_written(base: Answer, decision: GateDecision) -> str:
        """What the missing figure, date or person is of, as the question asks it ("“企业逾期不整改罚多少钱”"):
        the slot's focus word alone misnamed it when jieba cut the question oddly ("“企业”的具体数字", a trial
        official's reading). The question's last asking clause, when it is short enough to read as a phrase."""
        question = base.standalone_question or base.question
        clause = question[asked_clause_start(question) :].strip().rstrip("？?。！!").lstrip("那么，, ")
        if 2 <= len(clause) <= _ASKED_CLAUSE_CHARS:
            return f"“{clause}”"
        return "、".join(f"“{t}”" for t in decision.slot.focus) or prompts.SLOT_FOCUS_UNKNOWN

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

    def _about_documents(self, base: Answer, about: DocumentAnswer) -> Answer:
        # The answer comes from citations and title blocks, but the evaluation contract (and the "related
        # passages" a refusal shows) wants the question's top passages too: the cited ones first, then (under a
        # refusal) the named papers' own title blocks, where a reader looks for the missing field.
        shown = [*about.passages, *about.related]
        ids = {p.chunk_id for p in shown}
        searched = self.retriever.retrieve(question_content(base.standalone_question)).passages
        base.retrieved = [*shown, *(p for p in searched if p.chunk_id not in ids)]
        if about.refused:
            base.text = about.text
            base.refused = True
            return base
        answer = self._finish(base, about.text, about.numbered, embed_check=False)
        if about.absent:  # what the index lacks is no claim from a passage: said after the verified lines
            answer.text = "\n".join([answer.text, *about.absent])
        return answer

    def _previous_quotes(self, conversation: Conversation | None, resolved: Rewrite) -> list[Located]:
        """Where the previous answer's sentences are (its citations, or its lines found in the index for a
        transcript): where "那第二条" looks for its item first and where "还有吗？" continues."""
        if conversation is None or not conversation.turns or resolved.mode not in ("ordinal", "more"):
            return []
        return previous_quotes(conversation, self.index.current(), self._facts())

    def _extractive(
        self,
        base: Answer,
        question: QuestionProfile,
        resolved: Rewrite,
        previous: list[Located] | None = None,
        vector: list[float] | None = None,
    ) -> Answer:
        """``vector`` is the question's (retrieval's): the composer weighs each passage line's stored vector
        against it."""
        generation = self.index.current()
        passages = list(base.retrieved)
        shown = [q.chunk.chunk_id for q in previous or []]
        front = self._facts().front
        if resolved.mode in ("more", "ordinal"):
            passages = self._continuing(passages, shown if resolved.mode == "more" else [], generation)
        anchor = None
        if resolved.anchor:  # in the documents retrieval searched (the named paper), else anywhere
            searched = {p.source for p in base.retrieved}
            anchor = locate(resolved.anchor, [c for c in generation.chunks if c.source in searched], shown, front)
            anchor = anchor or locate(resolved.anchor, generation.chunks, shown, front)
        following = (
            following_items(previous[-1], generation.chunks, self.composer.max_sentences)
            if (resolved.mode == "more" and previous)
            else []
        )
        if question.kind == "list":
            continuation = self._continuations(passages)
            self._add_sibling_sections(passages)
        else:  # a document's answer to its own question may go on in a chunk retrieval found too
            continuation = self._continuations(passages, append=False)
        composer = self.composer
        about = tuple(q.text for q in previous or []) if resolved.mode == "more" else ()
        if resolved.about_item and self.settings.answer.item_followup_by_item:
            # "那第三条具体指什么？" asks what the documents say of that item: sentences are weighed by its words and
            # the follow-up's own ask ("有什么成效"), not by the earlier list question's topic, which brought
            # back the list's other items; and "具体指什么" asks what the item means, not for a sentence in the
            # defining form (a law's "本条例所称…是指" came first)
            question = replace(profile(resolved.about_item), kind=question.kind)
            composer = copy(composer)
            composer.weights = replace(composer.weights, definition=0.0)
            # the floor of what the item says: not for an item's short title ("（二）严格野外火源管控。"), whose
            # own sentences after it share few of its words
            about = (anchor.text,) if anchor is not None and not is_item_head(anchor.text) else ()
        chosen = composer.select(
            question,
            passages,
            set(resolved.exclude) or None,
            continuation,
            self._section_passages if question.kind == "list" else None,
            structure=resolved.mode != "ordinal",
            # one vector cannot stand for two asks ("…何时施行？…年检费多少？"): nearness to it favours one part's line
            lines=generation.line_similarities([p.chunk_id for p in passages], vector)
            if len(question_parts(question.text)) < 2
            else None,
            about=about,
        )
        if not chosen and anchor is None and not following:
            if resolved.mode == "more" and previous:
                base.text, base.refused = prompts.NOTHING_MORE, True
                return base
            return self._refusal(base)
        numbering: dict[int, int] = {}
        ordered = self.composer.order(chosen, passages)
        article = self._asked_article(question.text, {p.source for p in base.retrieved}) if not previous else []
        if article:  # "…法第十三条说了什么": the article itself, all its items, and nothing else
            ordered = self._first([], article, passages)
        elif anchor is not None:
            body = self._item_body(anchor)
            ordered = self._first(ordered, [anchor, *body, *self._references_to(anchor)], passages)
            ordered = ordered[: self.composer.max_sentences] if body else ordered
        elif following:  # the enumeration the previous answer stopped in goes on first
            ordered = self._first(ordered, following, passages)[: self.composer.max_sentences]
        ordered = [e for e in ordered if not form_blank(e.text)]  # whichever way a form's blank line came in
        titles = [passages[e.passage_rank].title for e in ordered]
        lines = [self.composer.lead_in(question, resolved.mode, titles)]
        marker = lambda e: numbering.setdefault(e.passage_rank, len(numbering) + 1)  # noqa: E731
        if question.kind == "compare":
            papers = self.index.current().state.papers
            source_of = lambda e: passages[e.passage_rank].source  # noqa: E731
            headings = block_headings([source_of(e) for e in ordered], papers)
            lines += compare_lines(ordered, source_of, headings, marker)
        else:
            lines += answer_lines(ordered, marker)
        numbered = {n: passages[rank] for rank, n in numbering.items()}
        return self._finish(base, "\n".join(lines), numbered, embed_check=False)

    def _asked_article(self, question: str, searched: set[str]) -> list[Located]:
        """Every sentence of the article (第X条) the question asks for, when retrieval searched one document and
        that document states it: the composer scores sentences one by one, and an article's items "（一）…；"
        repeat none of the question's words, so it kept the lead-in line and dropped the items."""
        asked = {p for written, p in asked_parts(question) if p[1] == "条" and _asks_for_itself(question, written)}
        if not asked or len(searched) != 1:
            return []
        (source,) = searched
        generation = self.index.current()
        for chunk in sorted((c for c in generation.chunks if c.source == source), key=lambda c: c.order):
            headings = part_headings(chunk.text)
            for i, (part, start) in enumerate(headings):
                if part not in asked:
                    continue
                end = headings[i + 1][1] if i + 1 < len(headings) else len(chunk.text)
                return [
                    Located(chunk, start + s.start, start + s.end)
                    for s in split_sentences(chunk.text[start:end])
                    if s.text.strip()
                ]
        return []

    def _sentences_after(self, item: Located) -> Iterator[Located]:
        """The sentences after ``item`` in its chunk, then those of the next chunk (which opens with a copy of the
        chunk's last sentence: chunks overlap by one)."""
        generation = self.index.current()
        following = generation.next_chunk.get(item.chunk.chunk_id)
        for chunk in [item.chunk, *([generation.by_id[following]] if following else [])]:
            after = item.end if chunk is item.chunk else 0
            yield from (Located(chunk, s.start, s.end) for s in split_sentences(chunk.text) if s.start >= after)

    def _item_body(self, item: Located) -> list[Located]:
        """What a numbered item says after its short title ("3. 农村地区。" then "各乡镇人民政府负责，…"), in its chunk
        and the next, up to the next item; [] for an item that is no short title."""
        if not is_item_head(item.text):
            return []
        body: list[Located] = []
        for sentence in self._sentences_after(item):
            if sentence.text == item.text or any(sentence.text == b.text for b in body):
                continue
            if item_label(sentence.text) is not None or len(body) >= self.composer.max_sentences:
                break
            body.append(sentence)
        return body

    def _references_to(self, item: Located) -> list[Located]:
        """The sentences after a numbered item, in its chunk and the next, that refer to it by its number ("可以凭…
        代替前款第（二）项材料" after "（二）…病历"): what the document says more of that item (trial 3, C3)."""
        label = item_label(item.text)
        if label is None:
            return []
        reference = item_reference(label[1])
        found: list[Located] = []
        for sentence in self._sentences_after(item):
            if reference.search(sentence.text) and all(sentence.text != f.text for f in found):
                found.append(sentence)
        return found

    def _with_passage(self, passages: list[Passage], chunk_id: str) -> int:
        """The rank of ``chunk_id`` among ``passages``, appending it when retrieval did not find it."""
        for rank, passage in enumerate(passages):
            if passage.chunk_id == chunk_id:
                return rank
        passages.append(chunk_passage(self.index.current().by_id[chunk_id]))
        return len(passages) - 1

    def _first(self, ordered: list[Extract], first: list[Located], passages: list[Passage]) -> list[Extract]:
        """``first`` (the item "那第二条" asks about, or the items after where the previous answer stopped), each
        its whole sentence in the document, then the sentences chosen around them without second copies
        (chunks overlap by a sentence)."""
        leading = [Extract(q.text, self._with_passage(passages, q.chunk.chunk_id), q.start, q.end, 1.0) for q in first]
        given = {shown_text(e.text) for e in leading}
        return [*leading, *(e for e in ordered if shown_text(e.text) not in given)]

    def _continuing(self, passages: list[Passage], previous: list[str], generation: Generation) -> list[Passage]:
        """ "还有吗？" and "那第二条呢？": the passages without any document's title block (byline, citation line,
        abstract say nothing more about the question), plus the chunk after each one the previous answer quoted,
        where its enumeration goes on."""
        front = self._facts().front
        kept = [p for p in passages if p.chunk_id not in front]
        present = {p.chunk_id for p in kept}
        for chunk_id in previous:
            following = generation.next_chunk.get(chunk_id)
            if following and following not in present and following not in front:
                present.add(following)
                kept.append(chunk_passage(generation.by_id[following]))
        return kept

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

    def _section_passages(self, passage: Passage) -> list[Passage]:
        """Every chunk of ``passage``'s section in its document, in order: where a list question finds the
        section's own numbered paragraphs."""
        chunks = self.index.current().chunks
        same = [c for c in chunks if c.source == passage.source and c.section == passage.section]
        return [chunk_passage(c) for c in sorted(same, key=lambda c: c.order)]

    def _continuations(self, passages: list[Passage], append: bool = True) -> dict[int, int]:
        """Append the chunks that follow each top passage in its section (settings.retrieval.list_follow_chunks),
        so an enumeration cut by chunk boundaries (or announced at a chunk's end, "启示如下：") can be kept whole;
        each appended passage maps to the one after it. Without ``append``, only the passages that follow
        another one already present are mapped."""
        generation = self.index.current()
        continuation = {}
        present = {p.chunk_id: rank for rank, p in enumerate(passages)}
        for rank, passage in enumerate(passages[:3] if append else passages):
            previous = rank
            follow = self.settings.retrieval.list_follow_chunks if append else 1
            for chunk in following_chunks(generation, passage.chunk_id, follow):
                if chunk.chunk_id not in present and not append:
                    break
                if chunk.chunk_id not in present:
                    passages.append(chunk_passage(chunk))
                    present[chunk.chunk_id] = len(passages) - 1
                continuation.setdefault(previous, present[chunk.chunk_id])
                previous = present[chunk.chunk_id]
        return continuation

    def _generate(
        self,
        base: Answer,
        question: QuestionProfile,
        resolved: Rewrite,
        backend: str,
        budget: Budget,
        vector: list[float] | None = None,
    ) -> Iterator[StreamEvent]:
        numbered = {i: p for i, p in enumerate(base.retrieved, start=1)}
        streamed = ""
        clocks = StreamTimings()
        try:
            llm = self._llm(backend)
            messages = answer_messages(resolved.question, base.retrieved)
            try:
                for delta in stream_answer(llm, messages, StageLimits.of(self.settings.model), budget, clocks):
                    streamed += delta
                    yield StreamEvent("delta", delta)
            finally:  # the model's own time, beside the stages: the evaluation tells fallbacks by it
                base.timings_ms["model"] = round(clocks.total_s * 1000, 2)
                if clocks.first_token_s is not None:
                    base.timings_ms["model_first_token"] = round(clocks.first_token_s * 1000, 2)
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
            answer = self._extractive(base, question, resolved, vector=vector)
            # The service answering but failing the citation check is not an outage: say which it was.
            if isinstance(exc, UngroundedAnswerError):
                notice = prompts.UNGROUNDED_NOTICE
            elif isinstance(exc, ModelTimeoutError):
                notice = prompts.TIMEOUT_NOTICE
            else:
                notice = prompts.FALLBACK_NOTICE
            answer.notice = notice.format(reason=exc)
            yield StreamEvent("delta", answer.text)
            return answer

    def _llm(self, backend: str) -> LLM:
        if backend not in self._llms:
            self._llms[backend] = build_llm(self.settings, backend)
        return self._llms[backend]
