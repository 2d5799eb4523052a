"""The default backend: an answer made of verbatim source sentences, each cited. Grounded by construction."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant import prompts
from assistant.answer import Passage
from assistant.question import QuestionProfile
from assistant.slots import answer_slot, fills
from core.papers import title_forms
from core.schema import parent_section
from core.sentence_kinds import BODY, sentence_kind, strip_markup
from core.sentences import split_sentences
from core.tokenize import char_bigrams, tokenize

_ENUMERATION = re.compile(
    r"^(\*\*)?(（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]是|[①-⑳]|\d+[.、．]|"
    r"第[一二三四五六七八九十]+[，,、：:层条点个类种步]|首先|其次|再次|最后|[^，,。：:]{2,12}型[^，,。：:]{0,6}[:：])"
)
_SENTENCE_END = tuple("。！？；!?;…”」』）)")


@dataclass(frozen=True)
class SentenceWeights:
    """How a candidate sentence is scored and how many are kept, fitted on the tuning split of both suites by a
    coordinate sweep with retrieval held fixed (branch s20-kinds; mean over papers+official of key-point coverage /
    lines on point: the hand-set 0.65/0.35/0.25/0.12 gave .692/.422, these give .726/.447)."""

    lexical: float = 0.65  # idf-weighted share of the question's terms found in the sentence (the scale: fixed)
    # share of the question's character bigrams in the sentence: 0.05-0.25 all beat 0.35 (.717/.439 at 0.15 alone);
    # at 0.35 and above, sentences that repeat the question's wording without its rare terms crowd out answers
    bigram: float = 0.15
    # idf share of question terms named by the section heading but not the sentence: 0 → .681/.428, 0.25 → .692,
    # 0.45 → .726/.447 (with bigram 0.15), 0.55 → .728/.444; a heading often names what its sentences are about
    heading: float = 0.45
    # bonus / (1 + passage rank), retrieval's order breaking lexical ties: 0 → .656/.434, 0.08 → .721/.442,
    # 0.12 → .726/.447, 0.18 → .706/.435, 0.4 → .683/.427 (later ranks lose good sentences)
    rank_prior: float = 0.12
    # a sentence sharing more than this Jaccard share of character bigrams with a kept one is a repeat (overlap of
    # chunks): 0.45 and 0.6 measure the same, 0.75 lets repeats through (official lines on point .272 → .262)
    redundancy: float = 0.6
    # Both below: branch s21-meta, tuning splits only (evals.runner's items and scores with retrieval held fixed);
    # official lines on point / citation precision, papers lines on point / citation precision; key points,
    # quote recall and refusal unchanged unless said.
    # Added when the question asks for a figure, a date or a person (assistant/slots.py) and the sentence states one
    # for the asked-about term, or is a dated sentence of a document the question names by title ("本法自…起施行"
    # for "甲法什么时候施行"): 0 → official .320/.360, papers .601/.623; 0.2 → .358/.357, .613/.639; 0.35 →
    # .382/.386, .614/.645; 0.5 → official key points .707 → .680 (a dated sentence crowds out the answer).
    slot: float = 0.35
    # Share of a term's weight dropped in the passages of a document the question names by its title: the name's
    # words are in every sentence of a short law and outscored its one dated sentence (tests/assistant/test_core.py).
    # Tuning, slot 0.35: 0 → official .382/.388, papers .614/.645; 1 → .382/.386, .614/.645 (one citation). Applied
    # to every passage (not only named documents) it measured official .401/.414 and papers .594 on an earlier
    # build, but the papers' shared topic words in every title lost their weight: restricted to what it is for.
    title_discount: float = 1.0
    # (max sentences, keep a sentence only above this share of the best score) per question kind. Measured with
    # bigram 0.15: fact floor 0.7 → .703/.457, fact max 2 → .691/.457, why (3, 0.65) → .716/.456, list floor 0.6
    # → .709/.444: each trades key points for precision, so the hand-set limits stay.
    limits: tuple[tuple[str, int, float], ...] = (
        ("fact", 3, 0.6),
        ("why", 4, 0.55),
        ("list", 4, 0.5),
        ("compare", 6, 0.45),
    )

    def limit(self, kind: str, default: int) -> tuple[int, float]:
        return next(((n, floor) for k, n, floor in self.limits if k == kind), (default, 0.45))


DEFAULT_WEIGHTS = SentenceWeights()
_ASKS_FOR_SOURCE = re.compile(r"哪篇|哪一篇|出自|出处|谁提出|哪位作者|作者是谁|哪个作者|来源")
# Constants below measured with the tuning sweep (branch s20-kinds, retrieval held fixed; mean key points / lines
# on point over both suites .726/.447 at these values). A sentence shorter than this is not an answer line: 5, 8
# and 12 measure the same (the short pieces are labels and fragments, now mostly flagged at ingest).
_MIN_SENTENCE_CHARS = 8
# Items kept from one enumeration: 6 → .726/.448, 8 → .726/.447, 12 → .726/.446 (longer lists add off-point tails).
_MAX_LIST_ITEMS = 8
# The source's own "1." / "（1）" in front of a chosen sentence: the answer numbers its items itself, and a
# follow-up's "第二条" must mean the second item the official sees, not "2." of some paper.
_NUMERIC_LABEL = re.compile(r"^(\d{1,2}[.、．]|[（(]\d{1,2}[）)])\s*(?=\S)")
# A list question answered by a section's sub-headings ("三、面临的现实挑战 > (一)…(二)…") needs the parent
# heading to carry at least this idf-weighted share of the question's terms.
_HEADING_LIST_COVERAGE = 0.5
# A sub-section's thesis is sought among its first sentences (1, 3 and 5 measure the same) ...
_LEADING_WINDOW = 3
# ... and the very first wins near-ties: 0 → .722/.447, 0.05 and 0.15 → .726/.447.
_FIRST_SENTENCE_BONUS = 0.05


@dataclass
class Extract:
    """One chosen sentence: its text and where it sits in its passage."""

    text: str
    passage_rank: int
    start: int  # offset in the passage text
    end: int
    score: float


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def shown_text(sentence: str) -> str:
    """A chosen sentence as the answer shows it (what a follow-up's "还有吗？" gets back as already said): without
    the source's markup — a footnote call ("…发展<sup>[1]</sup>。") would read as citation [1] of the answer, and
    "**" or "$" would show as typed — and without its own numeric label."""
    return _NUMERIC_LABEL.sub("", strip_markup(sentence))


def non_body(passage: Passage, start: int, end: int, text: str) -> bool:
    """The sentence ``passage.text[start:end]`` is not body prose: ingest flagged it (a citation line, the title
    block, an English abstract, a caption, …; ``Chunk.kinds``), or its form says so in a passage indexed
    without kinds."""
    spans = _kind_spans(passage.kinds)
    if any(s < end and start < e for s, e in spans):
        return True
    return sentence_kind(text, chinese_document=False) != BODY


@lru_cache(maxsize=4096)
def _kind_spans(kinds: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(k[0]), int(k[1])) for k in json.loads(kinds or "[]"))


def answer_lines(ordered: list[Extract], marker: Callable[[Extract], int]) -> list[str]:
    """The answer's lines, each sentence verbatim with its [n]. A sentence that announces the items after it
    ("可以得出以下几点启示：") stands unnumbered above them; the source's own numeric labels give way to the
    answer's numbering, so no line reads "2. 1. …"; footnote calls are left out."""
    lines: list[str] = []
    item = 0
    for extract in ordered:
        n = marker(extract)
        shown = shown_text(extract.text)
        if shown.endswith(("：", ":")) and not _NUMERIC_LABEL.match(extract.text):
            lines.append(f"{shown}[{n}]")
            continue
        item += 1
        lines.append(f"{item}. {shown}[{n}]")
    return lines


def compare_lines(
    ordered: list[Extract],
    source_of: Callable[[Extract], str],
    headings: dict[str, str],
    marker: Callable[[Extract], int],
) -> list[str]:
    """A comparison's lines: one block per document, in the order given (``order`` groups by document), each
    headed by ``headings[source]`` ("《数据安全法》：", a line that is not a claim), its sentences numbered on
    through all blocks so a follow-up's "第三条" means the third item the reader sees. With a single document
    there is nothing to compare between: the plain lines."""
    if len({source_of(e) for e in ordered}) < 2:
        return answer_lines(ordered, marker)
    lines: list[str] = []
    current = None
    for item, extract in enumerate(ordered, start=1):
        source = source_of(extract)
        if source != current:
            current = source
            lines.append(prompts.COMPARE_BLOCK_HEADING.format(title=headings[source]))
        lines.append(f"{item}. {shown_text(extract.text)}[{marker(extract)}]")
    return lines


@lru_cache(maxsize=256)
def _title_forms(title: str) -> tuple[str, ...]:
    return tuple(title_forms(title))  # jieba tags the title: once per document, not per question and passage


def _names_document(question: str, title: str) -> bool:
    return bool(title) and any(form in question for form in _title_forms(title))


class ExtractiveComposer:
    def __init__(
        self, idf: Callable[[str], float], max_sentences: int = 6, weights: SentenceWeights = DEFAULT_WEIGHTS
    ) -> None:
        self.idf = idf
        self.max_sentences = max_sentences
        self.weights = weights

    def score(self, question: QuestionProfile, sentence: str, section: str = "", title: str = "") -> float:
        """Idf-weighted share of the question's terms in the sentence, plus bigram overlap; a section heading
        that names the question's terms ("3.2 外部动力") lends its sentences a little weight. A term of
        ``title`` (the passage's document's title, when the question names that document by it) counts less
        (``title_discount``): it names the document, not the passage."""
        terms = question.terms
        if not terms:
            return 0.0
        words = set(tokenize(sentence))
        keep = 1.0 - self.weights.title_discount
        weights = {t: self.idf(t) * (keep if title and t in title else 1.0) for t in terms}
        total = max(1e-6, sum(weights.values()))
        lexical = sum(w for t, w in weights.items() if t in words or t in sentence) / total
        bigram = len(question.bigrams & char_bigrams(sentence)) / max(1, len(question.bigrams))
        heading = sum(w for t, w in weights.items() if t in section and t not in sentence) / total
        w = self.weights
        return w.lexical * lexical + w.bigram * bigram + w.heading * heading

    def candidates(self, question: QuestionProfile, passages: list[Passage]) -> list[Extract]:
        english_ok = all(ch.isascii() for ch in question.text)
        slot = answer_slot(question.text) if self.weights.slot else None
        out = []
        for rank, passage in enumerate(passages):
            if passage.kind == "reference":
                continue
            prior = self.weights.rank_prior / (1 + rank)
            # a sentence of a document the question names by title, referring to itself ("本办法自…起施行"), states
            # the slot for that document whichever noun the question put next to its question word
            named = _names_document(question.text, passage.title)
            here = replace(slot, focus=()) if slot and named else slot
            for sentence in split_sentences(passage.text):
                text = sentence.text
                if (
                    len(text) < _MIN_SENTENCE_CHARS
                    or text.strip() == passage.title.strip()
                    or non_body(passage, sentence.start, sentence.end, text)
                    or (not english_ok and sum(c.isascii() for c in text) > 0.7 * len(text))
                ):
                    continue
                score = self.score(question, text, passage.section, passage.title if named else "")
                if score > 0 and here is not None and fills(here, text, passage.title):
                    score += self.weights.slot
                if score > 0:
                    out.append(Extract(text, rank, sentence.start, sentence.end, score + prior))
        return out

    def select(
        self,
        question: QuestionProfile,
        passages: list[Passage],
        exclude: set[str] | None = None,
        continuation: dict[int, int] | None = None,
    ) -> list[Extract]:
        """Sentences for the answer. ``continuation`` maps a passage's rank to the rank of the passage that
        follows it in the paper, so an enumeration introduced at a chunk's end ("启示如下：") stays whole."""
        pool = [c for c in self.candidates(question, passages) if not exclude or shown_text(c.text) not in exclude]
        if not pool:
            return []
        pool.sort(key=lambda c: -c.score)
        max_sentences, floor_share = self.weights.limit(question.kind, self.max_sentences)
        max_sentences = min(max_sentences, self.max_sentences)
        floor = pool[0].score * floor_share
        chosen: list[Extract] = []
        bigrams: list[set[str]] = []

        def take(candidate: Extract) -> bool:
            if exclude and shown_text(candidate.text) in exclude:  # also the rest of an enumeration
                return False
            # an enumeration or a sub-section's opening sentence is taken without going through the pool
            if non_body(passages[candidate.passage_rank], candidate.start, candidate.end, candidate.text):
                return False
            grams = char_bigrams(candidate.text)
            if any(c.passage_rank == candidate.passage_rank and c.start == candidate.start for c in chosen):
                return False
            if any(_jaccard(grams, g) > self.weights.redundancy for g in bigrams):
                return False
            chosen.append(candidate)
            bigrams.append(grams)
            return True

        by_heading: list[Extract] = []
        if question.kind == "list":
            best = pool[0]
            # the list may hang off any of the strongest sentences, not only the very best ...
            anchor = next((c for c in pool[:3] if self.section_enumeration(question, passages, c)), None)
            if anchor is not None:
                by_heading = [
                    e
                    for e in self.section_enumeration(question, passages, anchor)
                    if not exclude or shown_text(e.text) not in exclude
                ]
                # ... unless the best sentence opens a written-out list under a heading that fits at least as well
                own_heading = self.heading_coverage(question, passages[best.passage_rank].section)
                parent = parent_section(passages[anchor.passage_rank].section) or ""
                if self._opens_enumeration(best, passages) and own_heading > self.heading_coverage(question, parent):
                    by_heading = []
            if len(by_heading) < 2:  # "还有吗？" after the same list: one leftover is not a list
                by_heading = []
            for extract in by_heading:
                take(extract)
            if not by_heading:
                self._take_enumeration(best, passages, take, continuation or {})
        if question.kind == "compare":
            seen_sources: set[str] = set()
            for candidate in pool:
                source = passages[candidate.passage_rank].source
                if source not in seen_sources and candidate.score >= floor * 0.8 and len(seen_sources) < 4:
                    seen_sources.add(source)
                    take(candidate)
        limit = len(chosen) + max_sentences if question.kind == "list" and chosen else max(max_sentences, len(chosen))
        if question.kind == "list" and len(chosen) >= 3:
            limit = len(chosen) + 1  # a whole enumeration answers the question; one more sentence of context
        if by_heading:
            limit = len(chosen)  # the sub-sections are the items; anything more would be a different list
        for candidate in pool:
            if len(chosen) >= limit or candidate.score < floor:
                break
            take(candidate)
        return chosen

    @staticmethod
    def _opens_enumeration(extract: Extract, passages: list[Passage]) -> bool:
        """The sentence is a list item, or announces one that follows right after it in its passage."""
        if extract.text.endswith(("；", ";", "：", ":")) or _ENUMERATION.match(extract.text):
            return True
        following = [s for s in split_sentences(passages[extract.passage_rank].text) if s.start >= extract.end]
        return bool(following) and bool(_ENUMERATION.match(following[0].text))

    def heading_coverage(self, question: QuestionProfile, heading: str) -> float:
        weights = {t: self.idf(t) for t in question.terms}
        return sum(w for t, w in weights.items() if t in heading) / max(1e-6, sum(weights.values()))

    def section_enumeration(self, question: QuestionProfile, passages: list[Passage], best: Extract) -> list[Extract]:
        """When the best sentence sits in a section whose heading names the question's subject and whose
        sub-sections are the answer's items (a paper's "（一）…（二）…" under "面临的现实挑战"), the leading
        sentence of each sub-section, in document order."""
        anchor = passages[best.passage_rank]
        parent = parent_section(anchor.section)
        if anchor.kind == "reference" or parent is None:
            return []
        if self.heading_coverage(question, parent) < _HEADING_LIST_COVERAGE:
            return []
        children: dict[str, int] = {}  # sub-section -> rank of its earliest passage
        for rank, passage in enumerate(passages):
            if passage.source != anchor.source or parent_section(passage.section) != parent:
                continue
            first = children.get(passage.section)
            if first is None or passage.char_start < passages[first].char_start:
                children[passage.section] = rank
        if len(children) < 2:
            return []
        extracts = []
        for rank in sorted(children.values(), key=lambda r: passages[r].char_start)[:_MAX_LIST_ITEMS]:
            leading = self._leading_sentence(question, passages[rank])
            if leading is not None:
                extracts.append(Extract(leading.text, rank, leading.start, leading.end, best.score))
        return extracts

    def _leading_sentence(self, question: QuestionProfile, passage: Passage):
        """The sub-section's thesis: among its first sentences the one closest to the question, the first on ties."""
        opening = [s for s in split_sentences(passage.text) if len(s.text) >= _MIN_SENTENCE_CHARS][:_LEADING_WINDOW]
        if not opening:
            return None
        return max(opening, key=lambda s: self.score(question, s.text) + _FIRST_SENTENCE_BONUS * (s is opening[0]))

    def _take_enumeration(
        self, best: Extract, passages: list[Passage], take: Callable[[Extract], bool], continuation: dict[int, int]
    ) -> None:
        """Keep an enumeration whole when the best sentence opens or belongs to one: '一是……二是……',
        '（1）……（2）……', an intro ending in '：', or '：……；……；……。' clauses, also across a chunk boundary."""
        rank = best.passage_rank
        sentences = split_sentences(passages[rank].text)
        index = next((i for i, s in enumerate(sentences) if s.start == best.start), None)
        if index is None:
            return
        chosen: list[tuple[int, int]] = [(rank, index)]  # (passage rank, sentence index)
        # '启示如下：1. ……。2. ……。' — numbered items after the colon are the list, not the clauses up to a 。
        numbered_next = index + 1 < len(sentences) and _ENUMERATION.match(sentences[index + 1].text) is not None
        opens_clauses = best.text.endswith(("：", ":")) and index + 1 < len(sentences) and not numbered_next
        if best.text.endswith(("；", ";")) or opens_clauses:
            # '面临多重障碍：……；……；……。' — the clauses up to the closing 。 are the items
            for i in range(index + 1, len(sentences)):
                chosen.append((rank, i))
                if not sentences[i].text.endswith(("；", ";")):
                    break
        else:
            items = [i for i, s in enumerate(sentences) if _ENUMERATION.match(s.text)]
            if index in items or (items and index < items[0]):
                chosen += [(rank, i) for i in items if i > index]
        if len(chosen) > 1 or best.text.endswith(("：", ":")):
            chosen += self._continued_items(rank, chosen[-1][1], len(sentences), passages, continuation)
        for passage_rank, i in chosen[: _MAX_LIST_ITEMS + 1]:
            s = split_sentences(passages[passage_rank].text)[i]
            take(Extract(s.text, passage_rank, s.start, s.end, best.score))

    @staticmethod
    def _continued_items(
        rank: int, last_index: int, count: int, passages: list[Passage], continuation: dict[int, int]
    ) -> list[tuple[int, int]]:
        """The enumeration's items in the chunks that follow passage ``rank``: while the items found so far run
        to a passage's end (within its last three sentences), the next chunk's items belong to the same list;
        it ends at a chunk whose items stop before its end, or that has none."""
        items: list[tuple[int, int]] = []
        following = continuation.get(rank)
        while following is not None and last_index >= count - 3 and len(items) < _MAX_LIST_ITEMS:
            sentences = split_sentences(passages[following].text)
            found = [i for i, s in enumerate(sentences) if _ENUMERATION.match(s.text)]
            if not found:
                break
            items += [(following, i) for i in found]
            rank, last_index, count = following, found[-1], len(sentences)
            following = continuation.get(rank)
        return items

    @staticmethod
    def lead_in(question: QuestionProfile, mode: str = "standalone", titles: list[str] | None = None) -> str:
        if _ASKS_FOR_SOURCE.search(question.text) and titles:
            return prompts.LEAD_IN_SOURCE.format(titles="、".join(f"《{t}》" for t in dict.fromkeys(titles)))
        if mode == "more":
            return prompts.LEAD_IN_MORE
        if mode == "ordinal":
            return prompts.LEAD_IN_DETAIL
        return {
            "list": prompts.LEAD_IN_LIST,
            "why": prompts.LEAD_IN_WHY,
            "compare": prompts.LEAD_IN_COMPARE,
        }.get(question.kind, prompts.LEAD_IN_GENERAL)

    @staticmethod
    def order(chosen: list[Extract], passages: list[Passage]) -> list[Extract]:
        """Group by paper (in order of first relevance), then document order within each paper."""
        first_rank: dict[str, int] = {}
        for extract in sorted(chosen, key=lambda e: e.passage_rank):
            first_rank.setdefault(passages[extract.passage_rank].source, extract.passage_rank)
        return sorted(
            chosen,
            key=lambda e: (
                first_rank[passages[e.passage_rank].source],
                passages[e.passage_rank].char_start,
                e.start,
            ),
        )
