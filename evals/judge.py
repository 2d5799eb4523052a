"""Optional LLM-judge faithfulness: a model extracts an answer's claims, then checks them against the cited passages.

This is a model's opinion, not a measurement: it is reported under its own label, beside (never inside) the
metrics computed from gold quotes, and only when a judge endpoint is configured (settings.judge, else the answer
model's). Items the judge could not judge (endpoint error, timeout, unparsable verdicts) are counted and listed as
such, never scored; a run in which it judged nothing fails (JudgeFailedError) instead of printing an empty score.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field

from assistant import prompts
from assistant.llm import Budget, StageLimits, build_judge_llm, complete, judge_model_name
from assistant.verify import MARKER
from core.errors import GenerationError, RongzhiError
from core.settings import Settings

logger = logging.getLogger(__name__)

LABEL = "LLM-judge faithfulness (model opinion)"
_VERDICT = re.compile(r"^\s*(\d+)\s*[:：.、]\s*(不支持|支持)")
MAX_CLAIMS = 12
NOT_JUDGED_SHOWN = 3  # reasons quoted in the one-line failure; the rest are in results.jsonl


class JudgeFailedError(RongzhiError):
    """The judge judged none of the items, so the run has no faithfulness score; the message says why."""


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
        self.model = judge_model_name(settings)
        self.llm = build_judge_llm(settings)
        # nobody watches a judge stream: one ceiling per call is the only clock that matters
        seconds = settings.judge.timeout
        self.limits = StageLimits(seconds, seconds, settings.judge.retries)

    def _ask(self, prompt: str) -> str:
        return complete(self.llm, prompt, self.limits, Budget(self.settings.judge.timeout))

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
        """Adds ``llm_judge`` to each answered record (``judged`` false with the reason when the judge could not
        judge it); returns the run-level summary with the counts of judged, not judged and skipped items."""
        scores, not_judged, skipped = [], [], 0
        for record in records:
            judgement = self.judge(record)
            if judgement is None:
                skipped += 1
                continue
            record["llm_judge"] = {**judgement.to_dict(), "judged": judgement.score is not None}
            if judgement.error:
                logger.warning("judge failed on %s: %s", record["id"], judgement.error)
                not_judged.append({"id": record["id"], "reason": judgement.error})
            elif judgement.score is not None:
                scores.append(judgement.score)
            else:  # the judge found no claim to check: nothing was judged, and it is not an error either
                not_judged.append({"id": record["id"], "reason": "no claims found"})
        return {
            "label": LABEL,
            "model": self.model,
            "faithfulness": round(sum(scores) / len(scores), 3) if scores else None,
            "items_judged": len(scores),
            "items_not_judged": len(not_judged),
            "items_skipped": skipped,  # refusals and uncited answers: nothing to judge against
            "not_judged": not_judged,
            "errors": sum(1 for n in not_judged if n["reason"] != "no claims found"),
        }


def require_judged(summary: dict) -> None:
    """JudgeFailedError (one line) when the judge judged no item: an empty score must not pass for a result."""
    if summary["items_judged"]:
        return
    answered = summary["items_judged"] + summary["items_not_judged"]
    if not answered:
        raise JudgeFailedError(
            f"LLM judge `{summary['model']}` had nothing to judge: all {summary['items_skipped']} items were "
            "refused or uncited"
        )
    reasons = "; ".join(f"{n['id']}: {n['reason']}" for n in summary["not_judged"][:NOT_JUDGED_SHOWN])
    raise JudgeFailedError(
        f"LLM judge `{summary['model']}` judged none of {answered} answered items ({reasons}); check "
        "RONGZHI_JUDGE__BASE_URL, RONGZHI_JUDGE__NAME and RONGZHI_JUDGE__TIMEOUT"
    )
