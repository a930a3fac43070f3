"""Abuse limits: how often one IP address or one member may do something.

Counting is django-ratelimit's (fixed windows in the cache: Redis when
``PORCH_REDIS_URL`` is set, else the server process's memory). Over a limit, a view
gets ``RateLimited``: a 429 with ``Retry-After``, on the pages and in the API. The
numbers start from Mastodon's published ones (docs/hosts.md lists them).

Log-in failures count twice: per IP address (every attempt) and per account (failed
attempts only); an account with too many failures is locked for the rest of the hour,
even for the right password, whether or not the account exists.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from django_ratelimit.core import get_usage

from porch.errors import PorchError


def client_address(request) -> str:
    """The connection's address (``RATELIMIT_IP_META_KEY``): never ``X-Forwarded-For``.
    A request without a usable one (a Unix socket, a test harness) counts as 0.0.0.0."""
    value = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return "0.0.0.0"  # noqa: S104 (a bucket name, not a bind address)


class RateLimited(PorchError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


@dataclass(frozen=True)
class Rule:
    rate: str  # django-ratelimit's "count/period", e.g. "25/5m"
    by: str  # "ip", "member", "account" (a log-in name) or "token" (an API token)
    message: str


RULES: dict[str, Rule] = {
    "login_ip": Rule("25/5m", "ip", "Too many log-in attempts from here."),
    "login_failures": Rule(
        "25/h", "account", "Too many failed log-ins for this account; it is locked for now."
    ),
    "signup": Rule("5/30m", "ip", "Too many sign-ups from here."),
    "post": Rule("300/3h", "member", "You have posted a lot in a short time."),
    "reply": Rule("300/3h", "member", "You have replied a lot in a short time."),
    "friend_request": Rule("400/d", "member", "You have sent a lot of friend requests today."),
    "report": Rule("20/h", "member", "You have sent a lot of reports in a short time."),
    "delete": Rule("30/30m", "member", "You have deleted a lot in a short time."),
    "api_token": Rule("300/5m", "token", "Too many requests with this API token."),
}


def _key(rule: Rule, member, account: str | None, token: str | None):
    """django-ratelimit's key: its own "ip" (masked, from the connection), or a callable
    giving the member, account name or token the rule counts per."""
    if rule.by == "ip":
        return "ip"
    if rule.by == "member":
        value = f"member:{member.pk}"
    elif rule.by == "token":
        value = "token:" + hashlib.sha256((token or "").encode()).hexdigest()[:24]
    else:
        value = f"account:{(account or '').strip().lower()}"
    return lambda group, request: value


def _usage(name: str, request, *, member=None, account=None, token=None, increment: bool):
    rule = RULES[name]
    return rule, get_usage(
        request,
        group=f"porch.{name}",
        key=_key(rule, member, account, token),
        rate=rule.rate,
        increment=increment,
    )


def _refuse(rule: Rule, usage) -> None:
    minutes = max(1, round(usage["time_left"] / 60))
    raise RateLimited(
        f"{rule.message} Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        retry_after=usage["time_left"],
    )


def check(name: str, request, *, member=None, token: str | None = None) -> None:
    """Count one more ``name`` action, and refuse it when over the limit."""
    rule, usage = _usage(name, request, member=member, token=token, increment=True)
    if usage and usage["should_limit"]:
        _refuse(rule, usage)


def check_login(request, username: str) -> None:
    """Before checking a password: count the attempt per IP, and refuse an account
    locked by earlier failures (without counting this attempt as one)."""
    check("login_ip", request)
    rule, usage = _usage("login_failures", request, account=username, increment=False)
    if usage and usage["count"] >= usage["limit"]:
        _refuse(rule, usage)


def login_failed(request, username: str) -> None:
    _usage("login_failures", request, account=username, increment=True)
