"""Turn an Answer into what the page shows: the chat message, the citation and evidence panels, the export.

Everything from a question, an answer or a paper is HTML-escaped here, so a question like "<script>" is shown,
never run; the chat component sanitises as well, but the panels are plain HTML.
"""

from __future__ import annotations

import html
import re

from assistant.answer import Answer, Citation, Passage
from assistant.prompts import RELATED_BUT_INSUFFICIENT
from ui import strings

MARKER = re.compile(r"\[(\d+)\]")
RELATED_SHOWN = 3

Papers = dict[str, dict]


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def paper_line(source: str, papers: Papers) -> str:
    """Authors · venue year, as far as the manifest knows them."""
    paper = papers.get(source) or {}
    authors = "、".join(paper.get("authors") or [])
    venue = " ".join(str(x) for x in (paper.get("venue"), paper.get("year")) if x)
    return " · ".join(x for x in (authors, venue) if x) or strings.PAPER_META_UNKNOWN


def highlighted_passage(passage: str, quote: str) -> str:
    """The passage with the quoted span marked; a quote the passage does not contain verbatim is shown above it."""
    start = passage.find(quote) if quote else -1
    if start < 0:
        return f"<mark>{escape(quote)}</mark><br>{escape(passage)}" if quote else escape(passage)
    end = start + len(quote)
    return f"{escape(passage[:start])}<mark>{escape(passage[start:end])}</mark>{escape(passage[end:])}"


def _citation_block(citation: Citation, papers: Papers, open_: bool = False) -> str:
    section = escape(citation.section or strings.SECTION_BODY)
    location = strings.QUOTE_LABEL.format(source=citation.source, start=citation.char_start, end=citation.char_end)
    return (
        f'<details class="rz-cite" id="rz-cite-{citation.n}"{" open" if open_ else ""}>'
        f"<summary><b>[{citation.n}]</b> 《{escape(citation.title)}》 · {section}</summary>"
        f'<div class="rz-meta">{escape(paper_line(citation.source, papers))}</div>'
        f'<div class="rz-passage">{highlighted_passage(citation.passage, citation.text)}</div>'
        f'<div class="rz-meta">{escape(location)}</div>'
        "</details>"
    )


def _passage_block(passage: Passage, papers: Papers) -> str:
    section = escape(passage.section or strings.SECTION_BODY)
    return (
        '<details class="rz-related">'
        f"<summary>《{escape(passage.title)}》 · {section}</summary>"
        f'<div class="rz-meta">{escape(paper_line(passage.source, papers))}</div>'
        f'<div class="rz-passage">{escape(passage.text)}</div>'
        "</details>"
    )


def _marked_answer_text(answer: Answer) -> str:
    """The answer with [n] made prominent and unsupported sentences visibly flagged."""
    text = escape(answer.text)
    for sentence in answer.unsupported:
        target = escape(sentence)
        if target and target in text:
            text = text.replace(
                target,
                f'<span class="rz-unsupported" title="{strings.UNSUPPORTED_TITLE}">{target}</span>'
                f'<span class="rz-flag">⚠{strings.UNSUPPORTED_MARK}</span>',
                1,
            )
    text = MARKER.sub(r'<a class="rz-marker" href="#rz-cite-\1">[\1]</a>', text)
    return text.replace("\n", "<br>\n")


def chat_message(answer: Answer, papers: Papers) -> str:
    """The assistant's chat bubble: notice, answer, then the sources (or the related passages of a refusal)."""
    parts = []
    if answer.notice:
        parts.append(f'<div class="rz-notice">{escape(answer.notice)}</div>')
    parts.append(f'<div class="rz-answer">{_marked_answer_text(answer)}</div>')
    if answer.standalone_question and answer.standalone_question != answer.question:
        rewritten = strings.REWRITTEN_AS.format(question=answer.standalone_question)
        parts.append(f'<div class="rz-meta">（{escape(rewritten)}）</div>')
    if answer.citations:
        parts.append(f'<div class="rz-heading">{strings.SOURCES_HEADING}</div>')
        parts.extend(_citation_block(c, papers) for c in answer.citations)
    elif answer.refused and answer.retrieved:
        parts.append(f'<div class="rz-heading">{escape(RELATED_BUT_INSUFFICIENT)}</div>')
        parts.extend(_passage_block(p, papers) for p in related(answer))
    return "\n".join(parts)


def related(answer: Answer) -> list[Passage]:
    return [p for p in answer.retrieved if p.kind != "reference"][:RELATED_SHOWN]


def citations_panel(answer: Answer | None, papers: Papers) -> str:
    if answer is None:
        return f'<div class="rz-meta">{strings.NO_ANSWER_YET}</div>'
    if not answer.citations:
        blocks = [_passage_block(p, papers) for p in related(answer)]
        return f'<div class="rz-heading">{strings.RELATED_HEADING}</div>' + "".join(blocks)
    return "".join(_citation_block(c, papers, open_=True) for c in answer.citations)


def _score(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def evidence_panel(answer: Answer | None, papers: Papers) -> str:
    """Every retrieved passage in rank order with its fused, dense and BM25 scores, for explaining an answer."""
    if answer is None:
        return f'<div class="rz-meta">{strings.NO_EVIDENCE_YET}</div>'
    cited = {c.chunk_id for c in answer.citations}
    timings = "，".join(
        f"{strings.STAGE_NAMES.get(k, k)} {v:.0f} ms" for k, v in answer.timings_ms.items() if k in strings.STAGE_NAMES
    )
    cards = []
    for rank, p in enumerate(answer.retrieved, 1):
        tags = []
        if p.chunk_id in cited:
            tags.append(f'<span class="rz-tag">{strings.EVIDENCE_CITED}</span>')
        if p.kind == "reference":
            tags.append(f'<span class="rz-tag rz-muted">{strings.EVIDENCE_REFERENCE}</span>')
        scores = strings.EVIDENCE_SCORES.format(
            fused=_score(p.score, 4), dense=_score(p.dense), lexical=_score(p.lexical, 2)
        )
        section = escape(p.section or strings.SECTION_BODY)
        cards.append(
            f'<div class="rz-evidence-item{" rz-cited" if p.chunk_id in cited else ""}">'
            f"<div><b>{rank}</b> 《{escape(p.title)}》 · {section} {''.join(tags)}</div>"
            f'<div class="rz-meta">{scores}</div>'
            f'<div class="rz-passage">{escape(p.text)}</div></div>'
        )
    unsupported = ""
    if answer.unsupported:
        items = "".join(f"<li>{escape(s)}</li>" for s in answer.unsupported)
        unsupported = f'<div class="rz-unsupported-list">⚠{strings.UNSUPPORTED_MARK}：<ul>{items}</ul></div>'
    summary = strings.EVIDENCE_SUMMARY.format(count=len(answer.retrieved), timings=timings)
    return f'<div class="rz-meta">{escape(summary)}</div>{unsupported}<div class="rz-evidence">{"".join(cards)}</div>'


def export_markdown(answer: Answer | None, papers: Papers) -> str:
    """The answer with its sources as Markdown, for pasting into a document or a lesson plan."""
    if answer is None:
        return ""
    lines = [f"## {strings.EXPORT_QUESTION}", "", answer.question, "", f"## {strings.EXPORT_ANSWER}", ""]
    if answer.notice:
        lines += [f"> {answer.notice}", ""]
    lines += [answer.text, ""]
    if answer.citations:
        lines += [f"## {strings.EXPORT_SOURCES}", ""]
        for c in answer.citations:
            lines.append(
                f"[{c.n}] 《{c.title}》，{paper_line(c.source, papers)}，{c.section or strings.SECTION_BODY}"
                f"（{c.source}，字符 {c.char_start}–{c.char_end}）"
            )
            lines += [f"> {c.text}", ""]
    elif answer.refused and answer.retrieved:
        lines += [f"## {strings.EXPORT_RELATED}", ""]
        for p in related(answer):
            lines += [f"- 《{p.title}》 {p.section}：{p.text}", ""]
    return "\n".join(lines).rstrip() + "\n"


def status_line(embedder: str, backend: str, papers: int, chunks: int) -> str:
    backend_name = strings.BACKEND_NAMES.get(backend, backend)
    return strings.STATUS_LINE.format(embedder=embedder, backend=backend_name, papers=papers, chunks=chunks)


PAGE_CSS = """
.rz-answer { line-height: 1.8; }
.rz-marker { font-weight: 700; color: #b45309; text-decoration: none; }
.rz-unsupported { text-decoration: underline wavy #dc2626; background: #fef2f2; }
.rz-flag { color: #dc2626; font-size: 0.85em; margin-left: 0.2em; }
.rz-notice { background: #fffbeb; border-left: 3px solid #f59e0b; padding: 4px 8px; margin-bottom: 6px; }
.rz-heading { font-weight: 700; margin-top: 10px; }
.rz-cite, .rz-related { border: 1px solid #e5e7eb; border-radius: 6px; padding: 4px 8px; margin: 6px 0; }
.rz-cite summary, .rz-related summary { cursor: pointer; }
.rz-meta { color: #6b7280; font-size: 0.85em; }
.rz-passage { line-height: 1.7; margin: 4px 0; }
.rz-passage mark, .rz-cite mark { background: #fde68a; padding: 0 1px; }
.rz-evidence-item { border: 1px solid #e5e7eb; border-radius: 6px; padding: 4px 8px; margin: 6px 0; }
.rz-evidence-item.rz-cited { background: #fefce8; }
.rz-tag { background: #fde68a; border-radius: 4px; padding: 0 4px; font-size: 0.8em; white-space: nowrap; }
.rz-muted { background: #e5e7eb; }
.rz-unsupported-list { color: #dc2626; }
.rz-status { color: #374151; font-size: 0.9em; }
"""
