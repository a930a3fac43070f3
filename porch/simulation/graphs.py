"""The social graphs the simulation runs on.

- ``reed98``: a real Facebook friendship network (Reed College, 2005; 962 people,
  18,812 friendships) from the Facebook100 data set (Traud, Mucha & Porter 2012), as
  published by the Network Repository (Rossi & Ahmed 2015). Shipped with Porch.
- ``clustered``: a generated network with power-law degrees and triangles
  (Holme & Kim 2002), the shape real friendship networks have.
- ``small-world``: a generated ring lattice with shortcuts (Watts & Strogatz 1998).
- any edge-list file: one ``a b`` pair of member ids per line; ``#`` and ``%`` start
  comment lines; more columns after the pair (weights) are ignored.

On top of the friendships, a chosen share of members are **broadcasters**: they post
often, rarely reply, and are followed (one way) by many people who are not their
friends, the way public figures and brands are.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

DATA = Path(__file__).parent / "data"
REAL_GRAPHS = {"reed98": DATA / "socfb-Reed98.edges.gz"}
GENERATED = ("clustered", "small-world")
NAMES = (*REAL_GRAPHS, *GENERATED)
# Friendships each new member makes in the generated graphs (mean degree about twice).
GENERATED_DEGREE = 20
# The smallest generated graph (it must hold more than 2 x GENERATED_DEGREE people).
MIN_GENERATED_MEMBERS = 50


class GraphError(ValueError):
    """A graph that cannot be used, said in one line."""


@dataclass(frozen=True)
class Graph:
    name: str
    members: int
    # Undirected friendships, one row per pair, low id first, no duplicates.
    friendships: np.ndarray

    @property
    def degrees(self) -> np.ndarray:
        return np.bincount(self.friendships.ravel(), minlength=self.members)


def is_file_graph(name: str) -> bool:
    return name not in NAMES


def is_generated(name: str) -> bool:
    return name in GENERATED


def load_graph(name: str, members: int, seed: int) -> Graph:
    """The graph called ``name`` (a generated one with ``members`` members, built from
    ``seed``), or the edge-list file at path ``name``."""
    if name in REAL_GRAPHS:
        with gzip.open(REAL_GRAPHS[name], "rt") as lines:
            return _from_pairs(name, _read_pairs(lines, name))
    if name == "clustered":
        check_members(members)
        built = nx.powerlaw_cluster_graph(members, GENERATED_DEGREE, 0.8, seed=seed)
    elif name == "small-world":
        check_members(members)
        built = nx.connected_watts_strogatz_graph(members, 2 * GENERATED_DEGREE, 0.1, seed=seed)
    else:
        return read_edge_list(Path(name))
    pairs = np.array(built.edges(), dtype=np.int64).reshape(-1, 2)
    return _from_pairs(name, pairs)


def check_members(members: int) -> None:
    if members < MIN_GENERATED_MEMBERS:
        raise GraphError(
            f"--members must be at least {MIN_GENERATED_MEMBERS} for a generated graph"
        )


def read_edge_list(path: Path) -> Graph:
    try:
        with path.open(encoding="utf-8") as lines:
            pairs = _read_pairs(lines, str(path))
    except FileNotFoundError:
        raise GraphError(
            f"no graph {str(path)!r}: give {', '.join(NAMES)} or an edge-list file"
        ) from None
    except IsADirectoryError:
        raise GraphError(f"{path} is a directory, not an edge-list file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GraphError(f"cannot read {path}: {error}") from None
    return _from_pairs(path.name, pairs)


def _read_pairs(lines, source: str) -> np.ndarray:
    """Pairs of dense ids 0..n-1 from ``a b`` lines (ids may be any tokens)."""
    ids: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    for number, line in enumerate(lines, start=1):
        fields = line.split()
        if not fields or fields[0][0] in "#%":
            continue
        if len(fields) < 2:
            raise GraphError(
                f"{source}, line {number}: expected two member ids, got {line.strip()!r}"
            )
        a = ids.setdefault(fields[0], len(ids))
        b = ids.setdefault(fields[1], len(ids))
        pairs.append((a, b))
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def _from_pairs(name: str, pairs: np.ndarray) -> Graph:
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    if not len(pairs):
        raise GraphError(f"{name}: the graph has no friendships")
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)
    # Members are the ids that appear; keep them dense.
    present, dense = np.unique(pairs, return_inverse=True)
    if len(present) < 3:
        raise GraphError(f"{name}: a graph needs at least 3 members")
    return Graph(name=name, members=len(present), friendships=dense.reshape(-1, 2))


@dataclass(frozen=True)
class Population:
    """Who is who: the graph, who broadcasts, and who follows them."""

    graph: Graph
    broadcaster: np.ndarray  # bool per member
    # One-way follows, (follower, broadcaster) rows, between people who are not friends.
    follows: np.ndarray

    @property
    def members(self) -> int:
        return self.graph.members


def populate(
    graph: Graph, broadcaster_share: float, follows_per_member: float, rng: np.random.Generator
) -> Population:
    """Pick broadcasters (well-connected members are likelier to be one) and give them
    followers: each member follows about ``follows_per_member`` broadcasters, the
    popular ones far more often (Zipf-like), never one they are already friends with."""
    n = graph.members
    count = round(broadcaster_share * n)
    broadcaster = np.zeros(n, dtype=bool)
    if count == 0:
        return Population(graph, broadcaster, np.empty((0, 2), dtype=np.int64))
    degrees = graph.degrees.astype(float)
    chosen = rng.choice(n, size=count, replace=False, p=degrees / degrees.sum())
    broadcaster[chosen] = True
    popularity = 1.0 / np.arange(1, count + 1)
    popularity /= popularity.sum()
    per_member = rng.poisson(follows_per_member, size=n)
    followers = np.repeat(np.arange(n), per_member)
    followed = chosen[rng.choice(count, size=len(followers), p=popularity)]
    pairs = np.unique(np.stack([followers, followed], axis=1), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    friends = set((graph.friendships[:, 0] * n + graph.friendships[:, 1]).tolist())
    low, high = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    keep = np.fromiter(((k not in friends) for k in (low * n + high).tolist()), bool, len(pairs))
    return Population(graph, broadcaster, pairs[keep])
