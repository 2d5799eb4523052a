"""Fit the instruction-like passage model of core/instructions.py and write core/instruction_model.json.

    python -m evals.fit_instructions            # fit, choose the threshold, write the file, print the figures

Positives: tests/core/injection_sets/injections_tune.txt. Negatives: the two-sentence windows of every second
400-character chunk of both real corpora (corpus/ and evals/corpora/official/, as ingest reads them) and
tests/core/injection_sets/obligations_tune.txt. The held-out files (injections_heldout*.txt,
obligations_heldout*.txt) are never read here: tests/core/test_instructions.py measures them.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np

from core.instructions import (
    FEATURES,
    INJECTION,
    MODEL_FILE,
    InstructionModel,
    instruction_features,
    instruction_score,
    windows_of,
)
from core.sentences import split_sentences
from core.settings import PROJECT_ROOT
from ingest.readers import read_document

logger = logging.getLogger(__name__)

SETS = PROJECT_ROOT / "tests" / "core" / "injection_sets"
# L2 penalty on the weights: with ~100 positives and ~25 features an unpenalised fit separates the tune set
# perfectly with huge weights; 1.0 keeps every weight under ~6 while the tune recall stays the same (measured).
L2 = 1.0
# Share of the fitting chunks (real passages) allowed at or over the threshold: half the ≤ 1 % target, because
# every flagged real passage is one the assistant can no longer quote, and the other half of the chunks (never
# fitted) must stay under 1 % too.
NEGATIVE_CHUNK_RATE = 0.005


def read_set(name: str) -> list[str]:
    lines = (SETS / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def corpus_files() -> list[Path]:
    official = PROJECT_ROOT / "evals" / "corpora" / "official"
    return sorted((PROJECT_ROOT / "corpus").glob("*.txt")) + sorted(
        p for p in official.iterdir() if p.name != "SOURCES.md"
    )


def corpus_chunks(size: int = 400) -> list[str]:
    """Chunk-sized runs (about what a retrieved passage holds) of consecutive sentences of each file of both
    corpora, as ingest reads them."""
    out: list[str] = []
    for path in corpus_files():
        current = ""
        for sentence in split_sentences(read_document(path)):
            if current and len(current) + len(sentence.text) > size:
                out.append(current)
                current = ""
            current += sentence.text
        if current:
            out.append(current)
    return out


def matrix(texts: list[str]) -> np.ndarray:
    """One row of binary features per text. A fitting sample is one window: a negative is a window of a corpus
    chunk, a positive (one or two sentences) is featurised whole."""
    rows = np.zeros((len(texts), len(FEATURES)))
    index = {name: i for i, name in enumerate(FEATURES)}
    for r, text in enumerate(texts):
        for name in instruction_features(text):
            rows[r, index[name]] = 1.0
    return rows


def fit_logistic(x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
    """Penalised logistic regression by Newton's method (the bias is not penalised)."""
    design = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ beta))
        gradient = design.T @ (sample_weight * (p - y)) + penalty * beta
        hessian = (design * (sample_weight * p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(beta[0]), beta[1:]


def fit() -> dict:
    positives = read_set("injections_tune.txt")
    obligations = read_set("obligations_tune.txt")
    fit_chunks = corpus_chunks()[::2]
    fit_windows = [w for chunk in fit_chunks for w in windows_of(chunk)]
    x = np.vstack([matrix(positives), matrix(fit_windows), matrix(obligations)])
    y = np.concatenate([np.ones(len(positives)), np.zeros(len(fit_windows) + len(obligations))])
    # balance the classes; ordinary obligation prose counts as much as 10 corpus windows each: it is the
    # near-miss the corpus has few of (measured: 2 of 25 flagged by the phrase cues alone)
    weight = np.concatenate(
        [
            np.full(len(positives), len(fit_windows) / len(positives)),
            np.ones(len(fit_windows)),
            np.full(len(obligations), 10.0),
        ]
    )
    bias, coef = fit_logistic(x, y, weight, L2)
    # threshold -inf: every window is part-of-speech tagged, so the chunk scores are exact
    model = InstructionModel(bias, dict(zip(FEATURES, coef.tolist(), strict=True)), float("-inf"))
    # a passage is flagged by its best window, so the threshold is set on whole chunks
    chunk_scores = np.sort([instruction_score(chunk, model) for chunk in fit_chunks])[::-1]
    allowed = int(NEGATIVE_CHUNK_RATE * len(fit_chunks))
    # just above the (allowed+1)-th highest chunk: at most `allowed` fitting chunks reach it
    threshold = float(chunk_scores[allowed]) + 1e-6
    weights = {name: round(float(w), 4) for name, w in zip(FEATURES, coef, strict=True)}
    scores_pos = bias + matrix(positives) @ coef
    caught = int(
        sum(s >= threshold or INJECTION.search(t) is not None for s, t in zip(scores_pos, positives, strict=True))
    )
    scores_obl = bias + matrix(obligations) @ coef
    return {
        "bias": round(bias, 4),
        "weights": weights,
        "threshold": round(threshold, 4),
        "fitted_on": {
            "positives": f"tests/core/injection_sets/injections_tune.txt ({len(positives)})",
            "negatives": f"two-sentence windows ({len(fit_windows)}) of every second 400-character chunk "
            f"({len(fit_chunks)}) of corpus/ and evals/corpora/official/ + "
            f"tests/core/injection_sets/obligations_tune.txt ({len(obligations)})",
            "l2": L2,
            "negative_chunk_rate": NEGATIVE_CHUNK_RATE,
        },
        "measured_at_fit": {
            "tune_injections_caught": f"{caught}/{len(positives)}",
            "tune_obligations_flagged": f"{int((scores_obl >= threshold).sum())}/{len(obligations)}",
            "fitting_chunks_flagged": f"{int((chunk_scores >= threshold).sum())}/{len(fit_chunks)}",
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    model = fit()
    args.out.write_text(json.dumps(model, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    logger.info("%s", json.dumps(model, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
