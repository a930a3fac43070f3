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
from functools import cache
from pathlib import Path

NUDGE_THRESHOLD = 0.5
# The model learned "mum" and "mom" from "your mother" insults, so on its own it flags
# "love you mum" (0.61). Porch is for families: these words are read as "family", which
# keeps "your mum is ugly" (0.81) and drops the false alarms (measured in the docs).
FAMILY_WORDS = re.compile(r"\b(mum|mom|mummy|mommy|mama|mam|mother|ma)\b", re.IGNORECASE)
LABELLED = Path(__file__).parent / "data" / "replies.tsv"


@cache
def _model():
    from profanity_check import predict_prob  # loads the model once, on first use

    return predict_prob


def hostility(texts: list[str]) -> list[float]:
    """For each text, the classifier's probability that it is offensive."""
    if not texts:
        return []
    return [float(p) for p in _model()([FAMILY_WORDS.sub("family", t) for t in texts])]


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
