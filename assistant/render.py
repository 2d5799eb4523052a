"""The one renderer of an Answer: the same parts as plain text (terminal), Markdown (export) and HTML (the UI).

``answer_parts`` decides what a person sees — notice, answer, the rewritten question, flagged sentences, the cited
sources or, for a refusal, the related passages (never reference-list entries) — and the three formats only lay
those parts out. Everything from a question, an answer or a paper is HTML-escaped in the HTML form, so a question
like "<script>" is shown, never run.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from assistant import prompts
from assistant.answer import Answer, Citation, Passage
from core import papers as paper_names
from core.schema import page_label

MARKER = re.compile(r"\[(\d+)\]")
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


def byline(source: str, papers: Papers) -> str:
    return paper_names.byline(papers.get(source) or {}) or prompts.PAPER_META_UNKNOWN


def related_passages(answer: Answer) -> list[Passage]:
    return [p for p in answer.retrieved if p.kind != "reference"][:RELATED_SHOWN]


def source_part(citation: Citation, papers: Papers) -> SourcePart:
    return SourcePart(
        n=citation.n,
        title=citation.title,
        section=citation.section or prompts.SECTION_BODY,
        byline=byline(citation.source, papers),
        quote=citation.text,
        passage=citation.passage,
        location=prompts.QUOTE_LOCATION.format(
            source=citation.source, start=citation.char_start, end=citation.char_end
        ),
        page=page_label(citation.page_start, citation.page_end),
    )


def related_part(passage: Passage, papers: Papers) -> RelatedPart:
    return RelatedPart(
        passage.title,
        passage.section or prompts.SECTION_BODY,
        byline(passage.source, papers),
        passage.text,
        page_label(passage.page_start, passage.page_end),
    )


def answer_parts(answer: Answer, papers: Papers) -> AnswerParts:
    rewritten = answer.standalone_question
    parts = AnswerParts(
        question=answer.question,
        text=answer.text,
        notice=answer.notice,
        rewritten=rewritten if rewritten and rewritten != answer.question else None,
        unsupported=answer.unsupported,
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


def source_html(source: SourcePart, open_: bool = False) -> str:
    return (
        f'<details class="rz-cite" id="rz-cite-{source.n}"{" open" if open_ else ""}>'
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


def _marked_text(parts: AnswerParts) -> str:
    """The answer with [n] made prominent and unsupported sentences visibly flagged."""
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
    text = MARKER.sub(r'<a class="rz-marker" href="#rz-cite-\1">[\1]</a>', text)
    return text.replace("\n", "<br>\n")


def to_html(answer: Answer, papers: Papers) -> str:
    """The chat bubble: notice, answer, then the sources (or the related passages of a refusal)."""
    parts = answer_parts(answer, papers)
    blocks = []
    if parts.notice:
        blocks.append(f'<div class="rz-notice">{escape(parts.notice)}</div>')
    blocks.append(f'<div class="rz-answer">{_marked_text(parts)}</div>')
    if parts.rewritten:
        rewritten = prompts.REWRITTEN_AS.format(question=parts.rewritten)
        blocks.append(f'<div class="rz-meta">（{escape(rewritten)}）</div>')
    if parts.sources:
        blocks.append(f'<div class="rz-heading">{prompts.SOURCES_HEADING}</div>')
        blocks.extend(source_html(s) for s in parts.sources)
    elif parts.related:
        blocks.append(f'<div class="rz-heading">{escape(prompts.RELATED_BUT_INSUFFICIENT)}</div>')
        blocks.extend(related_html(r) for r in parts.related)
    return "\n".join(blocks)
