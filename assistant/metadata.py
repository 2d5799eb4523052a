"""Questions about the documents themselves, answered without a new retrieval over body text.

- "这是哪个文件说的？" after an answer asks where that answer came from: the answer is the previous turn's
  citations (document, section, article, page), quoted again.
- "《…》的作者是谁？" asks for a paper's bibliographic data: the answer comes from the index-state entry (the
  manifest) and cites the line of the document's title block that states it.

Both are recognised by the form of the question (a demonstrative or a named paper, an interrogative about the
document) with a small general vocabulary, never by phrases of one document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant import prompts
from assistant.answer import Passage
from assistant.conversation import Conversation, Turn
from assistant.followup import cited_sentences, strip_markup
from assistant.index import Generation
from assistant.question import function_words
from assistant.retrieval import chunk_passage
from assistant.slots import BODY_WORD
from core.enumeration import item_label, without_item_label
from core.papers import Paper, papers_named, plain_texts, shown_title, title_parts, unit_parts, without_fillers
from core.schema import SECTION_SEPARATOR, Chunk, page_label
from core.sentences import split_sentences
from core.settings import GateSettings
from core.tokenize import char_bigrams, contains_term, pos_tags, tokenize

# --- "这是哪个文件说的？" ------------------------------------------------------------------------------------
# A word that points back at what was just said.
_DEMONSTRATIVE = re.compile(r"这|那|它|此|该|上述|以上|前面|刚才|上面")
# An interrogative about the document or the place in it: "哪个文件", "哪部法律", "哪篇", "出自", "第几条".
_DOCUMENT_NOUN = r"(文件|法律|法规|文章|论文|文献|资料|报告|规定|条例|办法|通知|规范|标准|书|文)"
_ASKS_SOURCE = re.compile(
    r"出自|出处|来源|来自哪|引自|摘自|第几条|哪一?[个部篇份本项]?" + _DOCUMENT_NOUN + r"|哪一?[篇份本](?![分门])"
)
# A follow-up is short; a long question with a source interrogative ("哪部法律规定了…，违反了怎么罚？") asks more.
_MAX_SOURCE_QUESTION_CHARS = 24
# jieba tags of words that name a subject (nouns, names, places, organisations, English words, verbal nouns):
# "出自哪篇文章？" has none left once the interrogative is taken out; "哪篇文章提出了网格化巡查？" has one.
_SUBJECT_TAGS = ("n", "nr", "ns", "nt", "nz", "nrt", "vn", "eng")
# Article headings of laws and regulations at the start of a line: "第十二条　…".
_ARTICLE = re.compile(r"(?m)^\s*(第[一二三四五六七八九十百零〇两\d]+条)")

# --- locating a sentence of an earlier answer in the index ---------------------------------------------------
# Share of a shown sentence's character bigrams that a document sentence must hold to be that sentence: an
# answer line is verbatim (share 1.0) or, in a transcript, an abridged item ("台账不全。" of the document's
# "巡查台账不全，责任难落实。", 1.0 again); 0.75 still finds a line whose punctuation or markup differs.
LOCATE_MIN_SHARE = 0.75
_MIN_LOCATE_CHARS = 4

# --- bibliographic questions ---------------------------------------------------------------------------------
# Which field a question asks for, tried in this order ("作者单位" is the affiliation, not the authors;
# "哪一年发表" the year, not the venue).
FIELD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # who issued an official document and when (its closing block: "某某办公室" over "2025年4月18日"); first:
    # "哪个单位发的" asks who issued a document, not an author's unit
    (
        "issued",
        re.compile(r"(?:什么时候|啥时候|哪天|哪一天|何时|几号)(?:印|下|签)?发|(?:印发|发文|成文|落款)(?:时间|日期)"),
    ),
    (
        "issuer",
        re.compile(r"谁(?:印|下)?发的|哪(?:个|家)(?:单位|部门|机关)(?:印|下)?发|(?:发文|印发|落款)(?:单位|机关)|落款"),
    ),
    # an official document's number ("甲政办发〔2024〕17号"), before "fund": "发文编号" is no project's
    ("number", re.compile(r"(?:发文)?(?:文号|字号)|发文编号")),
    ("fund", re.compile(r"基金|资助|立项|编号|(哪个|什么|哪项)(项目|课题)")),
    ("affiliation", re.compile(r"(?:作者)?单位|机构|哪个(学校|大学|学院|部门)|哪家|来自哪")),
    ("year", re.compile(r"哪一?年|何年|年份|什么时候发表|何时发表|发表时间|出版时间")),
    ("venue", re.compile(r"期刊|刊物|杂志|发表在|发表于|刊登|刊发|刊载|登在|哪里发表|在哪发表|发在")),
    # before "authors": "谁翻译的" asks for the translator, whom a manual's front matter lists under its own label
    ("translator", re.compile(r"译者|翻译|谁译|译的")),
    # a report or speech is delivered ("谁作的报告", 报告人, 讲话人): its speaker is its author
    ("authors", re.compile(r"作者|谁写|谁撰写|撰写人|撰稿|署名|谁的|谁作的|报告人|讲话人")),
)
# Words a bibliographic question may contain besides the paper's name and the field: how it refers to the
# document and how it asks. Any other content word ("资助额度", "负责解释") means the question is about the body
# text ("某某那篇提到的资助额度是多少？"), which retrieval answers.
# Matched whole, after an optional demonstrative ("篇文章", "那篇"; "负责人" is not "人"). 承担/完成 say how a
# unit relates to a project or paper (课题承担单位, 完成单位), the bibliographic sense of "单位".
_DOCUMENT_WORDS = re.compile(
    r"[这那此该本其]?(?:文章|论文|报告|文献|文件|课题|篇|份|本文|该文|写|发表|出版|信息|具体|分别|请问|一下|是|有|叫|人|位|承担|完成)+"
)
# The title block is the run of section-less chunks a document opens with; the byline, affiliation and
# citation lines of the demo papers sit in its first two chunks, the abstract follows.
TITLE_BLOCK_CHUNKS = 3
# Share of a manifest value's character bigrams a title-block line must hold to be the line that states it: the
# manifest writes "重庆大学经济与工商管理学院", the page "1. 重庆大学 经济与工商管理学院,重庆 400044" (share 1.0);
# an abstract sentence sharing a few words with a venue stays below 0.3.
VALUE_LINE_SHARE = 0.6
_ITEM_LINE = re.compile(r"\d+\. ")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/]{3,}")
_FUND_LINE = re.compile(r"基金|资助|立项|项目|课题")
_MAX_TITLE_BLOCK_LINE = 240  # longer "lines" are abstract paragraphs, not title-block lines
# A labelled field of a title block or a manual's front matter: "(作者单位:某某学院 职务职称:…)", "译者：张三". The
# label is a few Chinese characters before a colon; the value runs to the next label, a bracket or the line end.
_LABELLED = re.compile(
    r"([\u4e00-\u9fff]{1,8})\s*[:：]\s*([^:：()（）\n]+?)\s*(?=[\u4e00-\u9fff]{1,8}\s*[:：]|[()（）\n]|$)"
)
# A label alone on its line, its values on the lines below ("翻译:" over "2017 张三" lines): the line's Chinese
# characters and colon only (a PDF's markup and spacing dropped) form "label:".
_LABEL_ONLY = re.compile(r"^([\u4e00-\u9fff]{1,8})[:：]$")
_NOT_LABEL_CHAR = re.compile(r"<[^<>]*>|b''|[^\u4e00-\u9fff:：]")
# A value line under a label is short and no sentence ("2017 张三"); a line with a full stop is prose again.
MAX_LABELLED_VALUE_LINES = 12
_SENTENCE_END = re.compile(r"[。！？]")
# The front matter read for labelled fields: the first chunks of a document by position, section or not (a
# manual's translator list sits under its first heading, after the cover page).
FRONT_MATTER_CHUNKS = 3


@dataclass
class DocumentAnswer:
    """An answer about documents: its text (lead-ins end in '：'; claims carry [n]) and the numbered passages."""

    kind: str  # "source" | "metadata"
    lines: list[str]
    passages: list[Passage] = field(default_factory=list)  # passage n is passages[n - 1]
    refused: bool = False
    # "资料中没有《…》的…信息。": said after the verified lines; a statement about the index, no claim to cite
    absent: list[str] = field(default_factory=list)
    related: list[Passage] = field(default_factory=list)  # shown under a refusal: the papers' own title blocks

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def numbered(self) -> dict[int, Passage]:
        return {n: p for n, p in enumerate(self.passages, start=1)}


# A question back lists at most this many titles (the demo collection has five; a large one is named by count).
MAX_TITLES_ASKED = 6


# --- shared helpers ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentFacts:
    """What the document questions read from the whole index: each document's plain text (``core.papers`` compares
    title parts against it) and the chunk ids of every title block. Built from one generation; the Assistant keeps
    it in its per-generation cache, so a re-ingest never serves the texts of the previous one."""

    texts: dict[str, str]
    front: frozenset[str]
    # source → the names of its authors' units: the manifest's affiliation and the document's labelled
    # "作者单位:…" lines (a paper may state its unit only at its end)
    units: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, generation: Generation) -> DocumentFacts:
        by_source: dict[str, list[Chunk]] = {}
        for chunk in sorted(generation.chunks, key=lambda c: c.order):
            by_source.setdefault(chunk.source, []).append(chunk)
        whole = {s: "".join(c.text for c in chunks) for s, chunks in by_source.items()}
        texts = plain_texts(whole)
        front = frozenset(c.chunk_id for s, chunks in by_source.items() for c in title_block(chunks, s))
        units = {}
        for source, text in whole.items():
            stated = [str((generation.state.papers.get(source) or {}).get("affiliation") or ""), *labelled_units(text)]
            units[source] = list(dict.fromkeys(part for unit in stated for part in unit_parts(unit)))
        return cls(texts, front, units)


def labelled_units(text: str) -> list[str]:
    """Values of the lines of ``text`` labelled as an author's unit ("（作者单位：某某管委会）")."""
    return [match.group(2).strip() for match in _LABELLED.finditer(text) if _labels("affiliation", match.group(1))]


def _labels(name: str, label: str) -> bool:
    """Whether a front-matter label ("作者单位", "译者") names the field ``name`` and no other field."""
    return bool(dict(FIELD_PATTERNS)[name].search(label)) and len(metadata_fields(label)) == 1


def named_papers(question: str, generation: Generation, facts: DocumentFacts | None = None) -> dict[str, str]:
    facts = facts or DocumentFacts.of(generation)
    return papers_named(question, generation.state.papers, facts.texts, generation.mentions, facts.units)


def title_block(chunks: Iterable[Chunk], source: str) -> list[Chunk]:
    """The opening section-less chunks of ``source`` (at most TITLE_BLOCK_CHUNKS): title, byline, affiliation,
    citation line, abstract. A document without any section heading has only its first chunk as title block."""
    own = sorted((c for c in chunks if c.source == source), key=lambda c: c.order)
    if not any(c.section for c in own):
        return own[:1]
    block = []
    for chunk in own[:TITLE_BLOCK_CHUNKS]:
        if chunk.section:
            break
        block.append(chunk)
    return block


@dataclass(frozen=True)
class Located:
    chunk: Chunk
    start: int  # the sentence's offsets in chunk.text
    end: int

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]


def _share(part: set[str], whole: set[str]) -> float:
    return len(part & whole) / max(1, len(part))


def locate(text: str, chunks: Iterable[Chunk], prefer: Iterable[str] = (), avoid: Iterable[str] = ()) -> Located | None:
    """The document sentence an earlier answer showed as ``text`` (verbatim, abridged or with markup); an item
    that is a section heading ("（三）某地：打造某某集群") stands for the first sentence under it. Preferred: the
    chunks in ``prefer`` (the ones that answer cited), then chunks not in ``avoid`` (title blocks, whose abstract
    names everything once), the closer match, and the copy with the most text after it (chunks overlap by a
    sentence; the later copy has what follows)."""
    wanted = char_bigrams(strip_markup(text))
    if len(wanted) < _MIN_LOCATE_CHARS:
        return None
    preferred, avoided = set(prefer), set(avoid)
    best: tuple[tuple[bool, bool, float, int], Located] | None = None
    opened: set[tuple[str, str]] = set()
    for chunk in sorted(chunks, key=lambda c: (c.source, c.order)):
        candidates = []
        if chunk.section and (chunk.source, chunk.section) not in opened:
            opened.add((chunk.source, chunk.section))
            heading = chunk.section.split(SECTION_SEPARATOR)[-1]
            sentences = split_sentences(chunk.text)
            if sentences and _share(wanted, char_bigrams(heading)) >= LOCATE_MIN_SHARE:
                candidates.append((_share(wanted, char_bigrams(heading)), sentences[0]))
        if _share(wanted, char_bigrams(chunk.text)) >= LOCATE_MIN_SHARE:
            candidates += [(_share(wanted, char_bigrams(s.text)), s) for s in split_sentences(chunk.text)]
        for share, sentence in candidates:
            if share < LOCATE_MIN_SHARE:
                continue
            key = (
                chunk.chunk_id in preferred,
                chunk.chunk_id not in avoided,
                round(share, 2),
                len(chunk.text) - sentence.end,
            )
            if best is None or key > best[0]:
                best = (key, Located(chunk, sentence.start, sentence.end))
    return best[1] if best else None


# How many chunks past the last shown item "还有吗？" looks for the next labelled item, within the same section:
# an item's elaboration ("① …② …") runs over up to three chunks in the demo papers before "(5)" comes.
FOLLOWING_ITEM_CHUNKS = 8


def following_items(last: Located, chunks: Iterable[Chunk], limit: int) -> list[Located]:
    """ "还有吗？" after an answer that stopped at item (3) of a document's enumeration: items (4), (5), … of the
    same enumeration (same label style, consecutive numbers), in document order."""
    label = item_label(strip_markup(last.text)) or item_label(last.text)
    if label is None:
        return []
    style, number = label
    own = sorted(
        (c for c in chunks if c.source == last.chunk.source and c.order >= last.chunk.order), key=lambda c: c.order
    )
    found: list[Located] = []
    for chunk in own[: FOLLOWING_ITEM_CHUNKS + 1]:
        if chunk.section != last.chunk.section and not chunk.section.startswith(last.chunk.section + SECTION_SEPARATOR):
            break
        for sentence in split_sentences(chunk.text):
            if chunk.chunk_id == last.chunk.chunk_id and sentence.start <= last.start:
                continue
            if item_label(sentence.text) == (style, number + 1):
                number += 1
                found.append(Located(chunk, sentence.start, sentence.end))
                if len(found) >= limit:
                    return found
    return found


# --- (a) the source of the previous answer ---------------------------------------------------------------------
def asks_for_source(question: str, conversation: Conversation | None) -> bool:
    """A follow-up asking where the previous answer came from: an interrogative about the document, and either a
    word pointing back ("这是…", "它…") or nothing else the question is about ("出自哪篇文章？")."""
    if conversation is None or not conversation.turns or not conversation.turns[-1].answer_text:
        return False
    q = question.strip()
    match = _ASKS_SOURCE.search(q)
    if not match or len(q) > _MAX_SOURCE_QUESTION_CHARS:
        return False
    if _DEMONSTRATIVE.search(q[: match.start()]):
        return True
    return not _subject_words(_ASKS_SOURCE.sub(" ", q))


# Answer.rewrite_mode of an answer about the documents themselves (DocumentAnswer.kind): no content question.
DOCUMENT_MODES = frozenset(("source", "metadata"))


def content_turns(conversation: Conversation | None) -> Conversation | None:
    """The conversation without its questions about the documents ("这是哪个文件说的？", "作者是谁？") and their
    answers: a follow-up ("还有吗？", "那第二条呢？") goes on from the last question about the content, not from the
    source list that answered "where is this from". A turn holding its Answer says what it was by its mode; a
    transcript's turn is read by form (a source question; a bibliographic one needs the index and stays)."""
    if conversation is None:
        return None
    kept = Conversation(id=conversation.id)
    for turn in conversation.turns:
        about = asks_for_source(turn.question, Conversation(list(kept.turns)))
        about = about or (turn.answer is not None and turn.answer.rewrite_mode in DOCUMENT_MODES)
        if not about:
            kept.turns.append(turn)
    return kept


def _subject_words(text: str) -> list[str]:
    return [w for w, tag in pos_tags(text) if tag in _SUBJECT_TAGS and not _DOCUMENT_WORDS.fullmatch(w)]


def answered_turn(conversation: Conversation) -> Turn:
    """The conversation's last turn, or, when it only said that nothing more was found ("还有吗？" →
    prompts.NOTHING_MORE), the turn before it that answered: "这是哪个文件说的？" then asks about what was shown
    (trial 3: it answered that nothing had been quoted)."""
    for turn in reversed(conversation.turns):
        if not turn.answer_text.startswith(prompts.NOTHING_MORE):
            return turn
    return conversation.turns[-1]


def previous_quotes(
    conversation: Conversation, generation: Generation, facts: DocumentFacts | None = None
) -> list[Located]:
    """Where the previous answer's sentences are in the documents: its citations when the turn has its Answer,
    else (a transcript) each cited line located in the index."""
    turn = answered_turn(conversation)
    found: list[Located] = []
    if turn.answer is not None:
        if turn.answer.refused:
            return []
        for citation in turn.answer.citations:
            chunk = generation.by_id.get(citation.chunk_id)
            if chunk is None:
                continue
            start = chunk.text.find(citation.text)
            if start >= 0:  # one citation may quote several sentences (two articles): each is placed on its own
                found += [
                    Located(chunk, start + s.start, start + s.end)
                    for s in split_sentences(citation.text)
                    if s.text.strip()
                ] or [Located(chunk, start, start + len(citation.text))]
            else:
                located = locate(citation.text, [chunk])
                if located:
                    found.append(located)
        if found:
            return found
    lines = cited_sentences(turn.answer_text) or [
        s.text for s in split_sentences(turn.answer_text) if not s.text.endswith(("：", ":"))
    ]
    for line in lines:
        located = locate(line, generation.chunks, avoid=(facts or DocumentFacts.of(generation)).front)
        if located and all((located.chunk.chunk_id, located.start) != (f.chunk.chunk_id, f.start) for f in found):
            found.append(located)
    return found


def article_of(located: Located) -> str:
    """The article ("第十二条") a quote of a law sits in, when its passage shows the heading: the last heading that
    starts at or before the quote's first character, so a quote that opens with its own heading ("第五条　…") is
    labelled by it, not by the article before it (the heading's "第" alone is no heading)."""
    text = located.chunk.text
    first = located.start + len(located.text) - len(located.text.lstrip())
    articles = [m.group(1) for m in _ARTICLE.finditer(text) if m.start(1) <= first]
    return articles[-1] if articles else ""


def _place(located: Located) -> str:
    chunk = located.chunk
    parts = [chunk.section.replace(" > ", "，") if chunk.section else prompts.SECTION_BODY]
    article = article_of(located)
    if article and article not in parts[0]:
        parts.append(article)
    pages = page_label(chunk.page_start, chunk.page_end)
    if pages:
        parts.append(pages)
    return "，".join(parts)


def source_answer(
    question: str, conversation: Conversation | None, generation: Generation, facts: DocumentFacts | None = None
) -> DocumentAnswer | None:
    """The documents, places and sentences the previous answer quoted; None when the question is not such a
    follow-up or the previous answer quoted nothing that can be found (a refusal, a transcript of another
    corpus): retrieval then answers it as a question."""
    if not asks_for_source(question, conversation):
        return None
    assert conversation is not None
    quotes = previous_quotes(conversation, generation, facts)
    if not quotes and _refused(answered_turn(conversation)):
        # nothing was quoted, so nothing has a source; searched as a question, "文件" came back as missing
        return DocumentAnswer("source", [prompts.SOURCE_AFTER_REFUSAL], refused=True)
    if not quotes:
        return None
    titles = list(dict.fromkeys(q.chunk.title or q.chunk.source for q in quotes))
    lines = [prompts.SOURCE_ANSWER_LEAD.format(titles="、".join(f"《{t}》" for t in titles))]
    passages: list[Passage] = []
    numbers: dict[str, int] = {}
    heading = None
    ordered = sorted(quotes, key=lambda q: (titles.index(q.chunk.title or q.chunk.source), q.chunk.order))
    for item, located in enumerate(ordered, start=1):
        chunk = located.chunk
        place = (chunk.title or chunk.source, _place(located))
        if place != heading:
            lines.append(prompts.SOURCE_ANSWER_PLACE.format(title=shown_title(place[0]), place=place[1]))
            heading = place
        if chunk.chunk_id not in numbers:
            passages.append(chunk_passage(chunk))
            numbers[chunk.chunk_id] = len(passages)
        # one numbering per line, as in every numbered answer ("1. （一）…" reads as two)
        lines.append(f"{item}. {without_item_label(located.text)}[{numbers[chunk.chunk_id]}]")
    return DocumentAnswer("source", lines, passages)


def _refused(turn: Turn) -> bool:
    """Whether a turn's answer was a refusal (an answer of this session, or a transcript's text)."""
    return turn.answer.refused if turn.answer is not None else turn.answer_text.startswith(prompts.CANNOT_ANSWER)


# --- (c) bibliographic questions -------------------------------------------------------------------------------
def metadata_field(question: str) -> tuple[str, re.Match[str]] | None:
    fields = metadata_fields(question)
    return fields[0] if fields else None


def metadata_fields(question: str) -> list[tuple[str, re.Match[str]]]:
    """Every field the question asks for, each once, in the order the question asks them: "哪个单位的？发在哪个
    期刊上？" asks for two. FIELD_PATTERNS are tried in their order and a span one field matched is not read again
    ("作者单位" is no question about authors)."""
    found: list[tuple[str, re.Match[str]]] = []
    masked = question
    for name, pattern in FIELD_PATTERNS:
        matches = list(pattern.finditer(masked))
        if matches:
            found.append((name, matches[0]))
            for match in matches:
                masked = masked[: match.start()] + " " * (match.end() - match.start()) + masked[match.end() :]
    return sorted(found, key=lambda f: f[1].start())


def _about_the_paper_only(
    question: str,
    patterns: Iterable[re.Pattern[str]],
    paper_names: Iterable[str],
    described_by: Iterable[str] = (),
    title_gap: int = 0,
) -> bool:
    """Nothing is left of the question but the paper's name, the field asked and how it is asked. A word of the
    paper's own title or affiliation is a way of naming it too ("中车永济电机那篇…" for 中车永济电机有限公司)."""
    rest = question
    for pattern in patterns:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"《[^《》]*》", " ", rest)
    rest = without_fillers(rest)  # a name said with a demonstrative inside ("某地那个课题" for 某地课题)
    for name in sorted(paper_names, key=len, reverse=True):
        rest = rest.replace(name, " ")
    phrasing = function_words(rest)
    terms = [t for t in tokenize(rest) if t not in phrasing]
    descriptions = [d for d in described_by if d]
    return all(_DOCUMENT_WORDS.fullmatch(t) or any(contains_term(d, t, title_gap) for d in descriptions) for t in terms)


# A title said shorter drops words inside it ("口袋公园三年计划" for 口袋公园建设三年行动计划: 三年计划), as a term
# the gate reads contracted: metadata_answer's default; the Assistant passes its settings.gate.contracted_term_gap
# (whose sweep set 2).
_TITLE_CONTRACTION_GAP = GateSettings.model_fields["contracted_term_gap"].default


def _title_block_lines(generation: Generation, source: str, chunks: list[Chunk] | None = None) -> list[Located]:
    lines = []
    for chunk in title_block(generation.chunks, source) if chunks is None else chunks:
        offset = 0
        for line in chunk.text.split("\n"):
            stripped = line.strip()
            if stripped and len(stripped) <= _MAX_TITLE_BLOCK_LINE:
                start = offset + line.index(stripped)
                lines.append(Located(chunk, start, start + len(stripped)))
            offset += len(line) + 1
    return lines


def _front_matter_lines(generation: Generation, source: str) -> list[Located]:
    """The lines of a document's first FRONT_MATTER_CHUNKS chunks, section or not."""
    own = sorted((c for c in generation.chunks if c.source == source), key=lambda c: c.order)
    return _title_block_lines(generation, source, own[:FRONT_MATTER_CHUNKS])


def labelled_value(name: str, lines: list[Located]) -> tuple[str, list[Located]] | None:
    """(value, the lines stating it) of a field the front matter labels: "作者单位:某某学院" on one line, or a
    label alone on its line ("译者:") with the values on the short lines below it."""
    pattern = dict(FIELD_PATTERNS)[name]
    for i, line in enumerate(lines):
        for match in _LABELLED.finditer(line.text):
            label, value = match.group(1), match.group(2).strip()
            if value and _labels(name, label):
                start = line.start + match.start(2)
                return value, [Located(line.chunk, start, start + len(match.group(2).rstrip()))]
        alone = _LABEL_ONLY.match(_NOT_LABEL_CHAR.sub("", line.text))
        if alone and pattern.search(alone.group(1)):
            below = []
            for after in lines[i + 1 : i + 1 + MAX_LABELLED_VALUE_LINES]:
                if after.chunk.chunk_id != line.chunk.chunk_id or _SENTENCE_END.search(after.text):
                    break
                if _LABEL_ONLY.match(_NOT_LABEL_CHAR.sub("", after.text)):
                    break
                below.append(after)
            if below:
                return "；".join(b.text for b in below), below
    return None


# An unlabelled byline under a title: a few short Chinese names, each maybe marked with its unit's number or a
# star ("林某1，贺某2*"); an affiliation line under it, in brackets or numbered ("（1.某某大学某学院，某地 410000；
# 2.…）"). Documents without a manifest (what officials bring) state authors and units only this way.
_BYLINE_SEPARATOR = re.compile(r"[，,、;；\s]+")
_BYLINE_NAME = re.compile(r"^([\u4e00-\u9fff·]{2,5})[\d*＊,，]*$")
MAX_BYLINE_NAMES = 12
# A post a speaker is named by, at the end of the words before the name (镇长, 副县长, 书记, 主任, 局长, 院长).
_SPEAKER_POST = re.compile(r"(?:[长]|书记|主任|委员|代表|主席)$")
BYLINE_LINES = 6  # a byline is among the first lines of a title block (title, subtitle, names)
_UNIT_NUMBER = re.compile(r"^\s*\d+\s*[.．、]\s*")
_UNIT_PLACE = re.compile(r"\s*[，,]\s*[\u4e00-\u9fff]{0,8}\s*\d{6}\s*$")


def byline(lines: list[Located], title: str = "") -> tuple[list[str], int] | None:
    """(names, index of the line) of the first of a title block's opening lines that is only short names (the
    title itself, kept in the text by some readers, is none)."""
    for i, line in enumerate(lines[:BYLINE_LINES]):
        if title and line.text.strip() in title:
            continue
        parts = [p for p in _BYLINE_SEPARATOR.split(line.text.strip()) if p]
        names = [m.group(1) for p in parts if (m := _BYLINE_NAME.match(p))]
        if parts and len(names) == len(parts) <= MAX_BYLINE_NAMES:
            return names, i
        # a speech's or report's speaker: the post, then the name ("某镇人民政府镇长  张三", "县委书记 李四")
        if len(parts) == 2 and _BYLINE_NAME.match(parts[1]) and _SPEAKER_POST.search(parts[0]):
            return [parts[1]], i
    return None


def byline_value(name: str, lines: list[Located], title: str = "") -> tuple[str, list[Located]] | None:
    """Authors (the byline) or their units (the line under it) of a title block that labels neither."""
    found = byline(lines, title)
    if found is None:
        return None
    names, at = found
    if name == "authors":
        return "、".join(names), [lines[at]]
    if name != "affiliation" or at + 1 >= len(lines):
        return None
    under = lines[at + 1]
    text = under.text.strip().strip("（）()")
    # a unit names a body or is followed by its place and postcode ("…支队，湖州 313000")
    pieces = [_UNIT_NUMBER.sub("", u).strip() for u in re.split(r"[；;]", text)]
    units = [_UNIT_PLACE.sub("", u).strip() for u in pieces if BODY_WORD.search(u) or _UNIT_PLACE.search(u)]
    units = [u for u in units if u]
    return ("；".join(dict.fromkeys(units)), [under]) if units else None


# The closing block of an official document: its issuer on a short line, the date on the next ("某某办公室" /
# "2025年4月18日"), at the document's end.
_DATE_LINE = re.compile(
    r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年[\d〇零一二三四五六七八九十]{1,3}月[\d〇零一二三四五六七八九十]{1,3}日\s*$"
)
CLOSING_LINES = 6  # the date sits among a document's last lines (after it: a copy note, an appendix mark)
MAX_ISSUER_CHARS = 40


# An official document's number as its title block prints it: the issuer's short name, the year in 〔〕 (or [] or
# ()), the serial and 号 ("甲政办发〔2024〕17号", "国办发[2025]3号"); a government rule's order number ("甲市人民政府令
# 第58号", said after its date: "2023年10月8日甲市人民政府令第58号公布").
_DOCUMENT_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号|[\u4e00-\u9fff]{2,20}令\s*第\s*\d{1,4}\s*号"
)
_PROSE_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def number_value(generation: Generation, source: str) -> tuple[str, list[Located]] | None:
    """An official document's number from the first line of its front matter that prints one."""
    for line in _front_matter_lines(generation, source):
        if match := _DOCUMENT_NUMBER.search(_PROSE_DATE.sub(" ", line.text)):
            return match.group(0), [line]
    return None


def closing_value(name: str, generation: Generation, source: str, title: str) -> tuple[str, list[Located]] | None:
    """Issuer or date of an official document, from its closing block: the date line among its last lines and,
    for the issuer, the short line naming a body above it. None when the document has no closing block."""
    own = sorted((c for c in generation.chunks if c.source == source), key=lambda c: c.order)
    if not own:
        return None
    # at the end; or, in a notice that issues a document ("…关于印发《…办法》的通知"), at the end of the
    # covering letter, among the first chunk's lines, before the document it issues: there only a date signed by a
    # body counts (trial 4)
    end = _title_block_lines(generation, source, own[-1:])[-CLOSING_LINES:]
    first = _title_block_lines(generation, source, own[:1]) if len(own) > 1 else []
    for lines, signed in ((end, False), (first, True)):
        for i in range(len(lines) - 1, -1, -1):
            if not _DATE_LINE.match(lines[i].text):
                continue
            above = lines[i - 1] if i else None
            issuer = above if above and len(above.text) <= MAX_ISSUER_CHARS and BODY_WORD.search(above.text) else None
            if name == "issued" and (issuer or not signed):
                return lines[i].text.strip(), [lines[i]]
            if name != "issued" and issuer is not None:
                return issuer.text.strip(), [issuer]
    return None


def _value_of(paper: Paper, name: str) -> str:
    if name == "authors":
        return "、".join(paper.get("authors") or [])
    if name == "fund":
        for text in (paper.get("venue"), paper.get("citation")):
            if text and _FUND_LINE.search(str(text)) and _CODE.search(str(text)):
                return str(text)
        return ""
    value = paper.get(name)
    return str(value) if value else ""


def _stating_line(paper: Paper, name: str, value: str, lines: list[Located]) -> Located | None:
    """The title-block line that states ``value`` (or, for a fund, any fund line with a code)."""
    if name == "authors":
        authors = paper.get("authors") or []
        scored = [(sum(a in line.text for a in authors), -len(line.text), line) for line in lines]
        best = max(scored, key=lambda s: s[:2], default=None)
        return best[2] if best and best[0] == len(authors) and authors else None
    if name == "fund":
        candidates = [line for line in lines if _FUND_LINE.search(line.text) and _CODE.search(line.text)]
        return candidates[0] if candidates else None
    if name == "year":
        anchors = [*(paper.get("authors") or []), paper.get("venue") or "", paper.get("title") or ""]
        candidates = [line for line in lines if value in line.text and any(a and a[:4] in line.text for a in anchors)]
        return min(candidates, key=lambda line: len(line.text)) if candidates else None
    wanted = char_bigrams(value)
    scored = [(_share(wanted, char_bigrams(line.text)), -len(line.text), line) for line in lines]
    best = max(scored, key=lambda s: s[:2], default=None)
    return best[2] if best and best[0] >= VALUE_LINE_SHARE else None


def _manifest_passage(source: str, paper: Paper, name: str, value: str) -> Passage:
    """The index-state entry as a citable passage, for a value the manifest has and the text does not show (a
    cover form removed by cleaning)."""
    text = f"{prompts.METADATA_WHAT[name]}：{value}"
    return Passage(
        chunk_id=f"{source}#manifest",
        source=source,
        title=paper.get("title") or source,
        section=prompts.METADATA_SECTION,
        kind="metadata",
        text=text,
        char_start=0,
        char_end=0,
        score=0.0,
    )


def _previous_sources(conversation: Conversation | None) -> list[str]:
    if conversation is None or not conversation.turns or conversation.turns[-1].answer is None:
        return []
    return list(dict.fromkeys(c.source for c in conversation.turns[-1].answer.citations))


def metadata_answer(
    question: str,
    conversation: Conversation | None,
    generation: Generation,
    sources: list[str] | None = None,
    facts: DocumentFacts | None = None,
    title_gap: int = _TITLE_CONTRACTION_GAP,
) -> DocumentAnswer | None:
    """Authors, affiliation, venue, year, fund or translator of the paper(s) the question names ("这篇" after an
    answer from one paper; the filter when it holds one paper), every field it asks for in turn; None when the
    question asks about anything else. ``title_gap``: how far apart a shortened title's words may stand in the
    title (``_about_the_paper_only``)."""
    fields = metadata_fields(question)
    if not fields:
        return None
    first = min(match.start() for _, match in fields)
    papers = generation.state.papers
    named = named_papers(question, generation, facts)
    chosen = list(named)
    pointed = bool(_DEMONSTRATIVE.search(question[:first] or question))  # "这篇…", "该文…"
    if not chosen and pointed:
        previous = _previous_sources(conversation)
        chosen = previous if len(previous) == 1 else ([sources[0]] if sources and len(sources) == 1 else [])
        chosen = chosen or _of_the_named_kind(question[:first] or question, papers)
    if not chosen and len(papers) == 1:  # in a collection of one document, the document asked about is that one
        chosen = list(papers)
    if not chosen:
        return _which_document(question, fields, papers) if pointed else None
    known_names = [n for s in chosen for n in named.get(s, "").split()]
    known_names += [part for s in chosen for part in title_parts(papers[s].get("title") or "")]
    described_by = [str(papers[s].get(key) or "") for s in chosen for key in ("title", "affiliation")]
    patterns = [match.re for _, match in fields]
    if not _about_the_paper_only(question, patterns, [n for n in known_names if n], described_by, title_gap):
        return None
    answer = DocumentAnswer("metadata", [])
    for name, _ in fields:
        _answer_field(answer, name, chosen, generation)
    if not answer.passages:  # nothing found for any field: a refusal that says which fields each paper lacks
        answer.lines = [prompts.CANNOT_ANSWER, *answer.absent]
        answer.absent = []
        answer.refused = True
        answer.related = [chunk_passage(c) for s in chosen for c in title_block(generation.chunks, s)]
    return answer


# "这个通知", "该办法": a demonstrative with the kind of document meant.
_POINTED_KIND = re.compile(r"(?:这|那|该|此)[个份部篇项本]?" + _DOCUMENT_NOUN)


def _of_the_named_kind(question: str, papers: dict[str, Paper]) -> list[str]:
    """The one document whose title is of the kind the question points at ("这个通知是谁发的？" in a collection of
    a 通知 and a 管理办法); none when no kind is said or several documents are of it."""
    match = _POINTED_KIND.search(question)
    if not match:
        return []
    typed = [source for source, paper in papers.items() if match.group(1) in str(paper.get("title") or "")]
    return typed if len(typed) == 1 else []


def _which_document(
    question: str, fields: list[tuple[str, re.Match[str]]], papers: dict[str, Paper]
) -> DocumentAnswer | None:
    """ "这篇文章的作者是谁？" with nothing said before it, in a collection of several documents: which one is meant
    is asked back, with the titles, instead of a refusal naming "篇文章" as missing. None when the question says
    more than the field and a demonstrative (it is about the body text)."""
    if not _about_the_paper_only(question, [match.re for _, match in fields], []):
        return None
    titles = [f"《{paper.get('title') or source}》" for source, paper in papers.items()]
    shown = "、".join(titles[:MAX_TITLES_ASKED]) + ("等" if len(titles) > MAX_TITLES_ASKED else "")
    line = prompts.WHICH_DOCUMENT.format(count=len(titles), titles=shown)
    return DocumentAnswer("metadata", [prompts.CANNOT_ANSWER, line], refused=True)


def _answer_field(answer: DocumentAnswer, name: str, chosen: list[str], generation: Generation) -> None:
    """Lines and passages for one field of each chosen paper: from the manifest with the title-block line that
    states it, from a labelled line of the front matter, from the manifest alone (said so), or said missing."""
    what = prompts.METADATA_WHAT[name]
    for source in chosen:
        paper = generation.state.papers.get(source) or {}
        title = paper.get("title") or source
        value = _value_of(paper, name)
        title_lines = _title_block_lines(generation, source)
        stating = (
            [line] if (value or name == "fund") and (line := _stating_line(paper, name, value, title_lines)) else []
        )
        if stating and not value:
            value = stating[0].text
        if not value:  # not registered: a labelled line of the front matter ("作者单位:…", "译者：…")
            labelled = labelled_value(name, _front_matter_lines(generation, source))
            labelled = (
                labelled
                or byline_value(name, title_lines, title)
                or (number_value(generation, source) if name == "number" else None)
                or (closing_value(name, generation, source, title) if name != "number" else None)
            )
            if labelled:
                value, stating = labelled
        if not value:
            answer.absent.append(prompts.METADATA_MISSING.format(title=shown_title(title), what=what))
            continue
        if stating:
            answer.lines.append(prompts.METADATA_FOUND.format(title=shown_title(title), what=what, value=value))
            quotes = []
            for line in stating:
                if line.chunk.chunk_id not in [p.chunk_id for p in answer.passages]:
                    answer.passages.append(chunk_passage(line.chunk))
                n = [p.chunk_id for p in answer.passages].index(line.chunk.chunk_id) + 1
                quotes.append((line.text, n))
        else:
            answer.lines.append(prompts.METADATA_FOUND_REGISTERED.format(title=shown_title(title), what=what))
            answer.passages.append(_manifest_passage(source, paper, name, value))
            quotes = [(answer.passages[-1].text, len(answer.passages))]
        for text, n in quotes:
            item = sum(1 for line in answer.lines if _ITEM_LINE.match(line)) + 1
            answer.lines.append(f"{item}. {text}[{n}]")
