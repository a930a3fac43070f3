"""The simulation's results as a chart (PNG) and as a table of text rows."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

LABELS = {
    "silence_rate": "Silence rate\n(ordinary posts unanswered after 24 h)",
    "friend_share": "Impressions from mutual friends",
    "attention_gini": "Attention Gini over authors",
    "broadcaster_share": "Broadcasters' share of impressions",
    "reciprocity": "Replies answered back",
    "impressions_per_member_day": "Impressions per member per day",
}
COLOURS = {"chronological": "#8a8f98", "conversation": "#2f7d5b", "engagement": "#c0563b"}


def write(results: dict, folder: Path) -> None:
    """``folder/results.json`` and ``folder/results.png`` (the folder is made)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    chart(results, folder / "results.png")


def chart(results: dict, path: Path) -> None:
    rankers = list(results["rankers"])
    figure, axes = plt.subplots(2, 3, figsize=(12, 6.5), layout="constrained")
    for axis, (metric, label) in zip(axes.flat, LABELS.items(), strict=True):
        means = [results["rankers"][r][metric]["mean"] for r in rankers]
        spread = [results["rankers"][r][metric]["std"] for r in rankers]
        axis.bar(
            rankers,
            means,
            yerr=spread,
            capsize=4,
            color=[COLOURS.get(r, "#555") for r in rankers],
        )
        axis.set_title(label, fontsize=10)
        axis.tick_params(axis="x", labelsize=9)
        axis.spines[["top", "right"]].set_visible(False)
        if metric != "impressions_per_member_day":
            axis.set_ylim(0, 1)
    figure.suptitle(
        f"{results['graph']}: {results['members']:,} members, mean ± sd over "
        f"{results['seeds']} seed{'s' if results['seeds'] != 1 else ''}",
        fontsize=12,
    )
    figure.savefig(path, dpi=110)
    plt.close(figure)


def rows(results: dict) -> tuple[list[str], list[list[str]]]:
    """A header and one row per metric, a column per ranker: "mean ± sd"."""
    rankers = list(results["rankers"])
    header = ["metric", *rankers]
    body = []
    for metric in next(iter(results["rankers"].values())):
        cells = [metric]
        for r in rankers:
            value = results["rankers"][r][metric]
            cells.append(f"{value['mean']:.3f} ± {value['std']:.3f}")
        body.append(cells)
    return header, body
