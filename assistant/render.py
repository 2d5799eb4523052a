"""The one renderer of an Answer: the same parts as plain text (terminal), Markdown (export) and HTML (the UI).

``answer_parts`` decides what a person sees — notice, answer, the rewritten question, flagged sentences, the cited
sources or, for a refusal, the related passages (never reference-list entries) — and the three formats only lay
those parts out. Everything from a question, an answer or a paper is HTML-escaped in the HTML form, so a question
like "<script>" is shown, never run.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant import prompts
from assistant.answer import Answer, Citation, Passage
from core import papers as paper_names
from core.schema import page_label, plain_text

MARKER = re.compile(r"\[(\d+)\]")
# A comparison block's heading line (prompts.COMPARE_BLOCK_HEADING, escaped): 《title》： alone on its line.
_BLOCK_HEADING = re.compile(r"^(《[^《》\n]+》：)$", re.MULTILINE)
# Rewrites (assistant/followup.py modes, "llm") a reader is shown as "按“…”检索": a question with its pronoun or
# topic filled in, or the earlier question "还有吗？" goes on with, reads as a question. "那第二条…" ("ordinal")
# is searched with the item glued to the earlier question, an internal query; its answer shows the item first.
SHOWN_REWRITES = frozenset(("pronoun", "substitute", "topic", "llm", "more"))
RELATED_SHOWN = 3  # related passages under a refusal: enough to show what was near, few enough to read

Papers = dict[str, dict]


@dataclass
class SourcePart:
    """One cited passage as a person sees it."""

    n: int
    title: str
    section: str
    byline: str
    quote: str
    passage: str
    location: str
    page: str = ""  # "第 N 页" / "第 N–M 页" for a PDF, "" otherwise

    @property
    def place(self) -> str:
        """The section, with the page of a PDF: what a person looks up in the document."""
        return f"{self.section} · {self.page}" if self.page else self.section


@dataclass
class RelatedPart:
    """A retrieved passage shown under a refusal."""

    title: str
    section: str
    byline: str
    text: str
    page: str = ""

    @property
    def place(self) -> str:
        return f"{self.section} · {self.page}" if self.page else self.section


@dataclass
class AnswerParts:
    question: str
    text: str
    notice: str | None = None
    rewritten: str | None = None
    unsupported: list[str] = field(default_factory=list)
    sources: list[SourcePart] = field(default_factory=list)
    related: list[RelatedPart] = field(default_factory=list)


# Where a title's main part ends: a subtitle ("：意义、挑战与战略"), a bracketed note ("（试行）"), a second phrase
# after a space ("深度融合… 助推…").
_TITLE_TAIL = re.compile(r"[：:（(〔\[ 　—]")
SHORT_TITLE_CHARS = 24  # longer main parts are cut: a block heading must fit on one line of the chat on a phone


def short_title(source: str, papers: Papers) -> str:
    """The title's main part (before a subtitle, a bracketed note or a second phrase), cut to
    SHORT_TITLE_CHARS; the file name when the index knows no title."""
    title = str((papers.get(source) or {}).get("title") or source)
    main = _TITLE_TAIL.split(title, maxsplit=1)[0].strip() or title
    return main if len(main) <= SHORT_TITLE_CHARS else main[: SHORT_TITLE_CHARS - 1] + "…"


def block_headings(sources: list[str], papers: Papers) -> dict[str, str]:
    """Short titles of the compared documents; where two documents' short titles coincide, each gets its first
    author (or its file name) added, so the blocks stay told apart."""
    heads = {s: short_title(s, papers) for s in dict.fromkeys(sources)}
    shared = {head for head in heads.values() if list(heads.values()).count(head) > 1}
    for source, head in heads.items():
        if head in shared:
            authors = (papers.get(source) or {}).get("authors") or []
            heads[source] = f"{head}（{authors[0] if authors else source}）"
    return heads


def byline(source: str, papers: Papers) -> str:
    return paper_names.byline(papers.get(source) or {}) or prompts.PAPER_META_UNKNOWN


def related_passages(answer: Answer) -> list[Passage]:
    return [p for p in answer.retrieved if p.kind != "reference"][:RELATED_SHOWN]


def source_part(citation: Citation, papers: Papers) -> SourcePart:
    return SourcePart(
        n=citation.n,
        title=paper_names.shown_title(citation.title),
        section=citation.section or prompts.SECTION_BODY,
        byline=byline(citation.source, papers),
        # shown without the corpus's markup (**, ^[22], <sup>); the span below still points at the exact original
        quote=plain_text(citation.text),
        passage=plain_text(citation.passage),
        # a citation of the manifest (a value the text does not show) has no span: no offsets are invented for it
        location=(
            prompts.QUOTE_LOCATION.format(start=citation.char_start, end=citation.char_end)
            if citation.char_end > citation.char_start
            else prompts.QUOTE_REGISTERED
        ),
        page=page_label(citation.page_start, citation.page_end),
    )


def related_part(passage: Passage, papers: Papers) -> RelatedPart:
    return RelatedPart(
        paper_names.shown_title(passage.title),
        passage.section or prompts.SECTION_BODY,
        byline(passage.source, papers),
        plain_text(passage.text),
        page_label(passage.page_start, passage.page_end),
    )


def answer_parts(answer: Answer, papers: Papers) -> AnswerParts:
    rewritten = answer.standalone_question
    readable = answer.rewrite_readable and answer.rewrite_mode in SHOWN_REWRITES
    shown = readable and bool(rewritten) and rewritten != answer.question
    parts = AnswerParts(
        question=answer.question,
        text=plain_text(answer.text),  # an extractive answer quotes the corpus, markup included
        notice=answer.notice,
        rewritten=rewritten if shown else None,
        unsupported=[plain_text(s) for s in answer.unsupported],
        sources=[source_part(c, papers) for c in answer.citations],
    )
    if not answer.citations and answer.refused:
        parts.related = [related_part(p, papers) for p in related_passages(answer)]
    return parts


# --- plain text: the terminal -------------------------------------------------------------------------------
def to_text(answer: Answer, papers: Papers) -> str:
    parts = answer_parts(answer, papers)
    lines = [parts.notice] if parts.notice else []
    lines.append(parts.text)
    if parts.rewritten:
        lines.append("（" + prompts.REWRITTEN_AS.format(question=parts.rewritten) + "）")
    if parts.unsupported:
        lines.append(prompts.UNSUPPORTED_MARK + "：" + "；".join(parts.unsupported))
    if parts.sources:
        lines.append(f"\n{prompts.SOURCES_HEADING}：")
        for s in parts.sources:
            lines.append(f"[{s.n}] 《{s.title}》 {s.place}（{s.location}）")
            lines.append(f"    “{s.quote}”")
    elif parts.related:
        lines.append("\n" + prompts.RELATED_BUT_INSUFFICIENT)
        lines += [f"- 《{r.title}》 {r.place}：{r.text[:80]}…" for r in parts.related]
    return "\n".join(lines)


# --- Markdown: the export --------------------------------------------------------------------------------
def to_markdown(answer: Answer | None, papers: Papers) -> str:
    """The answer with its sources as Markdown, for pasting into a document or a lesson plan."""
    if answer is None:
        return ""
    parts = answer_parts(answer, papers)
    lines = [f"## {prompts.EXPORT_QUESTION}", "", parts.question, "", f"## {prompts.EXPORT_ANSWER}", ""]
    if parts.notice:
        lines += [f"> {parts.notice}", ""]
    lines += [parts.text, ""]
    if parts.sources:
        lines += [f"## {prompts.SOURCES_HEADING}", ""]
        for s in parts.sources:
            lines.append(f"[{s.n}] 《{s.title}》，{s.byline}，{s.place}（{s.location}）")
            lines += [f"> {s.quote}", ""]
    elif parts.related:
        lines += [f"## {prompts.EXPORT_RELATED}", ""]
        lines += [line for r in parts.related for line in (f"- 《{r.title}》 {r.place}：{r.text}", "")]
    return "\n".join(lines).rstrip() + "\n"


# --- the briefing (简报): the whole conversation, Markdown and DOCX ---------------------------------------------
@dataclass
class BriefingItem:
    """One answered question, its [n] renumbered to footnotes that run through the whole briefing."""

    question: str
    text: str  # with "[^k]" where the answer said "[n]"
    notes: list[tuple[int, SourcePart]]


@dataclass
class Briefing:
    items: list[BriefingItem]
    not_covered: list[str]  # questions the assistant refused: "资料未涉及"
    date: str

    @property
    def notes(self) -> list[tuple[int, SourcePart]]:
        return [note for item in self.items for note in item.notes]


def briefing(answers: list[Answer], papers: Papers) -> Briefing:
    items, refused, counter = [], [], 0
    for answer in answers:
        parts = answer_parts(answer, papers)
        if answer.refused or not parts.sources:
            refused.append(parts.question)
            continue
        numbers: dict[int, int] = {}
        for source in parts.sources:
            counter += 1
            numbers[source.n] = counter
        text = _renumbered(parts.text, numbers)
        items.append(BriefingItem(parts.question, text, [(numbers[s.n], s) for s in parts.sources]))
    return Briefing(items, refused, time.strftime("%Y-%m-%d %H:%M"))


def _renumbered(text: str, numbers: dict[int, int]) -> str:
    """ "[n]" of one answer as "[^k]", the briefing's running footnote number; a marker with no source is dropped."""
    return MARKER.sub(lambda m: f"[^{numbers[int(m.group(1))]}]" if int(m.group(1)) in numbers else "", text)


def note_text(source: SourcePart) -> str:
    return prompts.BRIEFING_NOTE.format(title=source.title, place=source.place, quote=source.quote)


def to_briefing_markdown(answers: list[Answer], papers: Papers) -> str:
    """The conversation as a briefing: each answered question with footnotes quoting its passages, then what the
    materials do not cover. Empty for an empty conversation."""
    if not answers:
        return ""
    b = briefing(answers, papers)
    lines = [f"# {prompts.BRIEFING_TITLE}", "", prompts.BRIEFING_DATE.format(date=b.date, count=len(answers)), ""]
    for i, item in enumerate(b.items, 1):
        lines += [f"## {i}. {item.question}", "", item.text, ""]
    if b.not_covered:
        lines += [f"## {prompts.BRIEFING_NOT_COVERED}", "", prompts.BRIEFING_NOT_COVERED_INTRO, ""]
        lines += [f"- {q}" for q in b.not_covered] + [""]
    if b.notes:
        lines += [f"## {prompts.BRIEFING_NOTES}", ""]
        lines += [f"[^{k}]: {note_text(s)}" for k, s in b.notes]
    return "\n".join(lines).rstrip() + "\n"


_NOTE_CALL = re.compile(r"\[\^(\d+)\]")


def write_briefing_docx(answers: list[Answer], papers: Papers, path: Path) -> Path:
    """The same briefing as a Word document: note calls as superscript numbers, the notes numbered at the end
    (Word's own footnotes need XML python-docx does not write)."""
    from docx import Document  # only the export needs it

    b = briefing(answers, papers)
    doc = Document()
    doc.add_heading(prompts.BRIEFING_TITLE, level=0)
    doc.add_paragraph(prompts.BRIEFING_DATE.format(date=b.date, count=len(answers)))
    for i, item in enumerate(b.items, 1):
        doc.add_heading(f"{i}. {item.question}", level=1)
        for line in item.text.split("\n"):
            paragraph = doc.add_paragraph()
            pos = 0
            for call in _NOTE_CALL.finditer(line):
                paragraph.add_run(line[pos : call.start()])
                paragraph.add_run(f"[{call.group(1)}]").font.superscript = True
                pos = call.end()
            paragraph.add_run(line[pos:])
    if b.not_covered:
        doc.add_heading(prompts.BRIEFING_NOT_COVERED, level=1)
        doc.add_paragraph(prompts.BRIEFING_NOT_COVERED_INTRO)
        for question in b.not_covered:
            doc.add_paragraph(question, style="List Bullet")
    if b.notes:
        doc.add_heading(prompts.BRIEFING_NOTES, level=1)
        for k, source in b.notes:
            doc.add_paragraph(f"[{k}] {note_text(source)}")
    doc.save(str(path))
    return path


# --- HTML: the UI ----------------------------------------------------------------------------------------
def escape(text: str) -> str:
    return html.escape(text, quote=True)


def highlighted_passage(passage: str, quote: str) -> str:
    """The passage with the quoted span marked; a quote the passage does not contain verbatim is shown above it."""
    start = passage.find(quote) if quote else -1
    if start < 0:
        return f"<mark>{escape(quote)}</mark><br>{escape(passage)}" if quote else escape(passage)
    end = start + len(quote)
    return f"{escape(passage[:start])}<mark>{escape(passage[start:end])}</mark>{escape(passage[end:])}"


def cite_id(turn: int, n: int) -> str:
    """The element id of citation ``n`` of conversation turn ``turn``: unique on a page holding many turns, so
    ``[3]`` of the newest answer never lands on ``[3]`` of an old one."""
    return f"rz-t{turn}-cite-{n}"


def hover_card(source: SourcePart) -> str:
    """What hovering ``[n]`` shows (a title attribute): where the passage is and the words quoted from it."""
    return f"《{source.title}》 · {source.place}\n“{source.quote}”"


def source_html(source: SourcePart, open_: bool = False, anchor: str | None = None) -> str:
    """One cited passage; ``anchor`` is its element id (the chat's copy has one, the side panel's does not)."""
    id_attr = f' id="{anchor}"' if anchor else ""
    return (
        f'<details class="rz-cite"{id_attr}{" open" if open_ else ""}>'
        f"<summary><b>[{source.n}]</b> 《{escape(source.title)}》 · {escape(source.place)}</summary>"
        f'<div class="rz-meta">{escape(source.byline)}</div>'
        f'<div class="rz-passage">{highlighted_passage(source.passage, source.quote)}</div>'
        f'<div class="rz-meta">{escape(source.location)}</div>'
        "</details>"
    )


def related_html(related: RelatedPart) -> str:
    return (
        '<details class="rz-related">'
        f"<summary>《{escape(related.title)}》 · {escape(related.place)}</summary>"
        f'<div class="rz-meta">{escape(related.byline)}</div>'
        f'<div class="rz-passage">{escape(related.text)}</div>'
        "</details>"
    )


def _marked_text(parts: AnswerParts, turn: int) -> str:
    """The answer with [n] made prominent (a link to this turn's passage, with a hover card) and unsupported
    sentences visibly flagged."""
    text = escape(parts.text)
    for sentence in parts.unsupported:
        target = escape(sentence)
        if target and target in text:
            text = text.replace(
                target,
                f'<span class="rz-unsupported" title="{prompts.UNSUPPORTED_TITLE}">{target}</span>'
                f'<span class="rz-flag">⚠{prompts.UNSUPPORTED_MARK}</span>',
                1,
            )
    sources = {s.n: s for s in parts.sources}

    def link(match: re.Match) -> str:
        n = int(match.group(1))
        source = sources.get(n)
        title = f' title="{escape(hover_card(source)).replace(chr(10), "&#10;")}"' if source else ""
        return f'<a class="rz-marker" href="#{cite_id(turn, n)}"{title}>[{n}]</a>'

    text = _BLOCK_HEADING.sub(r'<b class="rz-block">\1</b>', text)  # a comparison's per-document heading
    text = text.replace("\n", "<br>\n")  # before the links: a hover card keeps its own line break
    return MARKER.sub(link, text)


def to_html(answer: Answer, papers: Papers, turn: int = 1) -> str:
    """The chat bubble of conversation turn ``turn`` (1-based): notice, answer, then the sources (or the related
    passages of a refusal). The turn goes into every citation id so each answer's [n] open its own passages."""
    parts = answer_parts(answer, papers)
    blocks = []
    if parts.notice:
        blocks.append(f'<div class="rz-notice">{escape(parts.notice)}</div>')
    blocks.append(f'<div class="rz-answer">{_marked_text(parts, turn)}</div>')
    if parts.rewritten:
        rewritten = prompts.REWRITTEN_AS.format(question=parts.rewritten)
        blocks.append(f'<div class="rz-meta">（{escape(rewritten)}）</div>')
    if parts.sources:
        blocks.append(f'<div class="rz-heading">{prompts.SOURCES_HEADING}</div>')
        blocks.extend(source_html(s, anchor=cite_id(turn, s.n)) for s in parts.sources)
    elif parts.related:
        blocks.append(f'<div class="rz-heading">{escape(prompts.RELATED_BUT_INSUFFICIENT)}</div>')
        blocks.extend(related_html(r) for r in parts.related)
    return "\n".join(blocks)
