"""Record what a real model writes through the product's own prompt, as replayable test fixtures.

For each chosen tuning-split question (never the test split) the Assistant retrieves and gates as usual, then the
model's raw streamed text (before any verification or fallback) is saved with the passages it was shown, one JSON
file per question in tests/fixtures/model_answers/. tests/assistant/test_verify.py replays them through the fake
OpenAI server. Needs a running server (scripts/model_server.sh) and a built index (RONGZHI_STORAGE__DATA_DIR).

    python scripts/record_model_answers.py --base-url http://127.0.0.1:8080/v1 --limit 32
    python scripts/record_model_answers.py --ids fact-13 off-fact-29      # chosen tuning items only
    python scripts/record_model_answers.py --questions own.jsonl          # questions written for the recording

A --questions file holds one {"id", "corpus", "kind", "question"} per line: new phrasings (figure-heavy passages
asked several ways, say) written for the recording, never copied from the test split; their fixtures say
"written": true.

--ungated also records a question the refusal gate turns away: the model is shown the same retrieved passages
through the same prompt (the gate is skipped, nothing else). A figure asked for a year or row the passages lack is
where the model borrows a neighbour's figure, the wrong-entity sentences the verifier must catch behind a gate
that lets such a question through; those fixtures say "gated": false. Cheaper recordings: RONGZHI_RETRIEVAL__TOP_K
(fewer passages in the prompt) and --max-tokens.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from dataclasses import asdict
from pathlib import Path

from assistant.core import Assistant
from assistant.llm import Budget, StageLimits, answer_messages, build_llm, stream_answer
from core.settings import PROJECT_ROOT, get_settings
from evals.suites import SUITES

logger = logging.getLogger("record_model_answers")
OUT = PROJECT_ROOT / "tests" / "fixtures" / "model_answers"
# Follow-ups need a conversation and unanswerable items are refused before the model: neither tests the verifier.
KINDS = ("fact", "list", "why", "compare")


def tuning_items(suite: str) -> list[dict]:
    items = [json.loads(line) for line in SUITES[suite].dataset.read_text(encoding="utf-8").splitlines() if line]
    return [i for i in items if i["split"] == "tuning" and i["answerable"] and i["kind"] in KINDS]


def interleave(lists: list[list[dict]]) -> list[dict]:
    out = []
    for i in range(max(len(x) for x in lists)):
        out += [x[i] for x in lists if i < len(x)]
    return out


def record(item: dict, assistant: Assistant) -> dict | None:
    started = time.monotonic()
    raw, model_done, final = "", False, None
    for event in assistant.ask_stream(item["question"], backend="openai"):
        if event.kind == "delta" and not model_done:
            raw += event.text
        elif event.kind == "reset":
            model_done = True  # what follows is the extractive fallback, not the model
        elif event.kind == "final":
            final = event.answer
    if final is None or final.refused:  # refused by the gate (or by the model): nothing to verify
        return None
    if final.refused and not raw.strip():
        return None
    return {
        "id": item["id"],
        "suite": item["corpus"],
        "kind": item["kind"],
        "question": item["question"],
        "standalone_question": final.standalone_question,
        "passages": [asdict(p) for p in final.retrieved],
        "raw_answer": raw.strip(),
        "product_kept": final.backend == "openai",
        "seconds": round(time.monotonic() - started, 1),
        **cost(assistant),
        **({"written": True} if item.get("written") else {}),
    }


def cost(assistant: Assistant) -> dict:
    """What the prompt was cut to for the recording: passages shown and the answer's token ceiling."""
    return {"top_k": assistant.settings.retrieval.top_k, "max_tokens": assistant.settings.model.max_tokens}


def record_ungated(item: dict, assistant: Assistant) -> dict:
    """The model's answer on the passages the gate refused to answer from (same retrieval, same prompt)."""
    started = time.monotonic()
    evidence = assistant.evidence(item["question"])
    settings = assistant.settings
    messages = answer_messages(item["question"], evidence.passages)
    budget = Budget(settings.model.answer_timeout)
    raw = "".join(stream_answer(build_llm(settings, "openai"), messages, StageLimits.of(settings.model), budget))
    return {
        "id": item["id"],
        "suite": item["corpus"],
        "kind": item["kind"],
        "question": item["question"],
        "standalone_question": item["question"],
        "passages": [asdict(p) for p in evidence.passages],
        "raw_answer": raw.strip(),
        "product_kept": False,  # the product refuses this question before the model
        "seconds": round(time.monotonic() - started, 1),
        "gated": False,
        **cost(assistant),
        **({"written": True} if item.get("written") else {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8080/v1")
    parser.add_argument("--model", default="local")
    parser.add_argument("--limit", type=int, default=32)
    parser.add_argument("--max-tokens", type=int, default=512)
    parser.add_argument("--questions", type=Path, help="a JSONL of questions written for the recording")
    parser.add_argument("--ids", nargs="*", help="record only these tuning-split item ids (figure-heavy ones, say)")
    parser.add_argument("--ungated", action="store_true", help="record gate-refused questions too (see above)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    OUT.mkdir(parents=True, exist_ok=True)
    base = get_settings().updated(
        model={
            "base_url": args.base_url,
            "name": args.model,
            # A shared 2-core machine stalls the server for tens of seconds now and then: the product's clocks
            # (first token 60 s, 10 s between tokens) would cut the recording mid-sentence (fact-14 was).
            "answer_timeout": 900,
            "first_token_timeout": 600,
            "token_timeout": 120,
            "retries": 0,
            "max_tokens": args.max_tokens,
            "temperature": 0.0,
        }
    )
    assistants = {name: Assistant(suite.settings(base)) for name, suite in SUITES.items()}
    done = 0
    items = interleave([tuning_items(name) for name in SUITES])
    if args.ids:
        wanted = set(args.ids)
        items = [i for i in items if i["id"] in wanted]
        missing = wanted - {i["id"] for i in items}
        if missing:  # a test-split or unknown id is never recorded
            parser.error(f"not tuning-split answerable items: {sorted(missing)}")
    if args.questions:
        written = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line]
        items = [{**i, "written": True} for i in written]
    for item in items:
        if done >= args.limit:
            break
        path = OUT / f"{item['id']}.json"
        if path.exists():
            done += 1
            continue
        fixture = record(item, assistants[item["corpus"]])
        if fixture is None and args.ungated:
            fixture = record_ungated(item, assistants[item["corpus"]])
        if fixture is None:
            logger.info("%s refused; skipped", item["id"])
            continue
        path.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        done += 1
        logger.info("%s recorded in %.0f s (%d/%d)", item["id"], fixture["seconds"], done, args.limit)


if __name__ == "__main__":
    main()
