"""Turn a post's text into safe HTML: a small Markdown subset, links, @mentions.

markdown-it-py parses (raw HTML and images disabled), linkify-it finds bare links,
a small core rule turns ``@username`` into a profile link for members that exist,
and nh3 (the Ammonia sanitiser) has the last word on what HTML may leave.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{2,30})\b")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "class"}}


def find_mentions(text: str) -> list[str]:
    """Usernames mentioned in ``text``, lower-cased, in order, without repeats."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def _mention_rule(state: StateCore) -> None:
    known: Callable[[str], bool] = state.env.get("is_member", lambda _name: False)
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out: list[Token] = []
        link_depth = 0
        for token in block.children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            if token.type != "text" or link_depth or "@" not in token.content:
                out.append(token)
                continue
            out.extend(_split_mentions(token.content, known))
        block.children = out


def _split_mentions(content: str, known: Callable[[str], bool]) -> Iterable[Token]:
    position = 0
    for match in MENTION_RE.finditer(content):
        username = match.group(1)
        if not known(username.lower()):
            continue
        if match.start() > position:
            yield _text(content[position : match.start()])
        link = Token("link_open", "a", 1)
        link.attrs = {"href": f"/@{username.lower()}", "class": "mention"}
        yield link
        yield _text(match.group(0))
        yield Token("link_close", "a", -1)
        position = match.end()
    if position < len(content):
        yield _text(content[position:])


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    md.enable(["linkify", "strikethrough"])
    md.disable(["image", "heading", "lheading", "hr", "html_block", "html_inline"])
    md.core.ruler.push("porch_mentions", _mention_rule)
    return md


_MD = _parser()


def render(text: str, is_member: Callable[[str], bool]) -> str:
    """HTML for ``text``; ``is_member(lowercased_username)`` says which @names to link."""
    raw = _MD.render(text, {"is_member": is_member})
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    ).strip()
