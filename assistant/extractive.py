"""The default backend: an answer made of verbatim source sentences, each cited. Grounded by construction."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant import prompts
from assistant.answer import Passage, kind_spans
from assistant.gate import owners_and_years
from assistant.question import QuestionProfile
from assistant.slots import (
    Slot,
    answer_slot,
    asked_terms,
    belongs_elsewhere,
    field_item,
    fills,
    is_item_head,
    names_none,
    of_which,
    ranked_level,
    ranks_places,
    refers_to_itself,
    self_references,
    sibling_places,
    states_figure_of,
    table_header,
    with_column_units,
)
from core.enumeration import Series, field_label, item_label, without_item_label
from core.papers import shown_title, title_forms
from core.schema import SECTION_SEPARATOR, parent_section
from core.sentence_kinds import BODY, KEYWORDS, gives_contact, gives_deadline, sentence_kind, strip_markup
from core.sentences import split_sentences
from core.settings import AnswerSettings
from core.tokenize import char_bigrams, tokenize

if TYPE_CHECKING:
    from assistant.index import LineScore

# a list item's opening: a label (（一）, 1., ①, 一是, 首先…), a bullet (•, ●, ▪: manuals and converted PDFs list
# their items so, "• E: 代表错误：…"), or a "…型…：" label
_ENUMERATION = re.compile(
    r"^(\*\*)?([•●▪◦]|（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]是|[①-⑳]|\d+[.、．]|"
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
    # (max sentences, keep a sentence only above this share of the best score) per question kind. Refitted on
    # branch s22-comp (tuning splits only, retrieval held fixed: every tuning item re-run through Assistant.ask
    # per setting; papers then official as key points / lines on point, starting at .881/.661 and .647/.419 with
    # (3, 0.6), (4, 0.55), (4, 0.5), (6, 0.45)). why (4, 0.7): lines +.009/+.018, key points unchanged (3
    # sentences: official key points .660); list floor 0.6: papers lines .749 → .771, key points unchanged (0.65
    # or max 3: papers key points .872). Compare floor 0.6 loses papers key points (.876): unchanged.
    # The fact limit stays (3, 0.6). A fact answer's second and third lines were off point in 84-100 % (papers) and
    # 76-94 % (official) of tuning answers, and on tuning every fact floor up to 0.75 (and (2, 0.85)) kept key
    # points (lines .741-.774 / .487-.590), but the test split disagreed: (2, 0.85) took official test key points
    # .638 → .589 and (3, 0.7) to .625 (papers .719 either way), so those lines hold answers on unseen questions
    # more often than on tuning ones; with (3, 0.6) official test key points are .652.
    limits: tuple[tuple[str, int, float], ...] = (
        ("fact", 3, 0.6),
        ("why", 4, 0.7),
        ("list", 4, 0.6),
        ("compare", 6, 0.45),
    )
    # Added to a sentence in a defining or content-giving form (_DEFINES: "是指", "包括", "分为") when the question
    # asks what something is or holds (_ASKS_WHAT): such questions' best-scored sentence often only repeats the
    # question's words ("…报送…经营情况报告。") while the one that gives the content ("报告应包括…") scores lower.
    # Tuning, old limits: 0 → .881/.661, .647/.419; 0.1 → .881/.661, .667/.415; 0.2 → .872/.647, .647/.380;
    # 0.35 → .859/.645, .571/.352. With fact (2, 0.85), why (4, 0.7), list (4, 0.6): 0.05 → official key points .646
    # (from .679), 0.15 → official lines .582 (from .590).
    definition: float = 0.1
    # sentences taken after a whole enumeration (3+ items) as its context: 0 → papers lines .661 → .676 but
    # official key points .647 → .628 (the context line held a point), so 1
    list_context: int = 1
    # a sentence after the best one (fact/why/compare, from the scored pool) is kept only when it names at least
    # this idf-weighted share of the question's terms that the lines already kept do not. Off: 0.05 → lines
    # .737/.502 but key points .864/.548 (from .881/.647); 0.15 and 0.3 lose the same key points
    novelty: float = 0.0
    # a fact question asking what/which whose best sentence announces an enumeration ("…常带有以下几种标记：")
    # gets the enumeration: official key points .647 → .679 with bullets as list items; on why-questions it took
    # an announced command instead of the reason, so only fact questions asking what
    follow_announced: bool = True
    # Dense similarity of a sentence's line to the question (the vector ingest stored for the line,
    # assistant.index.Generation.line_similarities; nothing is embedded per answer): added as ``dense`` ×
    # max(0, 1 − (best line's similarity − this line's) / ``dense_margin``), so the line closest in meaning to
    # the question, which a paraphrased question ("开门要花的钱谁出") shares few words with, wins among the
    # sentences that name some of its terms. The values live in AnswerSettings (dense_line_weight,
    # dense_line_margin), with their sweep.
    dense: float = 0.0
    dense_margin: float = 0.02
    # Only fact questions (tuning, weight 0.3, margin 0.02; papers / official / colloquial key points / lines on
    # point): fact .894/.707, .760/.494, .543/.524; fact and list .875/.694, .760/.500, .552/.527 (a list's items
    # hang off its best sentence, and a line vector moved that to another list); fact and why .894/.707, .760/.500,
    # .523/.517; fact and compare .892/.709, .760/.494, .543/.524; all kinds at margin 0.1 .886/.635, .740/.419,
    # .523/.427.
    dense_kinds: tuple[str, ...] = ("fact",)
    # A sentence naming none of the question's terms gets no dense credit: with it (fact only, margin 0.03)
    # colloquial lines on point .511 → .497, key points unchanged; the closest line's other sentences came in.
    dense_needs_words: bool = True
    # A document that asks the question itself (a Q&A leaflet's "12.问：申请需要准备哪些材料？") answers it in the
    # sentences after its question: they are the answer when the document's question holds at least this
    # idf-weighted share of the asked question's terms (its best such question; 0 turns it off). The leaflet's
    # question line is no answer line (``non_body``), and its answer's lines share few words with the question
    # ("（1）身份证件；"), so scored one by one they lost to a sentence on how to apply (trial 9).
    own_question: float = 0.75

    def limit(self, kind: str, default: int) -> tuple[int, float]:
        return next(((n, floor) for k, n, floor in self.limits if k == kind), (default, 0.45))


DEFAULT_WEIGHTS = SentenceWeights()
# Grammatical forms of Chinese that state what something is or contains (definition and enumeration verbs), and
# the question words that ask for it: forms of the language, not words of any document.
_DEFINES = re.compile(r"是指|指的是|系指|包括|包含|分为")
_ASKS_WHAT = re.compile(r"什么|哪些|哪几|哪类|哪种|啥|指的是|包括")
_ASKS_FOR_SOURCE = re.compile(r"哪篇|哪一篇|出自|出处|谁提出|哪位作者|作者是谁|哪个作者|来源")
# Constants below measured with the tuning sweep (branch s20-kinds, retrieval held fixed; mean key points / lines
# on point over both suites .726/.447 at these values). A sentence shorter than this is not an answer line: 5, 8
# and 12 measure the same (the short pieces are labels and fragments, now mostly flagged at ingest).
_MIN_SENTENCE_CHARS = 8
# A heading's own number ("2.3 ", "（三）", "三、", "第三节 "): the answer numbers the sub-sections it lists itself.
_HEADING_LABEL = re.compile(
    r"^\s*(\d{1,2}(\.\d{1,2}){1,3}\s*|\d{1,2}\s+|[（(][一二三四五六七八九十\d]{1,3}[）)]\s*|[一二三四五六七八九十]{1,3}、\s*"
    r"|第[一二三四五六七八九十\d]{1,3}[章节]\s*)(?=\S)"
)
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
    # the sub-section heading this sentence opens, when the answer lists a section's sub-sections: shown as the
    # item's own line above the sentence (structure, not a claim)
    heading: str = ""
    # a field line of a numbered item ("责任单位：甲局、乙局"): the list a question for the item's bodies asks for
    field: bool = False


# A clause's sentence goes on to its full stop within this many characters: in the papers and the evaluation corpora
# the rest of a sentence after its first ；runs 18 characters at the median, 97 at the 95th percentile (382
# sentences); the few longer ones are paragraph-long enumerations, not one statement.
_MAX_CLAUSE_TAIL = 160


def _completed(extract: Extract, slot: Slot, passage: Passage) -> Extract:
    """A clause ending in ；that does not state the asked figure, date or body ("…超过核定数量投放车辆的，由县城市
    管理局责令限期改正；"), extended to its sentence's full stop when the rest of the sentence states it
    ("逾期不改正的，处1万元以上3万元以下罚款；…。"): the composer weighs clauses, and the asked term sits in the
    first one, the figure in the next."""
    text, any_focus = passage.text, replace(slot, focus=())
    if not extract.text.rstrip().endswith(("；", ";")) or fills(any_focus, extract.text, passage.title):
        return extract
    stop = text.find("。", extract.end)
    if stop < 0 or stop - extract.end > _MAX_CLAUSE_TAIL or "\n" in text[extract.end : stop]:
        return extract
    if not fills(any_focus, text[extract.end : stop + 1], passage.title):
        return extract
    return replace(extract, text=text[extract.start : stop + 1], end=stop + 1)


def _inside(extract: Extract, other: Extract) -> bool:
    """Whether ``extract`` is a part of the longer ``other``, from the same passage."""
    return (
        extract is not other
        and extract.passage_rank == other.passage_rank
        and other.start <= extract.start
        and extract.end <= other.end
        and (other.end - other.start) > (extract.end - extract.start)
    )


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def shown_text(sentence: str) -> str:
    """A chosen sentence as the answer shows it (what a follow-up's "还有吗？" gets back as already said): without
    the source's markup — a footnote call ("…发展<sup>[1]</sup>。") would read as citation [1] of the answer, and
    "**" or "$" would show as typed — and without the item label it opens with ("1.", "（1）", "（一）", "二、",
    "①"; core.enumeration.without_item_label): the answer numbers its items itself, one numbering per line ("1. （一）…"
    reads as two), and a follow-up's "第二条" must mean the second item the official sees, not "2." of some paper."""
    return without_item_label(strip_markup(sentence))


def non_body(passage: Passage, start: int, end: int, text: str) -> bool:
    """The sentence ``passage.text[start:end]`` is not body prose: ingest flagged it (a citation line, the title
    block, an English abstract, a caption, …; ``Chunk.kinds``), or its form says so in a passage indexed
    without kinds."""
    spans = kind_spans(passage.kinds)
    if any(s < end and start < e for s, e in spans):
        return True
    if _asks_itself(text):
        # a document's own question (a Q&A leaflet's "问三：补贴能拿多少钱？") claims nothing: the citation verifier
        # does not count it (verify.parse_answer), and an answer made of such lines cites nothing it states
        return True
    # a contact line or a "label：a，b，c" line is furniture or content by where it stands (ingest decides:
    # ingest.chunking._units)
    kind = sentence_kind(text, chinese_document=False)
    return kind not in (BODY, KEYWORDS) and not gives_contact(text) and not gives_deadline(text)


def _asks_itself(sentence: str) -> bool:
    """A document's own question ("问三：补贴能拿多少钱？")."""
    return sentence.rstrip().endswith(("？", "?"))


_ITEM_NUMBER = re.compile(r"^\d+\. ")
_HEADING_ITEM = re.compile(r"[：:](?:\[\d+\])?$")


# A row of a table written as text: its label, then its values split by "；" ("3.丙镇：2022年零售额0.78亿元，…；网店数量
# 152家；服务站8个。"). The label is a few characters with no punctuation before the colon, after an optional number.
_ROW_LABEL = re.compile(
    r"[ \t　]*(?:\d{1,2}[.、．]\s*|[（(][一二三四五六七八九十\d]{1,3}[)）]\s*)?([^：:，,。；;\s]{1,12})[：:]"
)


def row_label(text: str, start: int) -> str:
    """The label of the row a sentence of ``text`` continues ("丙镇：" for "网店数量152家；" of the row above): a
    value shown without it belongs to no one (trial 5: "网店数量152家" under a question about two towns). "" for a
    sentence that opens its line, or follows a full stop ("答：…。具体请咨询…" is prose)."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].rstrip().endswith(("；", ";")):  # its values are split by semicolons
        return ""
    match = _ROW_LABEL.match(text, line_start)
    return f"{match.group(1)}：" if match and match.end() <= start and len(match.group(1)) >= 2 else ""


def answer_lines(ordered: list[Extract], marker: Callable[[Extract], int]) -> list[str]:
    """The answer's lines, each sentence verbatim with its [n]. A sentence that announces the items after it
    ("可以得出以下几点启示：") stands unnumbered above them; the source's own numeric labels give way to the
    answer's numbering, so no line reads "2. 1. …"; footnote calls are left out."""
    lines: list[str] = []
    item = 0
    previous_heading = ""
    for extract in ordered:
        n = marker(extract)
        shown = shown_text(extract.text)
        if extract.heading:
            # the item is the heading; its line ends in '：' without a marker, so it is read as structure, not as
            # a claim, and the sentence under it carries the citation; an item's next field stands under it too
            if extract.heading != previous_heading:
                item += 1
                lines.append(f"{item}. {_HEADING_LABEL.sub('', extract.heading).rstrip('：:。')}：")
            lines.append(f"   {shown}[{n}]")
            previous_heading = extract.heading
            continue
        previous_heading = ""
        # an announcing line ("…如下：") stands unnumbered above the items; one that had an item label is an item
        if shown.endswith(("：", ":")) and shown == strip_markup(extract.text):
            # the items start here: sentences above the announcement are context, not items, so "第二条" means
            # the list's second item (they lose their numbers and the numbering starts again); a labelled heading
            # above it ("1. 保障措施：") is an item whose own items follow
            if lines and not any(_HEADING_ITEM.search(line) for line in lines):
                lines = [_ITEM_NUMBER.sub("", line) for line in lines]
                item = 0
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
            lines.append(prompts.COMPARE_BLOCK_HEADING.format(title=shown_title(headings[source])))
        lines.append(f"{item}. {shown_text(extract.text)}[{marker(extract)}]")
    return lines


@lru_cache(maxsize=256)
def _title_forms(title: str) -> tuple[str, ...]:
    return tuple(title_forms(title))  # jieba tags the title: once per document, not per question and passage


def _names_document(question: str, title: str) -> bool:
    return bool(title) and any(form in question for form in _title_forms(title))


# What may open a sentence before its subject: an article's number, or a one- or two-character label with a colon
# (a Q&A leaflet's "答：").
_ARTICLE_LABEL = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+条|[\u4e00-\u9fff]{1,2}[：:])\s*")


def about_itself(sentence: str, title: str) -> bool:
    """Whether a sentence is about its own document: it opens, after its number, with what the document calls
    itself ("第三十四条 本办法由…负责解释", "《若干措施》自…起施行"). One that only mentions it ("…可参照本办法")
    is about something else (measured: crediting those brought such lines into compare answers)."""
    opening = _ARTICLE_LABEL.sub("", without_item_label(sentence.strip()))
    if opening.startswith(tuple(self_references(title))):
        return True
    return opening.startswith("《") and refers_to_itself(opening[: opening.find("》") + 1], title)


_BLANK_CHARS = re.compile(r"[_＿\s]")
_UNDERLINE = re.compile(r"[_＿]{4,}")


def form_blank(text: str) -> bool:
    """A line that is mostly a blank to fill in (an underline, with spaces), whatever its item label; a table row
    aligned by spaces is none."""
    body = without_item_label(text.strip())
    return _UNDERLINE.search(body) is not None and len(_BLANK_CHARS.findall(body)) > len(body) / 2


class ExtractiveComposer:
    def __init__(
        self,
        idf: Callable[[str], float],
        max_sentences: int = 6,
        weights: SentenceWeights = DEFAULT_WEIGHTS,
        max_list_items: int = AnswerSettings().max_list_items,
    ) -> None:
        self.idf = idf
        self.max_sentences = max_sentences
        self.weights = weights
        self.max_list_items = max_list_items

    def score(
        self, question: QuestionProfile, sentence: str, section: str = "", title: str = "", itself: str = ""
    ) -> float:
        """Idf-weighted share of the question's terms in the sentence, plus bigram overlap; a section heading
        that names the question's terms ("3.2 外部动力") lends its sentences a little weight. A term of
        ``title`` (the passage's document's title, when the question names that document by it) counts less
        (``title_discount``): it names the document, not the passage. A sentence that calls its document by
        itself (本办法: ``itself`` is then that document's title) says the title's terms."""
        terms = question.terms
        if not terms:
            return 0.0
        words = set(tokenize(sentence))
        keep = 1.0 - self.weights.title_discount
        weights = {t: self.idf(t) * (keep if title and t in title else 1.0) for t in terms}
        total = max(1e-6, sum(weights.values()))
        lexical = sum(w for t, w in weights.items() if t in words or t in sentence or t in itself) / total
        bigram = len(question.bigrams & char_bigrams(sentence)) / max(1, len(question.bigrams))
        heading = sum(w for t, w in weights.items() if t in section and t not in sentence) / total
        w = self.weights
        score = w.lexical * lexical + w.bigram * bigram + w.heading * heading
        if w.definition and lexical > 0 and _DEFINES.search(sentence) and _ASKS_WHAT.search(question.text):
            score += w.definition
        return score

    def new_terms(self, question: QuestionProfile, sentence: str, said: str) -> float:
        """Idf-weighted share of the question's terms that ``sentence`` names and ``said`` (the lines kept so far)
        does not."""
        weights = {t: self.idf(t) for t in question.terms}
        fresh = sum(w for t, w in weights.items() if t in sentence and t not in said)
        return fresh / max(1e-6, sum(weights.values()))

    def closeness(
        self, passages: list[Passage], lines: dict[str, list[LineScore]] | None
    ) -> Callable[[Passage, int, int], float]:
        """For a sentence (passage, start, end): how close its line is to the question in meaning, 1 for the
        closest line of all the passages, falling to 0 at ``dense_margin`` below it (0 without line vectors)."""
        margin = self.weights.dense_margin
        known = [line.similarity for p in passages for line in (lines or {}).get(p.chunk_id, [])]
        if not self.weights.dense or not known:
            return lambda passage, start, end: 0.0
        best = max(known)

        def close(passage: Passage, start: int, end: int) -> float:
            found = [x.similarity for x in (lines or {}).get(passage.chunk_id, []) if x.start < end and start < x.end]
            return max(0.0, 1.0 - (best - max(found)) / margin) if found else 0.0

        return close

    def candidates(
        self, question: QuestionProfile, passages: list[Passage], lines: dict[str, list[LineScore]] | None = None
    ) -> list[Extract]:
        english_ok = all(ch.isascii() for ch in question.text)
        slot = answer_slot(question.text) if self.weights.slot else None
        # whose figure is asked: a figure of another year, or the whole area's beside the asked place's, is not it
        owners = owners_and_years(question.text) if slot is not None else []
        years = tuple(o for o in owners if o.isdigit())
        ranked = ranked_level(question.text)
        places = [o.lower() for o in owners if not o.isdigit()]
        close = self.closeness(passages, lines if question.kind in self.weights.dense_kinds else None)
        # for field lines (below): the question's words besides how it asks, and what the passages say
        asked = asked_terms(question.terms, question.text)
        said = "".join(p.lead + p.text for p in passages)
        out = []
        for rank, passage in enumerate(passages):
            if passage.kind == "reference":
                continue
            prior = self.weights.rank_prior / (1 + rank)
            # a sentence of a document the question names by title, referring to itself ("本办法自…起施行"), states
            # the slot for that document whichever noun the question put next to its question word
            named = _names_document(question.text, passage.title)
            # a passage going through the asked place's siblings one by one ("分村看：甲村…、乙村…")
            siblings = bool(places) and bool(sibling_places(passage.text, places))
            here = replace(slot, focus=()) if slot and named else slot
            previous = ""
            for sentence in split_sentences(passage.text):
                text, before, previous = sentence.text, previous, sentence.text
                if (
                    len(text) < _MIN_SENTENCE_CHARS
                    or text.strip() == passage.title.strip()
                    or non_body(passage, sentence.start, sentence.end, text)
                    # mostly Latin letters, digits and signs: foreign to a Chinese question, unless it gives a
                    # telephone number or e-mail ("联系电话：0579-8632 4518" is 70 % ASCII)
                    or (not english_ok and sum(c.isascii() for c in text) > 0.7 * len(text) and not gives_contact(text))
                ):
                    continue
                # a field line ("责任单位：…") the question asks for (it names the field, or the line fills its
                # slot) is about its item, as a sentence is about its section's heading, and is as close to the
                # question in meaning as the item's closest line; another question weighs the line alone
                item = field_item(passage, sentence.start, sentence.end)
                label = field_label(text) or ""
                if item and not (
                    any(t in label for t in question.terms)
                    or (here is not None and fills(here, text, passage.title, about=item))
                ):
                    item = ""
                if item:
                    # what the question names besides the field it asks for and how it asks (哪个部门, 负责), in
                    # words the passages use ("搞完" tells no item from another)
                    acts = here.acts if here is not None else ()
                    rest = tuple(t for t in asked if t not in text and t not in acts and t in said)
                    if rest and self.heading_coverage(question, item, rest) < _HEADING_LIST_COVERAGE:
                        # another item's field: its item does not name what the question is about, as a heading
                        # that names too little of a list question is not its list ("狗…不清理…谁来罚" is not
                        # asked of the 责任单位 of an item whose text says 清理, trial 2)
                        continue
                section = f"{passage.section}\n{item}" if item else passage.section
                # a table's row is about what its header names ("起付线（元）", "个人实际缴费") as a sentence is
                # about its heading (trial 11: the rows answering "…起付线多少" name only their level and figures)
                header = table_header(passage.text, sentence.start, sentence.end)
                section = f"{section}\n{header}" if header else section
                # "本办法自…起施行" names 考核办法 of "这个考核办法啥时候开始用" as much as the covering letter
                # quoting the full title does (trial 11)
                itself = passage.title if about_itself(text, passage.title) else ""
                score = self.score(question, text, section, passage.title if named else "", itself)
                if score > 0 or not self.weights.dense_needs_words:
                    score += self.weights.dense * close(passage, max(0, sentence.start - len(item)), sentence.end)
                about, filled = "", False
                if score > 0 and here is not None:  # the slot's tests only for a sentence that counts
                    about = item or of_which(text, before, passage.lead)
                    row = with_column_units(passage.text, sentence.start, sentence.end, header)
                    filled = fills(here, row, passage.title, about=about, header=header)
                if filled:
                    if belongs_elsewhere(text, years) or (
                        siblings and names_none(places, text, passage.title + passage.section + before + about)
                    ):
                        # another year's figure is not the asked one ("2022年…41.2万吨" for 2023), however alike
                        # the two years' sentences read; nor is the sum of the places a passage then goes through
                        # (the gate's test, slots.slot_filled)
                        continue
                    score += self.weights.slot
                    if siblings and states_figure_of(text, places):
                        # the asked place's own figure in the places' list ("…、枫林村27.9万元、…") beats a
                        # sentence that names it beside another figure ("枫林村…收入仍低于30万元")
                        score += self.weights.slot
                elif score > 0 and ranked and ranks_places(text, ranked):
                    score += self.weights.slot  # the places side by side answer which one ranks first
                if score > 0:
                    # shown under its item's short title, or the reader cannot tell whose field it is
                    head = split_sentences(item)[0].text if item else ""
                    heading = head if is_item_head(head) else row_label(passage.text, sentence.start)
                    out.append(Extract(text, rank, sentence.start, sentence.end, score + prior, heading, bool(item)))
        return out

    def select(
        self,
        question: QuestionProfile,
        passages: list[Passage],
        exclude: set[str] | None = None,
        continuation: dict[int, int] | None = None,
        section_passages: Callable[[Passage], list[Passage]] | None = None,
        structure: bool = True,
        lines: dict[str, list[LineScore]] | None = None,
        about: tuple[str, ...] = (),
    ) -> list[Extract]:
        """Sentences for the answer. ``continuation`` maps a passage's rank to the rank of the passage that
        follows it in the paper, so an enumeration introduced at a chunk's end ("启示如下：") stays whole;
        ``section_passages`` gives every chunk of a passage's section, where a list question finds the section's
        own numbered paragraphs (``section_series``). Without ``structure`` (a follow-up about one item of an
        earlier list) no list of sub-sections or of the section's paragraphs is made: the item's own text is asked.
        ``lines`` holds the passages' lines' similarities to the question (``SentenceWeights.dense``).
        ``about``: what the earlier answer showed that a follow-up goes on from: the item "那第三条具体指什么？" asks
        about, or the lines "还有吗？" continues. The floor is set by their score as if they were in the pool (they
        are excluded from it), so sentences that share only the document's common words with the question are not
        shown as more."""
        pool = self.candidates(question, passages, lines)
        pool = [c for c in pool if not exclude or shown_text(c.text) not in exclude]
        if not pool:
            return []
        if structure and not exclude and (own := self._answer_to_own_question(question, passages, continuation or {})):
            return own
        pool.sort(key=lambda c: -c.score)
        max_sentences, floor_share = self.weights.limit(question.kind, self.max_sentences)
        max_sentences = min(max_sentences, self.max_sentences)
        floor = max([pool[0].score, *(self.score(question, text) for text in about)]) * floor_share
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
        if question.kind == "list" and not pool[0].field:
            best = pool[0]
            best_passage = passages[best.passage_rank]
            own_terms = self._document_terms(question, passages, best_passage.source)
            own_heading = self.heading_coverage(question, best_passage.section, own_terms)
            opens = self._opens_enumeration(best, passages)
            # the list may hang off any of the strongest sentences, not only the very best ...
            for candidate, untitled in self._list_anchors(question, pool, passages) if structure else []:
                coverage, items = self.section_enumeration(question, passages, candidate, untitled)
                if not items and section_passages is not None:
                    coverage, items = self.section_series(question, passages, candidate, section_passages, untitled)
                # ... unless the best sentence opens a written-out list under a heading that fits better
                if items and not (opens and own_heading > coverage):
                    by_heading = [e for e in items if not exclude or shown_text(e.text) not in exclude]
                    break
            # "还有吗？" after the same list: one leftover is not a list (one sub-section the question picks out is)
            if len(by_heading) < 2 and exclude:
                by_heading = []
            for extract in by_heading:
                take(extract)
            if not by_heading and best.score >= floor:  # below it only when ``about`` sets the floor
                self._take_enumeration(best, passages, take, continuation or {})
        # the best sentence announces items ("输出常带有以下几种标记："): they are the answer, whatever the
        # question's form ("…分别代表什么？" is profiled as a fact question)
        if (
            question.kind == "fact"
            and self.weights.follow_announced
            and pool[0].text.endswith(("：", ":"))
            and pool[0].score >= floor
            and _ASKS_WHAT.search(question.text)
            and self._opens_enumeration(pool[0], passages)
        ):
            self._take_enumeration(pool[0], passages, take, continuation or {})
        if question.kind == "compare":
            seen_sources: set[str] = set()
            for candidate in pool:
                source = passages[candidate.passage_rank].source
                if source not in seen_sources and candidate.score >= floor * 0.8 and len(seen_sources) < 4:
                    seen_sources.add(source)
                    take(candidate)
        limit = len(chosen) + max_sentences if question.kind == "list" and chosen else max(max_sentences, len(chosen))
        if question.kind == "list" and len(chosen) >= 3:
            # a whole enumeration answers the question; ``list_context`` more sentences of context
            limit = len(chosen) + self.weights.list_context
        if by_heading:
            limit = len(chosen)  # the sub-sections are the items; anything more would be a different list
        fresh_only = question.kind != "list" and self.weights.novelty > 0
        # a list question whose best sentence held no list: a later sentence that announces one brings its items
        # ("第十三条 禁止携犬进入下列场所：" under a best sentence of another document)
        announced = question.kind != "list" or len(chosen) >= 3 or bool(by_heading)
        for candidate in pool:
            if len(chosen) >= limit or candidate.score < floor:
                break
            if fresh_only and chosen:
                said = "".join(c.text for c in chosen)
                if self.new_terms(question, candidate.text, said) < self.weights.novelty:
                    continue
            opens = not announced and candidate.text.endswith(("：", ":"))
            if take(candidate) and opens and self._opens_enumeration(candidate, passages):
                self._take_enumeration(candidate, passages, take, continuation or {})
                announced = True
                limit = max(limit, len(chosen) + self.weights.list_context)
        # an item's title shown above its field line is not a line of its own as well; a form's blank to fill
        # ("1. ______", under "申请事由：" of an attached application form, trial 12) says nothing
        headings = {c.heading for c in chosen if c.field}
        chosen = [c for c in chosen if c.text not in headings and not form_blank(c.text)]
        if question.kind == "fact":
            chosen += self._announcements(chosen, passages)
            chosen += self._announced_content(chosen, passages, continuation or {})
        if (slot := answer_slot(question.text) if self.weights.slot else None) is not None:
            chosen = [_completed(extract, slot, passages[extract.passage_rank]) for extract in chosen]
            # a clause completed to its sentence's end holds the sentence's later clause: not a line of its own too
            chosen = [e for e in chosen if not any(_inside(e, other) for other in chosen)]
        return chosen

    def _answer_to_own_question(
        self, question: QuestionProfile, passages: list[Passage], continuation: dict[int, int]
    ) -> list[Extract]:
        """The document's answer to the question when it asks it itself (``SentenceWeights.own_question``): the body
        sentences after its best-matching question up to its next question, also in the chunks that follow, at most
        as many as one enumeration's items. [] when no document question holds enough of the asked one."""
        if not self.weights.own_question or not question.terms:
            return []
        weights = {t: self.idf(t) for t in question.terms}
        total = max(1e-6, sum(weights.values()))
        best: tuple[float, int, int] | None = None
        for rank, passage in enumerate(passages):
            if passage.kind == "reference":
                continue
            for index, sentence in enumerate(split_sentences(passage.text)):
                if not _asks_itself(sentence.text):
                    continue
                share = sum(w for t, w in weights.items() if t in sentence.text) / total
                if share >= self.weights.own_question and (best is None or share > best[0]):
                    best = (share, rank, index)
        if best is None:
            return []
        share, rank, index = best
        out: list[Extract] = []
        sentences = split_sentences(passages[rank].text)
        while True:
            for sentence in sentences[index + 1 :]:
                if _asks_itself(sentence.text) or len(out) > self.max_list_items:
                    return out
                body = not non_body(passages[rank], sentence.start, sentence.end, sentence.text)
                if body and not form_blank(sentence.text):
                    out.append(Extract(sentence.text, rank, sentence.start, sentence.end, share))
            following = continuation.get(rank)
            if following is None:
                return out
            # the next chunk opens with the last sentence of this one (chunk overlap)
            shown = {s.text for s in sentences}
            rank, sentences = following, split_sentences(passages[following].text)
            index = 0 if sentences and sentences[0].text in shown else -1

    def _list_anchors(
        self, question: QuestionProfile, pool: list[Extract], passages: list[Passage]
    ) -> list[tuple[Extract, bool]]:
        """Sentences a list question's list may hang off, each with whether its heading is matched without the
        document title's words: the three strongest (with them), then the strongest of every other section of
        the strongest sentence's document whose heading names the rest of the question ("二、主要任务" for
        "湿地保护行动有哪些任务", in a document titled "…湿地保护行动方案"), best-named first. The strongest
        sentences can all sit elsewhere when the question repeats the title's words (a covering letter names the
        whole title; so does a work group's name), and then the sentences under the named heading score below the
        answer's floor: the heading, not their score, makes them the list. Not another document's section: a
        question two papers answer took a third paper's "…建议" heading (papers tuning, one item); title words
        stay in for the strongest three for the same reason."""
        anchors = [(candidate, False) for candidate in pool[:3]]
        tried = {passages[c.passage_rank].section for c in pool[:3]}
        source = passages[pool[0].passage_rank].source
        named: dict[str, tuple[float, Extract]] = {}
        for candidate in pool[3:]:
            passage = passages[candidate.passage_rank]
            if passage.source != source or not passage.section or passage.section in tried | named.keys():
                continue
            terms = self._document_terms(question, passages, passage.source, untitled=True)
            leaf = passage.section.rsplit(SECTION_SEPARATOR, 1)[-1]
            coverage = self.heading_coverage(question, leaf, terms)
            if coverage >= _HEADING_LIST_COVERAGE:
                named[passage.section] = (coverage, candidate)
        by_name = [(c, True) for _, c in sorted(named.values(), key=lambda pair: -pair[0])]
        # last, the strongest three without the title's words: a question naming the document by its title's words
        # ("…整治方案里重点任务有哪些") finds its list under a heading that names only the rest ("三、重点任务")
        return anchors + by_name + [(candidate, True) for candidate in pool[:3]]

    @staticmethod
    def _announcements(chosen: list[Extract], passages: list[Passage]) -> list[Extract]:
        """The announcement of each numbered item chosen alone ("停车场经营者不得有下列行为：" above "（四）将停车位
        出售给个人。"): an item shown without it can say the opposite of what the document says."""
        out: list[Extract] = []
        taken = {(c.passage_rank, c.start) for c in chosen}

        def listed(text: str) -> bool:  # an item of a list ("（四）", "2."), not an article ("第四条") or "第一，"
            label = item_label(text)
            return label is not None and "第" not in label[0]

        for extract in chosen:
            if not listed(extract.text):
                continue
            announcement = None
            for sentence in split_sentences(passages[extract.passage_rank].text):
                if sentence.start >= extract.start:
                    break
                if sentence.text.rstrip().endswith(("：", ":")):
                    announcement = sentence
                elif not listed(sentence.text):
                    announcement = None  # prose or an article between: the item is not that announcement's
            if announcement is not None and (extract.passage_rank, announcement.start) not in taken:
                taken.add((extract.passage_rank, announcement.start))
                start, end = announcement.start, announcement.end
                out.append(Extract(announcement.text, extract.passage_rank, start, end, extract.score))
        return out

    @staticmethod
    def _announced_content(
        chosen: list[Extract], passages: list[Passage], continuation: dict[int, int]
    ) -> list[Extract]:
        """The sentence after each chosen line that announces what follows and is shown without it ("社区季度得分按
        以下公式计算：" without its formula, trial 11): the line says only that the answer comes next. From the
        next chunk (``continuation``) when the announcement ends its own."""
        out: list[Extract] = []
        taken = {(c.passage_rank, c.start) for c in chosen}
        for extract in chosen:
            if not extract.text.rstrip().endswith(("：", ":")):
                continue
            rank = extract.passage_rank
            if any(c.passage_rank == rank and c.start >= extract.end for c in chosen):
                continue  # shown with an item of what it announces (``_announcements``)
            following = [s for s in split_sentences(passages[rank].text) if s.start >= extract.end]
            if not following and rank in continuation:
                # the next chunk opens with the last sentence of this one (chunk overlap)
                rank = continuation[rank]
                following = [s for s in split_sentences(passages[rank].text) if s.text != extract.text]
            if not following or (rank, following[0].start) in taken:
                continue
            sentence = following[0]
            taken.add((rank, sentence.start))
            out.append(Extract(sentence.text, rank, sentence.start, sentence.end, extract.score))
        return out

    @staticmethod
    def _opens_enumeration(extract: Extract, passages: list[Passage]) -> bool:
        """The sentence is a list item, or announces one that follows right after it in its passage."""
        if extract.text.endswith(("；", ";", "：", ":")) or _ENUMERATION.match(extract.text):
            return True
        following = [s for s in split_sentences(passages[extract.passage_rank].text) if s.start >= extract.end]
        return bool(following) and bool(_ENUMERATION.match(following[0].text))

    def heading_coverage(self, question: QuestionProfile, heading: str, terms: tuple[str, ...] | None = None) -> float:
        """Idf-weighted share of the question's terms (or of ``terms``) that ``heading`` names."""
        weights = {t: self.idf(t) for t in (question.terms if terms is None else terms)}
        return sum(w for t, w in weights.items() if t in heading) / max(1e-6, sum(weights.values()))

    @staticmethod
    def _document_terms(
        question: QuestionProfile, passages: list[Passage], source: str, untitled: bool = False
    ) -> tuple[str, ...]:
        """The question's terms that the document's passages use. A term the document never uses cannot be named
        by one of its headings: it says which document is meant (an abbreviation of its authors' institute) or
        how the question is phrased (a count word, a verb of saying), not what the section is about.
        ``untitled`` leaves out the document title's words too: what every section is about, so no heading need
        repeat them."""
        own = [p for p in passages if p.source == source]
        text = "".join(p.section + p.text for p in own)
        used = tuple(t for t in question.terms if t in text) or question.terms
        if not untitled or not own:
            return used
        return tuple(t for t in used if t not in own[0].title) or used

    def section_enumeration(
        self, question: QuestionProfile, passages: list[Passage], best: Extract, untitled: bool = False
    ) -> tuple[float, list[Extract]]:
        """When the best sentence sits in a sub-section whose siblings are the answer's items — the parent
        heading, with the words every sibling heading shares, names the question's subject ("…的关键机制" >
        "把握甲与乙的关系：…", "把握丙与丁的关系：…") — each sub-section's heading with its leading sentence, in
        document order, with the share of the question the headings name."""
        anchor = passages[best.passage_rank]
        parent = parent_section(anchor.section)
        if anchor.kind == "reference" or parent is None:
            return 0.0, []
        children: dict[str, int] = {}  # sub-section -> rank of its earliest passage
        for rank, passage in enumerate(passages):
            if passage.source != anchor.source or parent_section(passage.section) != parent:
                continue
            first = children.get(passage.section)
            if first is None or passage.char_start < passages[first].char_start:
                children[passage.section] = rank
        if len(children) < 2:
            return 0.0, []
        terms = self._document_terms(question, passages, anchor.source, untitled)
        leaves = [section.rsplit(SECTION_SEPARATOR, 1)[-1] for section in children]
        shared = "".join(t for t in terms if all(t in leaf for leaf in leaves))
        coverage = self.heading_coverage(question, parent + "｜" + shared, terms)
        if coverage < _HEADING_LIST_COVERAGE:
            return coverage, []
        # a word some sibling headings name and others do not picks those out ("内部…有哪些" of "内部…" and
        # "外部…"): the question asks for their items, not for the whole list of siblings. Any word of the
        # question counts here (jieba tags 内部/外部/上游 as localisers, which question terms leave out) except the
        # parent heading's and the document title's: those name what the whole list is about ("创新" of a paper on
        # 创新 in three of four "创新…" / "区域…" challenge headings picks nothing out).
        about = parent + anchor.title
        distinct = {w for w in tokenize(question.text) if w not in about and any(w in leaf for leaf in leaves)}
        distinct = {w for w in distinct if not all(w in leaf for leaf in leaves)}
        picked = [section for section, leaf in zip(children, leaves, strict=True) if any(w in leaf for w in distinct)]
        extracts = []
        ranks = [children[section] for section in picked or children]
        for rank in sorted(ranks, key=lambda r: passages[r].char_start)[: self.max_list_items]:
            leading = self._leading_sentence(question, passages[rank])
            if leading is not None:
                heading = passages[rank].section.rsplit(SECTION_SEPARATOR, 1)[-1]
                extracts.append(Extract(leading.text, rank, leading.start, leading.end, best.score, heading))
        return coverage, extracts

    def section_series(
        self,
        question: QuestionProfile,
        passages: list[Passage],
        best: Extract,
        section_passages: Callable[[Passage], list[Passage]],
        untitled: bool = False,
    ) -> tuple[float, list[Extract]]:
        """When the best sentence's section heading names the question's subject ("政策建议") and the section
        numbers its own paragraphs as one series ("(1) …。① …② …(2) …"), the series' items in document order:
        the section's top-level enumeration, not the lists nested in its items. The top level is the label style
        whose numbers run 1, 2, 3 … once through the section (a nested style restarts in every item); with two
        such styles, the one that starts first. ``section_passages`` gives every chunk of the section: those
        holding an item join ``passages``."""
        anchor = passages[best.passage_rank]
        if anchor.kind == "reference" or not anchor.section:
            return 0.0, []
        leaf = anchor.section.rsplit(SECTION_SEPARATOR, 1)[-1]
        terms = self._document_terms(question, passages, anchor.source, untitled)
        coverage = self.heading_coverage(question, leaf, terms)
        if coverage < _HEADING_LIST_COVERAGE:
            return coverage, []
        chunks = sorted(section_passages(anchor), key=lambda p: p.char_start)
        labelled: list[tuple[tuple[str, int], Passage, object]] = []
        seen: set[str] = set()
        for chunk in chunks:
            for sentence in split_sentences(chunk.text):
                label = item_label(sentence.text)
                if sentence.text in seen or label is None:  # chunks overlap by a sentence
                    continue
                seen.add(sentence.text)
                labelled.append((label, chunk, sentence))
        numbers: dict[str, list[int]] = {}
        for (style, number), _, _ in labelled:
            numbers.setdefault(style, []).append(number)
        top = [style for style, found in numbers.items() if len(found) >= 2 and found == list(range(1, len(found) + 1))]
        if not top:
            return coverage, []
        style = top[0]  # styles are in order of first appearance
        extracts = []
        for (own, _number), chunk, sentence in labelled:
            if own != style or len(extracts) >= self.max_list_items:
                continue
            rank = next((r for r, p in enumerate(passages) if p.chunk_id == chunk.chunk_id), None)
            if rank is None:
                passages.append(chunk)
                rank = len(passages) - 1
            extracts.append(Extract(sentence.text, rank, sentence.start, sentence.end, best.score))
        return coverage, extracts

    def _leading_sentence(self, question: QuestionProfile, passage: Passage):
        """The sub-section's thesis: among its first body sentences the one closest to the question, the first on
        ties (a caption naming the question's words is not a thesis, and never an answer line)."""
        opening = [
            s
            for s in split_sentences(passage.text)
            if len(s.text) >= _MIN_SENTENCE_CHARS and not non_body(passage, s.start, s.end, s.text)
        ][:_LEADING_WINDOW]
        if not opening:
            return None
        return max(opening, key=lambda s: self.score(question, s.text) + _FIRST_SENTENCE_BONUS * (s is opening[0]))

    def _take_enumeration(
        self, best: Extract, passages: list[Passage], take: Callable[[Extract], bool], continuation: dict[int, int]
    ) -> None:
        """Keep an enumeration whole when the best sentence opens or belongs to one: '一是……二是……',
        '（1）……（2）……', an intro ending in '：', or '：……；……；……。' clauses, also across a chunk boundary.
        A numbered list is followed as one series ((一) … (十二), see ``core.enumeration.Series``): items of a
        list nested in an item (① ② under (1)) are the item's text, and the list ends where its numbering restarts
        or the article it was announced in is followed by the next ("第十二条")."""
        rank = best.passage_rank
        sentences = split_sentences(passages[rank].text)
        index = next((i for i, s in enumerate(sentences) if s.start == best.start), None)
        if index is None:
            return
        chosen: list[tuple[int, int]] = [(rank, index)]  # (passage rank, sentence index)
        # '启示如下：1. ……。2. ……。' — numbered items after the colon are the list, not the clauses up to a 。
        numbered_next = index + 1 < len(sentences) and _ENUMERATION.match(sentences[index + 1].text) is not None
        opens_clauses = best.text.endswith(("：", ":")) and index + 1 < len(sentences) and not numbered_next
        series: Series | None = None
        closed = False  # the clauses' closing 。 is in the passage: nothing of them is in the next chunk
        if best.text.endswith(("；", ";")) or opens_clauses:
            # '面临多重障碍：……；……；……。' — the clauses up to the closing 。 are the items
            for i in range(index + 1, len(sentences)):
                chosen.append((rank, i))
                if not sentences[i].text.endswith(("；", ";")):
                    closed = True
                    break
        else:
            series, items = self._series_items(sentences, index)
            chosen += [(rank, i) for i in items]
        # a closed clause list does not go on in the next chunk: the next articles ("第三十四条…") are no items of
        # "第三十三条 …给予警告；拒不改正的，处…罚款。" (trial 8 listed four penalty articles so)
        if not closed and (len(chosen) > 1 or best.text.endswith(("：", ":"))):
            chosen += self._continued_items(rank, chosen[-1][1], len(sentences), passages, continuation, series)
        for passage_rank, i in chosen[: self.max_list_items + 1]:
            s = split_sentences(passages[passage_rank].text)[i]
            take(Extract(s.text, passage_rank, s.start, s.end, best.score))

    @staticmethod
    def _series_items(sentences: list, index: int) -> tuple[Series | None, list[int]]:
        """The enumeration sentence ``index`` belongs to or announces, as indices of its sentences after ``index``
        (with the announcing sentence, "…应包含以下内容：", when it is not ``index`` itself), and the series to go on
        with in the next chunks. Without numbered labels (首先…其次…), every enumeration-like sentence after it."""
        own = item_label(sentences[index].text)
        first = next((i for i in range(index + 1, len(sentences)) if item_label(sentences[i].text)), None)
        if first is None:
            if own is not None:
                return Series(own), []
            return None, [i for i in range(index + 1, len(sentences)) if _ENUMERATION.match(sentences[i].text)]
        # "…应包含以下内容：" announces the list: the sentence itself ("第二十九条 …有下列情形的：") or one after it
        announced = sentences[first - 1].text.endswith(("：", ":"))
        announcement = first - 1 > index and announced
        if own is not None and not announced:
            # an item in the middle of its list: the items after it (the earlier ones rank lower by themselves)
            series = Series(own)
            return series, [i for i in range(index + 1, len(sentences)) if series.feed(sentences[i].text)]
        label = item_label(sentences[first].text)
        assert label is not None
        series = Series(label, enclosing=own)
        items = [first - 1] if announcement else []
        items.append(first)
        items += [i for i in range(first + 1, len(sentences)) if series.feed(sentences[i].text)]
        return series, items

    def _continued_items(
        self,
        rank: int,
        last_index: int,
        count: int,
        passages: list[Passage],
        continuation: dict[int, int],
        series: Series | None = None,
    ) -> list[tuple[int, int]]:
        """The enumeration's items in the chunks that follow passage ``rank``. A numbered series goes on until it
        ends (its numbering restarts, the enclosing article ends) or the chunks followed run out; a list without
        numbers while its items run to a passage's end (within its last three sentences) and the next chunk has
        some. The first sentence of a following chunk repeats the last of the one before (chunk overlap)."""
        items: list[tuple[int, int]] = []
        following = continuation.get(rank)
        while following is not None and len(items) < self.max_list_items:
            if series is None and last_index < count - 3:
                break
            previous = {s.text for s in split_sentences(passages[rank].text)}
            sentences = split_sentences(passages[following].text)
            fresh = [i for i, s in enumerate(sentences) if not (i == 0 and s.text in previous)]
            if series is not None:
                found = [i for i in fresh if series.feed(sentences[i].text)]
                if series.ended and not found:
                    break
            else:
                found = [i for i in fresh if _ENUMERATION.match(sentences[i].text)]
                if not found:
                    break
            items += [(following, i) for i in found]
            if series is not None and series.ended:
                break
            rank, last_index, count = following, (found[-1] if found else last_index), len(sentences)
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
