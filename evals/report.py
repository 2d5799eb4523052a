"""Human reports of an evaluation run: report.md (tables) and report.html (the same with SVG charts)."""

from __future__ import annotations

import html
from pathlib import Path

from evals.metrics import METRIC_NAMES

LABELS = {
    "quote_recall": "gold-quote recall@k",
    "mrr": "MRR",
    "doc_recall": "gold-doc recall@k",
    "key_point_coverage": "key-point coverage",
    "citation_precision": "citation precision",
    "citation_support": "citation support",
    "groundedness": "groundedness",
    "refusal_recall": "refusal recall (unanswerable)",
    "false_refusal_rate": "false-refusal rate (answerable)",
}


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def summary_rows(report: dict) -> list[tuple[str, str, str, str]]:
    base = (report.get("baseline") or {}).get("summary", {})
    ratios = report.get("ratios", {})
    rows = []
    for name in (*METRIC_NAMES, "refusal_recall", "false_refusal_rate"):
        ratio = ratios.get(name)
        rows.append(
            (
                LABELS[name],
                _fmt(report["summary"].get(name)),
                _fmt(base.get(name)),
                f"×{ratio}" if ratio is not None else "-",
            )
        )
    return rows


def judge_line(judged: dict) -> str:
    return (
        f"{judged['label']}, judged by `{judged['model']}`: {_fmt(judged['faithfulness'])} "
        f"over {judged['items_judged']} answered items ({judged['errors']} judge errors). "
        "Not part of the measured metrics above."
    )


def markdown(report: dict, records: list[dict]) -> str:
    run = report["run"]
    lines = [
        "# rongzhi evaluation report",
        "",
        f"dataset `{run['dataset']}` · {run['items']} items · k={run['k']} · backend `{run['backend']}` · "
        f"embedder `{run['embedder']}` · {run['chunks']} chunks · {run['seconds']} s · {run['date']}",
        "",
        "| metric | rongzhi | baseline | ratio |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in summary_rows(report)],
        "",
        f"Baseline: {(report.get('baseline') or {}).get('name', 'not run')}.",
        "",
        *([judge_line(report["llm_judge"]), ""] if report.get("llm_judge") else []),
        "## By kind",
        "",
        "| kind | items | passed | refused | quote recall | key points | citation support | groundedness |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, entry in report["by_kind"].items():
        lines.append(
            f"| {kind} | {entry['items']} | {entry['passed']} | {entry['refused']} | {_fmt(entry['quote_recall'])} | "
            f"{_fmt(entry['key_point_coverage'])} | {_fmt(entry['citation_support'])} | {_fmt(entry['groundedness'])} |"
        )
    lines += ["", "## Latency (ms)", "", "| stage | p50 | p95 |", "|---|---|---|"]
    lines += [f"| {stage} | {v['p50']} | {v['p95']} |" for stage, v in report["latency_ms"].items()]
    lines += [
        "",
        "## Items (failures first)",
        "",
        "| id | kind | question | answer | what went wrong |",
        "|---|---|---|---|---|",
    ]
    answers = {r["id"]: r for r in records}
    for item in sorted(report["items"], key=lambda s: (not s["failures"], s["id"])):
        record = answers.get(item["id"], {})
        problems = list(item["failures"])
        if item["missing_key_points"]:
            problems.append("missing: " + "、".join(item["missing_key_points"]))
        problems += [f"unsupported: {s}" for s in item["unsupported_sentences"][:2]]
        answer = (record.get("answer") or "").replace("\n", " ").replace("|", "｜")[:160]
        question = record.get("question", "").replace("|", "｜")
        lines.append(f"| {item['id']} | {item['kind']} | {question} | {answer} | {'；'.join(problems) or 'ok'} |")
    return "\n".join(lines) + "\n"


def _bars(title: str, series: dict[str, list[float | None]], categories: list[str], width: int = 720) -> str:
    """A grouped horizontal bar chart (values 0..1) as inline SVG."""
    colours = ["#2b6cb0", "#dd6b20", "#38a169"]
    row_height = 16 * len(series) + 10
    height = 40 + row_height * len(categories)
    parts = [
        f'<svg width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
        f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>',
    ]
    for c, category in enumerate(categories):
        y0 = 30 + c * row_height
        parts.append(f'<text x="0" y="{y0 + 12}" font-size="12">{html.escape(category)}</text>')
        for s, (name, values) in enumerate(series.items()):
            value = values[c]
            length = 0 if value is None else max(0.0, min(1.0, value)) * (width - 260)
            y = y0 + s * 16
            parts.append(f'<rect x="200" y="{y}" width="{length:.0f}" height="13" fill="{colours[s % 3]}"/>')
            parts.append(
                f'<text x="{205 + length:.0f}" y="{y + 11}" font-size="11">{_fmt(value)} {html.escape(name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _histogram(title: str, values: list[float], width: int = 720, bins: int = 20) -> str:
    if not values:
        return ""
    top = max(values) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int(v / top * bins))] += 1
    peak = max(counts)
    bar = (width - 40) / bins
    parts = [
        f'<svg width="{width}" height="190" role="img" aria-label="{html.escape(title)}">',
        f'<text x="0" y="16" font-weight="bold">{html.escape(title)}</text>',
    ]
    for i, count in enumerate(counts):
        h = 130 * count / peak
        parts.append(
            f'<rect x="{20 + i * bar:.0f}" y="{160 - h:.0f}" width="{bar - 2:.0f}" height="{h:.0f}" fill="#2b6cb0"/>'
        )
    parts.append(
        '<text x="20" y="180" font-size="11">0 ms</text>'
        f'<text x="{width - 90}" y="180" font-size="11">{top:.0f} ms</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def html_report(report: dict, records: list[dict]) -> str:
    summary_metrics = [*METRIC_NAMES, "refusal_recall"]
    base = (report.get("baseline") or {}).get("summary", {})
    series = {"rongzhi": [report["summary"].get(m) for m in summary_metrics]}
    if base:
        series["baseline"] = [base.get(m) for m in summary_metrics]
    kinds = list(report["by_kind"])
    by_kind = {
        "quote recall": [report["by_kind"][k]["quote_recall"] for k in kinds],
        "key points": [report["by_kind"][k]["key_point_coverage"] for k in kinds],
        "groundedness": [report["by_kind"][k]["groundedness"] for k in kinds],
    }
    latencies = [r["latency_ms"] for r in records if r.get("latency_ms") is not None]
    md = markdown(report, records)
    table_start = md.index("## Items")
    return (
        "<!doctype html><html lang='zh'><meta charset='utf-8'><title>rongzhi evaluation</title>"
        "<style>body{font-family:'Noto Sans CJK SC',sans-serif;max-width:1100px;margin:2em auto}"
        "pre{white-space:pre-wrap;font-size:12px}</style>"
        + _bars("rongzhi vs baseline", series, [LABELS[m] for m in summary_metrics])
        + _bars("by kind", by_kind, kinds)
        + _histogram("end-to-end latency per item", latencies)
        + "<pre>"
        + html.escape(md[:table_start])
        + "</pre><h2>Items (failures first)</h2><pre>"
        + html.escape(md[table_start:])
        + "</pre></html>"
    )


def write_reports(report: dict, records: list[dict], out_dir: Path) -> None:
    (out_dir / "report.md").write_text(markdown(report, records), encoding="utf-8")
    (out_dir / "report.html").write_text(html_report(report, records), encoding="utf-8")
