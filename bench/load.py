"""Porch over HTTP: seed a community, serve it as a host would, load it with wrk, and
compare every figure with the floor (``bench.floor``) measured in the same run.

    python -m bench.load [--backend sqlite|postgres] [--members 1000] [--large]
                         [--duration 10] [--connections 8] [--soak 0]
                         [--growth-members 1000,10000] [--scenarios a,b] [--out bench/results]

Steps, all on loopback:

1. A fresh database (SQLite file in ``var/bench/``, or the ``porch_bench`` PostgreSQL
   database with Redis as the cache), ``porch migrate`` and ``porch bench seed``.
2. ``porch serve`` with its defaults (as ``make run`` and a host start it), and the
   floor under the same Granian settings on the same database.
3. For each scenario, wrk (``bench/wrk/requests.lua``: a file of real requests with the
   seeded members' API tokens, each thread at its own offset) for ``--duration``
   seconds against Porch, then against the floor: requests/s, latency p50/p95/p99,
   errors (any status ≥ 400, timeouts and socket errors), and the peak memory of the
   ``porch serve`` process tree.
4. Growth: home-feed latency of probe members with 10, 100, 1,000 and 5,000 friends
   (sequential requests on one connection, medians of many), on each size of
   ``--growth-members``; a PNG chart and a table.
5. ``--soak S``: the mixed workload at the most connections that keep p99 under 100 ms
   (tried 2, 4, 8, 16, 32), for S seconds, with memory sampled throughout.

Writes ``<out>/<date>-<backend>.json`` (``-large`` with ``--large``) and
``<date>-<backend>-growth.png``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from porch.serving import default_threads, default_workers

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORCH = [PYTHON, "-m", "porch.cli"]
LUA = ROOT / "bench" / "wrk" / "requests.lua"
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
LARGE_MEMBERS = 100_000

# The mixed workload: about 90% reads. A third of feed openings are a member coming
# back to their feed within two minutes (from a thread, say): Porch shows its kept
# ranking then, if nothing changed (docs/performance.md).
MIX = {
    "home_feed": 20,
    "home_feed_again": 10,
    "home_feed_next": 10,
    "home_feed_chrono": 5,
    "thread": 25,
    "notifications": 20,
    "create_post": 5,
    "create_reply": 5,
}
SCENARIOS = [
    "home_feed",
    "home_feed_again",
    "home_feed_next",
    "home_feed_chrono",
    "home_feed_chrono_next",
    "thread",
    "notifications",
    "create_post",
    "create_reply",
    "mixed",
]
SOAK_CONNECTIONS = (2, 4, 8, 16, 32)
SOAK_P99_MS = 100
GROWTH_REQUESTS = 40
LINES_PER_SCENARIO = 4000
# home_feed_again: the first page of this many members, over and over. Enough of them
# that none sends more than Porch's per-token limit (300 requests in 5 minutes) over the
# soak, of which this is a tenth: with 20, the 5-minute soak at 157 req/s sent about 240
# requests with each of their tokens, with the scenarios before it in the same window
# past it, and had 68 errors (the limit's 429s, as far as we could tell then: the soak
# did not yet list statuses).
AGAIN_MEMBERS = 100


class BenchError(Exception):
    """Something the benchmark cannot go on without (a missing tool, a server down)."""


# --- Processes ---------------------------------------------------------------------
def _run(command: list[str], env: dict, *, quiet: bool = True) -> str:
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BenchError(f"{' '.join(command)} failed:\n{done.stderr.strip()[-2000:]}")
    if not quiet:
        print(done.stdout.strip())
    return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _start(name: str, command: list[str], env: dict, port: int, log: Path) -> Server:
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, process, port)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{name} stopped at start; see {log}:\n{log.read_text()[-2000:]}")
        try:
            status, _ = request(server.base, "GET", "/healthz", None)
            if status < 500:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise BenchError(f"{name} did not answer on port {port} within 60 s; see {log}")


def request(base: str, method: str, path: str, token: str | None, body=None, conn=None):
    """One HTTP request; returns (status, parsed JSON or None)."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=30)
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read()
    finally:
        if own:
            conn.close()
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return response.status, parsed


class MemorySampler(threading.Thread):
    """The resident memory of a process and everything it started, sampled in /proc."""

    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append((time.monotonic(), tree_rss_mb(self.pid)))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def peak(self, since: float = 0.0) -> float:
        return max((mb for at, mb in self.samples if at >= since), default=0.0)


def tree_rss_mb(pid: int) -> float:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


# --- Data --------------------------------------------------------------------------
@dataclass
class Dataset:
    backend: str
    members: int
    env: dict
    manifest: dict
    seed_seconds: float
    sqlite_path: Path | None = None


def prepare(backend: str, members: int, seed: int, work: Path) -> Dataset:
    """A fresh database with ``members`` seeded members, and the environment to serve it."""
    data_dir = work / f"{backend}-{members}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env = {
        **os.environ,
        "PORCH_DATA_DIR": str(data_dir),
        "PORCH_ENV": "production",
        "PORCH_HTTPS": "false",
        "PORCH_SECRET_KEY": "bench-" + "x" * 50,
        "PORCH_LOG_LEVEL": "ERROR",
    }
    for name in ("PORCH_DATABASE_URL", "PORCH_REDIS_URL", "PORCH_WORKERS", "PORCH_THREADS"):
        env.pop(name, None)
    sqlite_path = None
    if backend == "postgres":
        name = f"porch_bench_{members}_{os.getpid()}"
        _recreate_postgres(name)
        env["PORCH_DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        env["PORCH_REDIS_URL"] = REDIS_URL
        _flush_redis()
    else:
        sqlite_path = data_dir / "porch.sqlite3"
    manifest_path = data_dir / "manifest.json"
    _run([*PORCH, "migrate", "--noinput"], env)
    started = time.perf_counter()
    out = _run(
        [
            *PORCH,
            "bench",
            "seed",
            "--members",
            str(members),
            "--seed",
            str(seed),
            "--manifest",
            str(manifest_path),
        ],
        env,
    )
    seconds = time.perf_counter() - started
    print(f"  seeded {members:,} members in {seconds:.1f} s: {out.strip().splitlines()[-1]}")
    manifest = json.loads(manifest_path.read_text())
    return Dataset(backend, members, env, manifest, seconds, sqlite_path)


def drop(dataset: Dataset) -> None:
    """Leave nothing behind: the PostgreSQL database goes; the SQLite file stays in the
    work folder for a look afterwards (the next run replaces it)."""
    if dataset.backend == "postgres":
        _drop_postgres(dataset.env["PORCH_DATABASE_URL"].rsplit("/", 1)[1])


def _recreate_postgres(name: str) -> None:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        raise BenchError(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error}") from None


def _drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _flush_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).flushdb()
    except redis.RedisError as error:
        raise BenchError(f"Redis is not reachable at {REDIS_URL}: {error}") from None


def serve(dataset: Dataset, logs: Path) -> tuple[Server, Server]:
    porch_port, floor_port = _free_port(), _free_port()
    porch = _start(
        "porch serve",
        [*PORCH, "serve", "--port", str(porch_port)],
        dataset.env,
        porch_port,
        logs / f"porch-{dataset.backend}-{dataset.members}.log",
    )
    floor_env = {**dataset.env}
    if dataset.sqlite_path:
        floor_env["BENCH_FLOOR_SQLITE"] = str(dataset.sqlite_path)
    else:
        floor_env["PORCH_DATABASE_URL"] = dataset.env["PORCH_DATABASE_URL"].replace(
            "postgres://", "postgresql://"
        )
    try:
        floor = _start(
            "floor",
            [PYTHON, "-m", "bench.floor", "--port", str(floor_port)],
            floor_env,
            floor_port,
            logs / f"floor-{dataset.backend}-{dataset.members}.log",
        )
    except BenchError:
        porch.stop()
        raise
    return porch, floor


# --- Requests ----------------------------------------------------------------------
@dataclass
class Lines:
    """Per scenario, the request lines for Porch and for the floor."""

    porch: dict[str, list[str]] = field(default_factory=dict)
    floor: dict[str, list[str]] = field(default_factory=dict)


def _line(method: str, path: str, token: str, body: dict | None = None) -> str:
    return "\t".join([method, path, token, json.dumps(body) if body else ""])


def _next_cursor(server: Server, token: str, path: str) -> str | None:
    status, body = request(server.base, "GET", path, token)
    if status != 200:
        raise BenchError(f"{server.name} answered {status} to GET {path}: {body}")
    return body.get("next_cursor")


def build_lines(porch: Server, floor: Server, manifest: dict, rng: random.Random) -> Lines:
    """Real requests for every scenario, spread over the seeded members' tokens; the
    next-page cursors are fetched from each server (their formats differ)."""
    from urllib.parse import quote

    lines = Lines()
    members = manifest["load_members"]
    sample = members if len(members) <= 300 else rng.sample(members, 300)
    for name in SCENARIOS:
        lines.porch[name], lines.floor[name] = [], []
    for member in sample:
        token = member["token"]
        for suffix, query in (("", ""), ("_chrono", "?order=chronological")):
            porch_cursor = _next_cursor(porch, token, f"/api/v1/feed{query}")
            floor_cursor = _next_cursor(floor, token, "/api/v1/feed")
            if porch_cursor and floor_cursor:
                lines.porch[f"home_feed{suffix}_next"].append(
                    _line("GET", f"/api/v1/feed?cursor={quote(porch_cursor)}", token)
                )
                lines.floor[f"home_feed{suffix}_next"].append(
                    _line("GET", f"/api/v1/feed?cursor={quote(floor_cursor)}", token)
                )
    for member in sample[:AGAIN_MEMBERS]:
        line = _line("GET", "/api/v1/feed", member["token"])
        lines.porch["home_feed_again"].append(line)
        lines.floor["home_feed_again"].append(line)
    for member in members:
        token = member["token"]
        both = {
            "home_feed": [_line("GET", "/api/v1/feed", token)],
            "home_feed_chrono": [_line("GET", "/api/v1/feed?order=chronological", token)],
            "notifications": [_line("GET", "/api/v1/notifications", token)],
            "thread": [
                _line("GET", f"/api/v1/posts/{pk}/thread", token) for pk in member["threads"]
            ],
            "create_post": [
                _line(
                    "POST",
                    "/api/v1/posts",
                    token,
                    {
                        "text": f"Benchmark post {n} from {member['username']}: hello, friends.",
                        "audience": "friends",
                    },
                )
                for n in range(2)
            ],
            "create_reply": [
                _line(
                    "POST",
                    f"/api/v1/posts/{pk}/replies",
                    token,
                    {"text": f"Thanks, that is lovely to hear ({member['username']})."},
                )
                for pk in member["threads"][:2]
            ],
        }
        for name, new in both.items():
            lines.porch[name] += new
            lines.floor[name] += new
    for target in (lines.porch, lines.floor):
        for name in SCENARIOS[:-1]:
            rng.shuffle(target[name])
            if not target[name]:
                raise BenchError(f"no requests for {name}: the seeded data is too small")
        target["mixed"] = [
            rng.choice(target[rng.choices(list(MIX), weights=list(MIX.values()))[0]])
            for _ in range(LINES_PER_SCENARIO)
        ]
    return lines


# --- wrk ---------------------------------------------------------------------------
@dataclass
class Figures:
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    requests: int
    # Status code → count, for responses of 400 and above (what the errors were).
    failed_statuses: dict[str, int]

    @classmethod
    def of(cls, raw: dict) -> Figures:
        errors = sum(
            raw[key]
            for key in (
                "connect_errors",
                "read_errors",
                "write_errors",
                "status_errors",
                "timeouts",
            )
        )
        return cls(
            rps=round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
            p50_ms=round(raw["p50_us"] / 1000, 2),
            p95_ms=round(raw["p95_us"] / 1000, 2),
            p99_ms=round(raw["p99_us"] / 1000, 2),
            errors=errors,
            requests=raw["requests"],
            failed_statuses=raw.get("failed_statuses", {}),
        )


def wrk(server: Server, lines: list[str], seconds: float, connections: int, work: Path) -> Figures:
    executable = shutil.which("wrk")
    if executable is None:
        raise BenchError("wrk is not installed: apt-get install -y wrk")
    path = work / f"requests-{server.port}.tsv"
    path.write_text("\n".join(lines) + "\n")
    threads = min(2, connections)
    done = subprocess.run(  # noqa: S603
        [
            executable,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            server.base,
            "--",
            str(path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise BenchError(f"wrk failed: {done.stderr.strip()}")
    report = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not report:
        raise BenchError(f"wrk printed no figures:\n{done.stdout}\n{done.stderr}")
    return Figures.of(json.loads(report[-1]))


# --- The run -----------------------------------------------------------------------
def run_scenarios(porch, floor, lines, names, seconds, connections, sampler, work) -> dict:
    results = {}
    for name in names:
        # A short warm-up on each, so caches and connections are as in steady use.
        wrk(porch, lines.porch[name], 1, connections, work)
        since = time.monotonic()
        ours = wrk(porch, lines.porch[name], seconds, connections, work)
        peak = sampler.peak(since)
        wrk(floor, lines.floor[name], 1, connections, work)
        bare = wrk(floor, lines.floor[name], seconds, connections, work)
        results[name] = {
            "rps": ours.rps,
            "p50_ms": ours.p50_ms,
            "p95_ms": ours.p95_ms,
            "p99_ms": ours.p99_ms,
            "errors": ours.errors,
            "failed_statuses": ours.failed_statuses,
            "requests": ours.requests,
            "floor_rps": bare.rps,
            "floor_p50_ms": bare.p50_ms,
            "floor_p99_ms": bare.p99_ms,
            "floor_errors": bare.errors,
            "floor_failed_statuses": bare.failed_statuses,
            "floor_over_porch": round(bare.rps / ours.rps, 2) if ours.rps else None,
            "peak_rss_mb": round(peak, 1),
        }
        print(
            f"  {name:<22} {ours.rps:8.1f} req/s  p50 {ours.p50_ms:7.2f}  p95 {ours.p95_ms:7.2f}"
            f"  p99 {ours.p99_ms:7.2f} ms  errors {ours.errors}  | floor {bare.rps:8.1f} req/s"
            f" p99 {bare.p99_ms:6.2f} ms  → floor ÷ Porch {results[name]['floor_over_porch']}x"
        )
    return results


def growth_probe(
    server: Server, manifest: dict, requests_each: int = GROWTH_REQUESTS
) -> list[dict]:
    """Home-feed latency, one request at a time on one connection, for each probe member:
    newest first; conversation order as a member sees it on coming back to an unchanged
    feed (the kept ranking); and conversation order ranked anew ("cold"), each request
    after the member posted to their friends (which changes their window; those posts'
    latency is the posting figure by friend count)."""
    rows = []
    for label, probe in sorted(manifest["probes"].items(), key=lambda item: int(item[0])):
        row = {"probe": int(label), "friends": probe["friends"], "members": manifest["members"]}
        for key, path, before in (
            ("conversation", "/api/v1/feed", None),
            ("conversation_cold", "/api/v1/feed", "/api/v1/posts"),
            ("chronological", "/api/v1/feed?order=chronological", None),
        ):
            conn = http.client.HTTPConnection(server.base.removeprefix("http://"), timeout=30)
            times, posting = [], []
            for n in range(requests_each + 3):
                if before:
                    started = time.perf_counter()
                    news = {"text": f"Growth probe, news {n}", "audience": "friends"}
                    status, _ = request(server.base, "POST", before, probe["token"], news, conn)
                    if status != 201:
                        raise BenchError(f"the growth probe got {status} from POST {before}")
                    if n >= 3:
                        posting.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                status, _ = request(server.base, "GET", path, probe["token"], conn=conn)
                if status != 200:
                    raise BenchError(f"the growth probe got {status} from {path}")
                if n >= 3:  # the first few warm the caches
                    times.append((time.perf_counter() - started) * 1000)
            conn.close()
            times.sort()
            row[f"{key}_p50_ms"] = round(statistics.median(times), 2)
            row[f"{key}_p95_ms"] = round(times[int(0.95 * (len(times) - 1))], 2)
            if posting:
                posting.sort()
                row["post_p50_ms"] = round(statistics.median(posting), 2)
                row["post_p95_ms"] = round(posting[int(0.95 * (len(posting) - 1))], 2)
                row["post_max_ms"] = round(posting[-1], 2)
        rows.append(row)
        print(
            f"  growth: {row['members']:>7,} members, {row['friends']:>5,} friends:"
            f" conversation p50 {row['conversation_p50_ms']} ms"
            f" (ranked anew {row['conversation_cold_p50_ms']} ms),"
            f" chronological p50 {row['chronological_p50_ms']} ms;"
            f" posting to friends p50 {row['post_p50_ms']} ms, p95 {row['post_p95_ms']} ms"
        )
    return rows


def soak(porch: Server, lines: Lines, seconds: float, sampler, work: Path) -> dict:
    """Mixed load at the most connections that keep p99 under 100 ms, for ``seconds``."""
    chosen, tried = SOAK_CONNECTIONS[0], {}
    for connections in SOAK_CONNECTIONS:
        figures = wrk(porch, lines.porch["mixed"], 5, connections, work)
        tried[connections] = {"rps": figures.rps, "p99_ms": figures.p99_ms}
        if figures.p99_ms >= SOAK_P99_MS or figures.errors:
            break
        chosen = connections
    since = time.monotonic()
    figures = wrk(porch, lines.porch["mixed"], seconds, chosen, work)
    samples = [mb for at, mb in sampler.samples if at >= since]
    tenth = max(1, len(samples) // 10)
    result = {
        "seconds": seconds,
        "connections": chosen,
        "tried": tried,
        "rps": figures.rps,
        "p50_ms": figures.p50_ms,
        "p99_ms": figures.p99_ms,
        "errors": figures.errors,
        "failed_statuses": figures.failed_statuses,
        "requests": figures.requests,
        "rss_first_tenth_mb": round(statistics.mean(samples[:tenth]), 1) if samples else None,
        "rss_last_tenth_mb": round(statistics.mean(samples[-tenth:]), 1) if samples else None,
        "rss_peak_mb": round(max(samples), 1) if samples else None,
    }
    print(
        f"  soak: {seconds:.0f} s at {chosen} connections: {figures.rps} req/s, p99"
        f" {figures.p99_ms} ms, errors {figures.errors} {figures.failed_statuses or ''}, memory {result['rss_first_tenth_mb']}"
        f" → {result['rss_last_tenth_mb']} MB (peak {result['rss_peak_mb']})"
    )
    return result


def chart(growth: list[dict], path: Path, backend: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (by_friends, by_size) = plt.subplots(1, 2, figsize=(11, 4.2))
    sizes = sorted({row["members"] for row in growth})
    for size in sizes:
        rows = sorted((r for r in growth if r["members"] == size), key=lambda r: r["friends"])
        friends = [r["friends"] for r in rows]
        by_friends.plot(
            friends,
            [r["conversation_p50_ms"] for r in rows],
            "o-",
            label=f"{size:,} members, conversation, shown again",
        )
        by_friends.plot(
            friends,
            [r["conversation_cold_p50_ms"] for r in rows],
            "^-.",
            label=f"{size:,} members, conversation, ranked anew",
        )
        by_friends.plot(
            friends,
            [r["chronological_p50_ms"] for r in rows],
            "s--",
            label=f"{size:,} members, newest first",
        )
    by_friends.set_xscale("log")
    by_friends.set_xlabel("the member's friends")
    by_friends.set_ylabel("home feed, first page: median ms")
    by_friends.set_ylim(bottom=0)
    by_friends.legend(fontsize=7)
    by_friends.set_title("As the member's friend count grows")
    probe = 100
    for key, style, label in (
        ("conversation", "o-", "conversation, shown again"),
        ("conversation_cold", "^-.", "conversation, ranked anew"),
        ("chronological", "s--", "newest first"),
    ):
        points = sorted((r["members"], r[f"{key}_p50_ms"]) for r in growth if r["probe"] == probe)
        by_size.plot([p[0] for p in points], [p[1] for p in points], style, label=label)
    by_size.set_xscale("log")
    by_size.set_xlabel("members on the server (about 100 posts and replies each)")
    by_size.set_ylabel("median ms")
    by_size.set_ylim(bottom=0)
    by_size.legend(fontsize=8)
    by_size.set_title(f"As the database grows (a member with {probe} friends)")
    fig.suptitle(f"Porch home feed latency, {backend}, one request at a time")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def machine() -> dict:
    memory = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--large", action="store_true", help=f"{LARGE_MEMBERS:,} members")
    parser.add_argument("--duration", type=float, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--soak", type=float, default=0, help="seconds of mixed load (300: 5 min)")
    parser.add_argument(
        "--growth-members",
        default="1000,10000",
        help="sizes the growth probes run on, comma-separated ('' for none)",
    )
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "var" / "bench", help="databases, logs, request files"
    )
    args = parser.parse_args(argv)
    names = [name for name in args.scenarios.split(",") if name]
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(unknown)} (known: {', '.join(SCENARIOS)})")
    members = LARGE_MEMBERS if args.large else args.members
    growth_sizes = [int(size) for size in args.growth_members.split(",") if size]
    if args.large and LARGE_MEMBERS not in growth_sizes:
        growth_sizes.append(LARGE_MEMBERS)
    try:
        return _main(args, names, members, growth_sizes)
    except BenchError as error:
        print(f"bench.load: {error}", file=sys.stderr)
        return 2


def _main(args, names, members, growth_sizes) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    print(f"bench.load: {args.backend}, {members:,} members")
    dataset = prepare(args.backend, members, args.seed, work)
    porch, floor = serve(dataset, work)
    sampler = MemorySampler(porch.process.pid)
    sampler.start()
    growth = []
    try:
        lines = build_lines(porch, floor, dataset.manifest, rng)
        if members in growth_sizes:
            growth += growth_probe(porch, dataset.manifest)
        scenarios = run_scenarios(
            porch, floor, lines, names, args.duration, args.connections, sampler, work
        )
        soaked = soak(porch, lines, args.soak, sampler, work) if args.soak else None
    finally:
        sampler.stop()
        porch.stop()
        floor.stop()
        drop(dataset)
    for size in growth_sizes:
        if size == members:
            continue
        other = prepare(args.backend, size, args.seed, work)
        porch, floor = serve(other, work)
        try:
            growth += growth_probe(porch, other.manifest)
        finally:
            porch.stop()
            floor.stop()
            drop(other)
    date = datetime.now(UTC).date().isoformat()
    stem = f"{date}-{args.backend}{'-large' if args.large else ''}"
    result = {
        "backend": args.backend,
        "size": "large" if args.large else ("small" if members == 1000 else f"{members} members"),
        "members": members,
        "date": date,
        "command": "python -m bench.load " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "server": f"porch serve (defaults: {default_workers()} workers x "
        f"{default_threads()} threads)" + (", Redis cache" if args.backend == "postgres" else ""),
        "connections": args.connections,
        "duration_s": args.duration,
        "seed_seconds": round(dataset.seed_seconds, 1),
        "counts": dataset.manifest.get("counts", {}),
        "scenarios": scenarios,
        "peak_rss_mb": round(sampler.peak(), 1),
        "growth": growth,
        "soak": soaked,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    path = args.out / f"{stem}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    if growth:
        chart(growth, args.out / f"{stem}-growth.png", args.backend)
    print(
        f"bench.load: wrote {path} in {result['wall_seconds']} s; peak RSS {result['peak_rss_mb']} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
