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
    "line_precision": "answer lines on point",
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
    not_judged = judged.get("items_not_judged", judged.get("errors", 0))
    return (
        f"{judged['label']}, judged by `{judged['model']}`: {_fmt(judged['faithfulness'])} "
        f"over {judged['items_judged']} answered items; {not_judged} answered items could not be judged "
        f"(judge errors or unparsable verdicts, not scored); {judged.get('items_skipped', 0)} refused or uncited "
        "items had nothing to judge. Not part of the measured metrics above."
    )


def not_judged_table(judged: dict) -> Table | None:
    rows = [[n["id"], n["reason"]] for n in judged.get("not_judged", [])]
    return (["id", "why the judge could not judge it"], rows) if rows else None


def fallback_cell(summary: dict) -> str:
    """The share of model answers replaced by the extractive fallback, with its counts ("0.250 (3/12)")."""
    if summary.get("fallback_rate") is None:
        return "-"
    return f"{summary['fallback_rate']:.3f} ({summary['fallbacks']}/{summary['model_items']})"


FALLBACK_LABEL = "extractive fallback rate (model runs)"


Table = tuple[list[str], list[list[str]]]


def split_table(report: dict) -> Table | None:
    """Each metric per split: the test column is the number to report, tuning is what the code was tuned on."""
    splits = report.get("splits") or {}
    if not splits:
        return None
    names = [n for n in ("test", "tuning") if n in splits]
    headers = ["metric", *names, "all items"]
    rows = [
        [LABELS[m], *(_fmt(splits[n]["summary"].get(m)) for n in names), _fmt(report["summary"].get(m))]
        for m in (*METRIC_NAMES, "refusal_recall", "false_refusal_rate")
    ]
    rows.append(["items", *(str(splits[n]["summary"]["items"]) for n in names), str(report["summary"]["items"])])
    if report["summary"].get("model_items"):  # only a run that asked a model for answers has a fallback rate
        rows.append(
            [FALLBACK_LABEL, *(fallback_cell(splits[n]["summary"]) for n in names), fallback_cell(report["summary"])]
        )
    return headers, rows


def kind_table(report: dict) -> Table:
    headers = ["kind", "items", "passed", "refused", "quote recall", "key points", "lines on point", "groundedness"]
    rows = [
        [
            kind,
            str(e["items"]),
            str(e["passed"]),
            str(e["refused"]),
            _fmt(e["quote_recall"]),
            _fmt(e["key_point_coverage"]),
            _fmt(e.get("line_precision")),
            _fmt(e["groundedness"]),
        ]
        for kind, e in report["by_kind"].items()
    ]
    return headers, rows


SEVERITY_NAMES = {0: "wrong refusal / answered unanswerable / error", 1: "key points missing", 2: "off-point lines"}


def item_table(report: dict, records: list[dict]) -> Table:
    """Every item, most harmful first: what a user would be misled by comes before what is merely incomplete."""
    headers = ["id", "split", "kind", "severity", "question", "answer", "what went wrong"]
    answers = {r["id"]: r for r in records}
    rows = []
    for item in sorted(report["items"], key=lambda s: (s.get("severity", 4), s["id"])):
        record = answers.get(item["id"], {})
        problems = list(item["failures"])
        if item["missing_key_points"]:
            problems.append("missing: " + "、".join(item["missing_key_points"]))
        problems += [f"off point: {s}" for s in item.get("off_point_lines", [])[:2]]
        problems += [f"unsupported: {s}" for s in item["unsupported_sentences"][:2]]
        answer = (record.get("answer") or "").replace("\n", " ")[:160]
        severity = SEVERITY_NAMES.get(item.get("severity", 4), "minor" if problems else "ok")
        rows.append(
            [
                item["id"],
                item.get("split") or "-",
                item["kind"],
                severity,
                record.get("question", ""),
                answer,
                "；".join(problems) or "ok",
            ]
        )
    return headers, rows


def _md_table(table: Table) -> list[str]:
    headers, rows = table
    cell = lambda text: str(text).replace("|", "｜")  # noqa: E731 - a pipe would end the Markdown cell
    return [
        "| " + " | ".join(headers) + " |",
        "|" + "---|" * len(headers),
        *("| " + " | ".join(cell(c) for c in row) + " |" for row in rows),
    ]


def _summary_table(report: dict) -> Table:
    return ["metric", "rongzhi", "baseline", "ratio"], [list(row) for row in summary_rows(report)]


def _latency_table(report: dict) -> Table:
    return ["stage", "p50", "p95"], [[stage, str(v["p50"]), str(v["p95"])] for stage, v in report["latency_ms"].items()]


def _run_line(report: dict) -> str:
    run = report["run"]
    return (
        f"dataset `{run['dataset']}` · {run['items']} items · k={run['k']} · backend `{run['backend']}` · "
        f"embedder `{run['embedder']}` · {run['chunks']} chunks · {run['seconds']} s · {run['date']}"
    )


def markdown(report: dict, records: list[dict]) -> str:
    lines = ["# rongzhi evaluation report", "", _run_line(report), ""]
    if splits := split_table(report):
        lines += ["## By split (report the test split)", "", *_md_table(splits), ""]
    lines += ["## All items against the baseline", "", *_md_table(_summary_table(report)), ""]
    lines += [f"Baseline: {(report.get('baseline') or {}).get('name', 'not run')}.", ""]
    if report["summary"].get("model_items"):
        lines += [f"{FALLBACK_LABEL}: {fallback_cell(report['summary'])}", ""]
    if report.get("llm_judge"):
        lines += [judge_line(report["llm_judge"]), ""]
        if table := not_judged_table(report["llm_judge"]):
            lines += ["## Items the judge could not judge", "", *_md_table(table), ""]
    lines += ["## By kind", "", *_md_table(kind_table(report)), ""]
    lines += ["## Latency (ms)", "", *_md_table(_latency_table(report)), ""]
    lines += ["## Items (most harmful first)", "", *_md_table(item_table(report, records))]
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
    sections = []
    if splits := split_table(report):
        sections.append(("By split (report the test split)", splits))
    sections += [
        ("All items against the baseline", _summary_table(report)),
        ("By kind", kind_table(report)),
        ("Latency (ms)", _latency_table(report)),
        ("Items (most harmful first)", item_table(report, records)),
    ]
    judged = f"<p>{html.escape(judge_line(report['llm_judge']))}</p>" if report.get("llm_judge") else ""
    if report["summary"].get("model_items"):
        judged = f"<p>{html.escape(FALLBACK_LABEL)}: {html.escape(fallback_cell(report['summary']))}</p>" + judged
    if report.get("llm_judge") and (table := not_judged_table(report["llm_judge"])):
        sections.append(("Items the judge could not judge", table))
    return (
        "<!doctype html><html lang='zh'><meta charset='utf-8'><title>rongzhi evaluation</title>"
        "<style>body{font-family:'Noto Sans CJK SC',sans-serif;max-width:1200px;margin:2em auto}"
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 6px;"
        "font-size:13px;vertical-align:top;text-align:left}th{background:#f3f4f6}</style>"
        f"<h1>rongzhi evaluation report</h1><p>{html.escape(_run_line(report))}</p>"
        + _bars("rongzhi vs baseline", series, [LABELS[m] for m in summary_metrics])
        + _bars("by kind", by_kind, kinds)
        + _histogram("end-to-end latency per item", latencies)
        + judged
        + "".join(f"<h2>{html.escape(title)}</h2>{_html_table(table)}" for title, table in sections)
        + "</html>"
    )


def _html_table(table: Table) -> str:
    headers, rows = table
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_reports(report: dict, records: list[dict], out_dir: Path) -> None:
    (out_dir / "report.md").write_text(markdown(report, records), encoding="utf-8")
    (out_dir / "report.html").write_text(html_report(report, records), encoding="utf-8")
