"""The floor: Porch's hot paths answered by a bare WSGI app with hand-written SQL.

``bench.load`` runs this beside ``porch serve``, under the same Granian settings and on
the same database, and reports Porch ÷ floor for every scenario. It is what the
hardware, the database and the HTTP server cost with no framework at all: no Django,
no ORM, no middleware, no schemas, just the token check, the same rows read (or
written) with one SQL statement each, and ``json.dumps``.

It answers the API paths Porch answers, so the load scripts are the same for both:

    GET  /api/v1/feed                   the viewer's first feed page, newest first
    GET  /api/v1/feed?cursor=…          a next page (keyset "created_at|id")
    GET  /api/v1/posts/{id}/thread      a post the viewer may see and every reply
    GET  /api/v1/notifications          the newest 30 notifications
    POST /api/v1/posts                  a post to friends
    POST /api/v1/posts/{id}/replies     a reply, and the notification to the post's author

The audience rule is Porch's (own posts, public, friends and friends-of-friends posts
by friends, circles the viewer is in; blocks both ways), written once as SQL below.
The floor keeps no conversation ranker: for both feed orders it reads the newest page,
so the ranked feed's ratio includes what ranking costs.

Never part of Porch: it lives in ``bench/`` and serves only benchmarks.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import sqlite3
import threading
from datetime import UTC, datetime
from urllib.parse import parse_qs

from porch.serving import default_threads, default_workers
from porch.sqlite.queue import queue_for

DATABASE_URL = os.environ.get("PORCH_DATABASE_URL", "")
SQLITE_PATH = os.environ.get("BENCH_FLOOR_SQLITE", "")

# The viewer %(v)s may see top-level post p (written by author a).
VISIBLE = """
  a.is_active AND p.root_id IS NULL AND p.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM graph_block b WHERE (b.blocker_id = %(v)s AND b.blocked_id = p.author_id)
                                             OR (b.blocker_id = p.author_id AND b.blocked_id = %(v)s))
  AND (p.author_id = %(v)s
       OR p.audience = 'public'
       OR (p.audience IN ('friends', 'friends_of_friends')
           AND p.author_id IN (SELECT friend_id FROM graph_friendship WHERE member_id = %(v)s))
       OR (p.audience = 'friends_of_friends' AND p.author_id IN (
             SELECT f2.friend_id FROM graph_friendship f1
             JOIN graph_friendship f2 ON f2.member_id = f1.friend_id WHERE f1.member_id = %(v)s))
       OR (p.audience = 'circles' AND EXISTS (
             SELECT 1 FROM posts_post_circles pc
             JOIN graph_circlemember cm ON cm.circle_id = pc.circle_id
             WHERE pc.post_id = p.id AND cm.member_id = %(v)s)))
"""

FEED = f"""

SELECT p.id, p.html, p.created_at, p.audience, a.username, a.display_name,
       (SELECT count(*) FROM posts_post r WHERE r.root_id = p.id AND r.deleted_at IS NULL)
FROM posts_post p {{FEED_INDEX}} JOIN accounts_member a ON a.id = p.author_id
WHERE (p.author_id = %(v)s
       OR p.author_id IN (SELECT friend_id FROM graph_friendship WHERE member_id = %(v)s)
       OR p.author_id IN (SELECT followee_id FROM graph_follow WHERE follower_id = %(v)s))
  AND p.author_id NOT IN (SELECT muted_id FROM graph_mute WHERE muter_id = %(v)s)
  AND {VISIBLE}
  AND (p.created_at < %(before)s OR (p.created_at = %(before)s AND p.id < %(before_id)s))
ORDER BY p.created_at DESC, p.id DESC
LIMIT 20
"""

ROOT = f"""

SELECT p.id, p.html, p.created_at, p.audience, a.username, a.display_name, p.author_id
FROM posts_post p JOIN accounts_member a ON a.id = p.author_id
WHERE p.id = %(post)s AND {VISIBLE}
"""

REPLIES = """
SELECT p.id, p.parent_id, p.html, p.created_at, a.username, a.display_name
FROM posts_post p JOIN accounts_member a ON a.id = p.author_id
WHERE p.root_id = %(post)s AND a.is_active AND p.deleted_at IS NULL AND p.hidden_at IS NULL
ORDER BY p.created_at, p.id
"""

NOTIFICATIONS = """
SELECT n.id, n.kind, n.post_id, n.created_at, n.read_at, a.username, a.display_name
FROM notifications_notification n JOIN accounts_member a ON a.id = n.actor_id
WHERE n.recipient_id = %(v)s AND a.is_active
ORDER BY n.created_at DESC, n.id DESC
LIMIT 30
"""

INSERT_POST = """
INSERT INTO posts_post (author_id, parent_id, root_id, audience, text, html, created_at,
                        removed_by_moderator, reply_policy)
VALUES (%(v)s, %(parent)s, %(root)s, %(audience)s, %(text)s, %(html)s, %(now)s, %(false)s,
        'everyone')
RETURNING id
"""

INSERT_NOTIFICATION = """
INSERT INTO notifications_notification (recipient_id, actor_id, kind, post_id, created_at)
VALUES (%(recipient)s, %(v)s, 'reply', %(post)s, %(now)s)
"""

TOKEN_SQL = """
SELECT t.member_id FROM accounts_accesstoken t JOIN accounts_member m ON m.id = t.member_id
WHERE t.digest = %(digest)s AND m.is_active
"""

# The floor should be the best the database can do: a page of the newest top-level posts
# is read newest first from Porch's index of them, stopping after 20. SQLite's planner
# prefers reading every post of every friend and sorting them (20x slower on the bench
# data), so on SQLite the floor names the index; PostgreSQL's planner finds it itself.
SQLITE_FEED_INDEX = "INDEXED BY post_roots_recent"

FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
_local = threading.local()


class Database:
    """One connection per request thread; the SQL above uses ``%(name)s`` parameters."""

    def __init__(self):
        if DATABASE_URL:
            import psycopg

            self.connection = psycopg.connect(DATABASE_URL, autocommit=False)
            self.sqlite = False
        else:
            self.connection = sqlite3.connect(SQLITE_PATH, timeout=20, isolation_level=None)
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA synchronous=FULL")
            self.connection.execute("PRAGMA foreign_keys=ON")
            self.sqlite = True

    def _sql(self, sql: str) -> str:
        if not self.sqlite:
            return sql.replace("{FEED_INDEX}", "")
        return re.sub(r"%\((\w+)\)s", r":\1", sql.replace("{FEED_INDEX}", SQLITE_FEED_INDEX))

    def _value(self, value):
        # Django keeps SQLite datetimes as naive UTC text; PostgreSQL takes them as they are.
        if self.sqlite and isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            return value.isoformat(" ")
        return value

    def rows(self, sql: str, **params) -> list[tuple]:
        params = {key: self._value(value) for key, value in params.items()}
        cursor = self.connection.execute(self._sql(sql), params)
        rows = cursor.fetchall()
        if not self.sqlite:
            self.connection.commit()
        return rows

    def write(self, statements: list[tuple[str, dict]]) -> list[tuple]:
        """Run the statements in one transaction; the rows of the first."""
        if self.sqlite:
            # Writers queue for the lock as Porch's do (porch/sqlite/queue.py), instead
            # of sleeping in SQLite's busy handler.
            queue = queue_for(SQLITE_PATH)
            queue.acquire(20)
            try:
                return self._write(statements)
            finally:
                queue.release()
        return self._write(statements)

    def _write(self, statements: list[tuple[str, dict]]) -> list[tuple]:
        first = None
        if self.sqlite:
            self.connection.execute("BEGIN IMMEDIATE")
        try:
            for sql, params in statements:
                params = {key: self._value(value) for key, value in params.items()}
                cursor = self.connection.execute(self._sql(sql), params)
                if first is None:
                    first = cursor.fetchall()
            self.connection.execute("COMMIT") if self.sqlite else self.connection.commit()
        except Exception:
            self.connection.execute("ROLLBACK") if self.sqlite else self.connection.rollback()
            raise
        return first


def database() -> Database:
    if not hasattr(_local, "db"):
        _local.db = Database()
    return _local.db


def _text(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else value


def _respond(start_response, status: str, body) -> list[bytes]:
    data = json.dumps(body, default=_text, ensure_ascii=False).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def _viewer(db: Database, environ) -> int | None:
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Bearer "):
        return None
    rows = db.rows(TOKEN_SQL, digest=hashlib.sha256(header[7:].encode()).hexdigest())
    return rows[0][0] if rows else None


def _feed(db, viewer, query):
    before, before_id = FAR_FUTURE, 2**62
    cursor = query.get("cursor", [""])[0]
    if cursor:
        stamp, _, pk = cursor.partition("|")
        before, before_id = datetime.fromisoformat(stamp), int(pk)
    rows = db.rows(FEED, v=viewer, before=before, before_id=before_id)
    items = [
        {
            "id": pk,
            "html": body,
            "created_at": created,
            "audience": audience,
            "author": {"username": username, "display_name": name},
            "reply_count": replies,
        }
        for pk, body, created, audience, username, name, replies in rows
    ]
    next_cursor = f"{_text(rows[-1][2])}|{rows[-1][0]}" if len(rows) == 20 else None
    return "200 OK", {"items": items, "next_cursor": next_cursor}


def _thread(db, viewer, post):
    root = db.rows(ROOT, v=viewer, post=post)
    if not root:
        return "404 Not Found", {"detail": "No such post."}
    pk, body, created, audience, username, name, _author = root[0]
    replies = db.rows(REPLIES, post=post)
    return "200 OK", {
        "post": {
            "id": pk,
            "html": body,
            "created_at": created,
            "audience": audience,
            "author": {"username": username, "display_name": name},
        },
        "replies": [
            {
                "id": r[0],
                "parent_id": r[1],
                "html": r[2],
                "created_at": r[3],
                "author": {"username": r[4], "display_name": r[5]},
            }
            for r in replies
        ],
    }


def _notifications(db, viewer):
    rows = db.rows(NOTIFICATIONS, v=viewer)
    return "200 OK", {
        "items": [
            {
                "id": r[0],
                "kind": r[1],
                "post_id": r[2],
                "created_at": r[3],
                "read": r[4] is not None,
                "actor": {"username": r[5], "display_name": r[6]},
            }
            for r in rows
        ]
    }


def _body(environ) -> dict:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return json.loads(environ["wsgi.input"].read(length) or b"{}")


def _create(db, viewer, environ, parent: int | None):
    text = str(_body(environ).get("text", ""))[:5000]
    if not text.strip():
        return "400 Bad Request", {"detail": "Write something first."}
    now = datetime.now(UTC)
    params = {
        "v": viewer,
        "text": text,
        "html": f"<p>{html.escape(text)}</p>",
        "now": now,
        "false": False,
        "parent": None,
        "root": None,
        "audience": "friends",
    }
    statements = []
    if parent is not None:
        root = db.rows(ROOT, v=viewer, post=parent)
        if not root:
            return "404 Not Found", {"detail": "No such post."}
        params.update(parent=parent, root=parent, audience=root[0][3])
        statements.append((INSERT_POST, params))
        if root[0][6] != viewer:
            statements.append(
                (INSERT_NOTIFICATION, {**params, "recipient": root[0][6], "post": None})
            )
    else:
        statements.append((INSERT_POST, params))
    (pk,), *_ = db.write(statements)
    return "201 Created", {"id": pk, "html": params["html"], "created_at": now}


THREAD = re.compile(r"^/api/v1/posts/(\d+)/thread$")
REPLY = re.compile(r"^/api/v1/posts/(\d+)/replies$")


def app(environ, start_response):
    db = database()
    viewer = _viewer(db, environ)
    if viewer is None:
        return _respond(start_response, "401 Unauthorized", {"detail": "Log in first."})
    path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if method == "GET" and path == "/api/v1/feed":
        status, body = _feed(db, viewer, query)
    elif method == "GET" and path == "/api/v1/notifications":
        status, body = _notifications(db, viewer)
    elif method == "GET" and (match := THREAD.match(path)):
        status, body = _thread(db, viewer, int(match[1]))
    elif method == "POST" and path == "/api/v1/posts":
        status, body = _create(db, viewer, environ, None)
    elif method == "POST" and (match := REPLY.match(path)):
        status, body = _create(db, viewer, environ, int(match[1]))
    else:
        status, body = "404 Not Found", {"detail": "Not a floor endpoint."}
    return _respond(start_response, status, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    # The same processes and threads as `porch serve` starts by default.
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--threads", type=int, default=default_threads())
    args = parser.parse_args()
    from granian.constants import Interfaces
    from granian.server import Server

    Server(
        "bench.floor:app",
        address="127.0.0.1",
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=args.threads,
    ).serve()


if __name__ == "__main__":
    main()
