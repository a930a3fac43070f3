"""The "Are you sure?" nudge: does a reply look hostile before it is posted?

The classifier is alt-profanity-check's linear SVM over TF-IDF features (its model files
ship inside the package, so nothing is downloaded at run time). It scores offensive
language, which is close to, but not the same as, hostility toward a person: friendly
swearing trips it and cold contempt without rude words slips past. Measured on
``data/replies.tsv`` (``python -m bench.hostility``; docs/algorithms/hostility.md).
The nudge only asks: the member can always post anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

NUDGE_THRESHOLD = 0.5
# The model learned "mum" and "mom" from "your mother" insults, so on its own it flags
# "love you mum" (0.61). Porch is for families: these words are read as "family", which
# keeps "your mum is ugly" (0.81) and drops the false alarms (measured in the docs).
FAMILY_WORDS = re.compile(r"\b(mum|mom|mummy|mommy|mama|mam|mother|ma)\b", re.IGNORECASE)
LABELLED = Path(__file__).parent / "data" / "replies.tsv"


@dataclass(frozen=True)
class _Model:
    """The package's fitted model as arrays: its TF-IDF vectorizer, and for each of its
    calibrated linear SVMs the weights, intercept and sigmoid (a, b). ``predict_prob``
    averages ``1 / (1 + exp(a * (x·w + c) + b))`` over them through scikit-learn's
    general-purpose checks, 9 ms a reply; the same arithmetic here takes 1.4 ms and
    gives the same numbers (tests/domain/test_hostility_nudge.py compares them)."""

    vectorizer: object
    weights: np.ndarray  # one column per classifier, one row per feature
    intercepts: np.ndarray
    a: np.ndarray
    b: np.ndarray

    def probabilities(self, texts: list[str]) -> np.ndarray:
        scores = self.vectorizer.transform(texts) @ self.weights + self.intercepts
        return (1.0 / (1.0 + np.exp(self.a * scores + self.b))).mean(axis=1)


@cache
def _model() -> _Model:
    # Loads the model once, on first use.
    from profanity_check import profanity_check as package

    calibrated = package.model.calibrated_classifiers_
    if package.model.method != "sigmoid" or any(len(c.calibrators) != 1 for c in calibrated):
        raise RuntimeError("alt-profanity-check's model is not the one Porch was written for")
    return _Model(
        vectorizer=package.vectorizer,
        weights=np.vstack([c.estimator.coef_[0] for c in calibrated]).T,
        intercepts=np.array([c.estimator.intercept_[0] for c in calibrated]),
        a=np.array([c.calibrators[0].a_ for c in calibrated]),
        b=np.array([c.calibrators[0].b_ for c in calibrated]),
    )


def hostility(texts: list[str]) -> list[float]:
    """For each text, the classifier's probability that it is offensive."""
    if not texts:
        return []
    neutral = [FAMILY_WORDS.sub("family", t) for t in texts]
    return [float(p) for p in _model().probabilities(neutral)]


def looks_hostile(text: str) -> bool:
    return bool(text.strip()) and hostility([text])[0] >= NUDGE_THRESHOLD


def labelled(path: Path = LABELLED) -> list[tuple[int, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, text = line.split("\t", 1)
        rows.append((int(label), text))
    return rows


def evaluate(rows: list[tuple[int, str]], threshold: float = NUDGE_THRESHOLD) -> dict:
    """Precision, recall and F1 of "looks hostile" against hand labels."""
    scores = hostility([text for _, text in rows])
    tp = sum(1 for (label, _), s in zip(rows, scores, strict=True) if label and s >= threshold)
    fp = sum(1 for (label, _), s in zip(rows, scores, strict=True) if not label and s >= threshold)
    fn = sum(1 for (label, _), s in zip(rows, scores, strict=True) if label and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": threshold,
        "examples": len(rows),
        "hostile": sum(label for label, _ in rows),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }
