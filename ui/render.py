"""The page's side panels (citations, evidence), its status line and CSS, built from assistant/render.py's parts.

Everything from a question, an answer or a paper is HTML-escaped, so a question like "<script>" is shown, never
run; the chat component sanitises as well, but the panels are plain HTML.
"""

from __future__ import annotations

from assistant import prompts
from assistant.answer import Answer
from assistant.render import (
    Papers,
    answer_parts,
    escape,
    page_label,
    related_html,
    related_part,
    related_passages,
    source_html,
)
from core.schema import plain_text
from ui import strings


def citations_panel(answer: Answer | None, papers: Papers) -> str:
    if answer is None:
        return f'<div class="rz-meta">{strings.NO_ANSWER_YET}</div>'
    parts = answer_parts(answer, papers)
    if not parts.sources:
        blocks = [related_html(related_part(p, papers)) for p in related_passages(answer)]
        return f'<div class="rz-heading">{strings.RELATED_HEADING}</div>' + "".join(blocks)
    return "".join(source_html(s, open_=True) for s in parts.sources)


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
        page = page_label(p.page_start, p.page_end)
        section = escape((p.section or prompts.SECTION_BODY) + (f" · {page}" if page else ""))
        cards.append(
            f'<div class="rz-evidence-item{" rz-cited" if p.chunk_id in cited else ""}">'
            f"<div><b>{rank}</b> 《{escape(p.title)}》 · {section} {''.join(tags)}</div>"
            f'<div class="rz-meta">{scores}</div>'
            f'<div class="rz-passage">{escape(plain_text(p.text))}</div></div>'
        )
    unsupported = ""
    if answer.unsupported:
        items = "".join(f"<li>{escape(s)}</li>" for s in answer.unsupported)
        unsupported = f'<div class="rz-unsupported-list">⚠{prompts.UNSUPPORTED_MARK}：<ul>{items}</ul></div>'
    summary = strings.EVIDENCE_SUMMARY.format(count=len(answer.retrieved), timings=timings)
    return f'<div class="rz-meta">{escape(summary)}</div>{unsupported}<div class="rz-evidence">{"".join(cards)}</div>'


def status_line(embedder: str, backend: str, papers: int, chunks: int, model_state: str | None = None) -> str:
    """The index facts, then the model's state when the backend needs a model (None: nothing about a model)."""
    backend_name = strings.BACKEND_NAMES.get(backend, backend)
    line = strings.STATUS_LINE.format(embedder=embedder, backend=backend_name, papers=papers, chunks=chunks)
    return line + strings.STATUS_MODEL.format(state=model_state) if model_state else line


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
/* the passage a click on [n] opened: unmistakable on a projector too */
.rz-cite.rz-target { border: 2px solid #f59e0b; background: #fffbeb; }
.rz-cite.rz-target mark { background: #fbbf24; }
/* 演示模式 (body.rz-classroom, set by ui/script.py): readable from the back of a room at 1280×720 — one column,
   the chat sized to the window so the question box and examples stay on screen, large type. */
body.rz-classroom #rz-intro, body.rz-classroom #rz-status { display: none; }
body.rz-classroom #rz-chat-col { display: flex; flex-direction: column; }
body.rz-classroom #rz-chat-col > * { order: 1; }
body.rz-classroom #rz-chat-col > #rz-chat, body.rz-classroom #rz-chat-col > #rz-error,
body.rz-classroom #rz-chat-col > #rz-ask-row { order: 0; }
body.rz-classroom #rz-main { flex-direction: column; }
body.rz-classroom #rz-main > .column { width: 100%; min-width: 100%; }
body.rz-classroom #rz-chat { height: calc(100vh - 420px) !important; min-height: 240px; }
body.rz-classroom #rz-chat .message, body.rz-classroom #rz-chat .rz-answer { font-size: 28px; line-height: 1.55; }
body.rz-classroom .rz-passage, body.rz-classroom .rz-cite summary, body.rz-classroom .rz-related summary,
body.rz-classroom .rz-evidence-item { font-size: 24px; }
body.rz-classroom .rz-meta, body.rz-classroom .rz-status { font-size: 20px; color: #374151; }
body.rz-classroom #rz-question textarea { font-size: 24px; }
body.rz-classroom .rz-example { font-size: 16px; }
"""
