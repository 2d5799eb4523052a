"""Optional LLM-judge faithfulness: a model extracts an answer's claims, then checks them against the cited passages.

This is a model's opinion, not a measurement: it is reported under its own label, beside (never inside) the
metrics computed from gold quotes, and only when a model endpoint is configured.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field

from assistant import prompts
from assistant.llm import build_llm, complete
from assistant.verify import MARKER
from core.errors import GenerationError
from core.settings import Settings

logger = logging.getLogger(__name__)

LABEL = "LLM-judge faithfulness (model opinion)"
_VERDICT = re.compile(r"^\s*(\d+)\s*[:：.、]\s*(不支持|支持)")
MAX_CLAIMS = 12


@dataclass
class Judgement:
    claims: list[str] = field(default_factory=list)
    supported: list[bool] = field(default_factory=list)
    error: str | None = None

    @property
    def score(self) -> float | None:
        return sum(self.supported) / len(self.supported) if self.supported else None

    def to_dict(self) -> dict:
        return {**asdict(self), "score": self.score}


def parse_claims(text: str) -> list[str]:
    lines = [MARKER.sub("", line).strip(" -•\t") for line in text.splitlines()]
    return [line for line in lines if line and line != prompts.JUDGE_NO_CLAIMS][:MAX_CLAIMS]


def parse_verdicts(text: str, count: int) -> list[bool] | None:
    """One verdict per claim, in order; None when the model did not give one for every claim."""
    verdicts: dict[int, bool] = {}
    for line in text.splitlines():
        match = _VERDICT.match(line)
        if match:
            verdicts.setdefault(int(match.group(1)), match.group(2) == prompts.JUDGE_SUPPORTED)
    if set(verdicts) != set(range(1, count + 1)):
        return None
    return [verdicts[i] for i in range(1, count + 1)]


class LLMJudge:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.model = settings.model.name
        self.llm = build_llm(settings, "openai")

    def _ask(self, prompt: str) -> str:
        return complete(self.llm, prompt, self.settings.model.timeout)

    def judge(self, record: dict) -> Judgement | None:
        """None for refusals and uncited answers (nothing to judge against)."""
        if record.get("refused") or not record.get("citations"):
            return None
        try:
            claims = parse_claims(self._ask(prompts.JUDGE_CLAIMS_PROMPT.format(answer=record["answer"])))
            if not claims:
                return Judgement()
            cited = {c["n"]: c["passage"] for c in record["citations"]}
            passages = "\n".join(f"[{n}] {text}" for n, text in sorted(cited.items()))
            numbered = "\n".join(f"{i}. {claim}" for i, claim in enumerate(claims, start=1))
            reply = self._ask(prompts.JUDGE_VERIFY_PROMPT.format(passages=passages, claims=numbered))
        except GenerationError as exc:
            return Judgement(error=str(exc))
        verdicts = parse_verdicts(reply, len(claims))
        if verdicts is None:
            return Judgement(claims=claims, error="unparsable verdicts: " + reply[:200])
        return Judgement(claims=claims, supported=verdicts)

    def judge_all(self, records: list[dict]) -> dict:
        """Adds ``llm_judge`` to each judged record; returns the run-level summary."""
        scores, errors = [], 0
        for record in records:
            judgement = self.judge(record)
            if judgement is None:
                continue
            record["llm_judge"] = judgement.to_dict()
            if judgement.error:
                errors += 1
                logger.warning("judge failed on %s: %s", record["id"], judgement.error)
            elif judgement.score is not None:
                scores.append(judgement.score)
        return {
            "label": LABEL,
            "model": self.model,
            "faithfulness": round(sum(scores) / len(scores), 3) if scores else None,
            "items_judged": len(scores),
            "errors": errors,
        }
