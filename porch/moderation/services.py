"""Reporting, the moderation queue, and moderators' actions.

Members report a member, or a post or reply they can see, with a reason and an
optional note. Open reports about the same thing form a *case*. A moderator (a member
with the ``moderation.moderate`` permission; admins have every permission) sees the
case with its context and closes it with one action, and a reason:

* dismiss — nothing broke the rules;
* remove — the post or reply is blanked ("removed by the moderators" in its thread);
* warn — the member is told, nothing else changes;
* limit — the member's posts and replies reach only their friends
  (``porch.posts.visibility``);
* suspend — the member cannot log in, and nobody sees them or their posts.

Limits and suspensions can be lifted. Every action is one ``ModerationAction`` row (the
audit log, never changed). The reported member is told what was done and why, never
who reported them; each reporter is told the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from porch.accounts.models import Member
from porch.accounts.services import access_member, member_named
from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound, check_text
from porch.feed.cursors import Cursor, Page, page_after
from porch.notifications.models import Notification, NotificationKind
from porch.posts.models import Post
from porch.posts.services import access_post, erase_post

from .models import (
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    ActionKind,
    ModerationAction,
    Report,
    ReportReason,
)

CASE_ACTIONS = (
    ActionKind.DISMISS,
    ActionKind.REMOVE,
    ActionKind.WARN,
    ActionKind.LIMIT,
    ActionKind.SUSPEND,
)
MEMBER_ACTIONS = (
    ActionKind.WARN,
    ActionKind.LIMIT,
    ActionKind.UNLIMIT,
    ActionKind.SUSPEND,
    ActionKind.UNSUSPEND,
)
LOG_PAGE_SIZE = 50
SAY_WHY = "Say why, in a few words."


# --- Who moderates ------------------------------------------------------------------
def is_moderator(member) -> bool:
    return bool(
        member
        and member.is_authenticated
        and member.is_active
        and member.has_perm("moderation.moderate")
    )


def moderators() -> list[Member]:
    """The active members who moderate: admins, and those given the permission."""
    return list(
        Member.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(
                user_permissions__codename="moderate",
                user_permissions__content_type__app_label="moderation",
            )
            | Q(groups__permissions__codename="moderate")
        )
        .distinct()
        .order_by("username")
    )


def check_moderator(member) -> None:
    if not is_moderator(member):
        raise NotFound("No such page.")  # the queue's existence is nobody else's business


# --- Reporting ------------------------------------------------------------------------
def _check_reason(reason: str | None) -> str:
    if reason not in ReportReason.values:
        raise InvalidInput(
            "Choose a reason: " + ", ".join(ReportReason.values) + ".", field="reason"
        )
    return reason


def do_report(reporter, *, reason: str, note: str = "", post_id=None, username=None) -> Report:
    """Report the post or reply ``post_id``, or the member ``username``, as ``reporter``
    sees them: something they cannot see is "no such" thing."""
    reason = _check_reason(reason)
    note = check_text(note, "note", NOTE_MAX_LENGTH)
    if (post_id is None) == (username is None):
        raise InvalidInput("Report either a post or a member.")
    if post_id is not None:
        post = access_post(reporter, post_id)
        member = post.author
    else:
        post = None
        member = access_member(reporter, username)
    if member.pk == reporter.pk:
        raise InvalidInput("You cannot report yourself. Delete or edit the post instead.")
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter, member=member, post=post, reason=reason, note=note
            )
    except IntegrityError:
        raise Conflict("You reported this already; a moderator will look at it.") from None


def reports_by(reporter) -> QuerySet[Report]:
    """The reports a member made, newest first, with what became of them."""
    return (
        Report.objects.filter(reporter=reporter)
        .select_related("member", "post", "resolved_by")
        .order_by("-created_at", "-id")
    )


# --- The queue -----------------------------------------------------------------------
@dataclass
class Case:
    """Open reports about one member, or one of their posts."""

    member: Member
    post: Post | None
    reports: list[Report]
    first_reported_at: datetime
    # Filled in for the case page only.
    thread_root: Post | None = None
    parent: Post | None = None
    history: list[ModerationAction] = field(default_factory=list)
    earlier_reports: int = 0

    @property
    def id(self) -> int:
        return self.reports[0].pk  # the case's address is its first open report

    @property
    def reasons(self) -> list[str]:
        labels = dict(ReportReason.choices)
        counts: dict[str, int] = {}
        for report in self.reports:
            counts[report.reason] = counts.get(report.reason, 0) + 1
        return [labels[r] + (f" \u00d7{n}" if n > 1 else "") for r, n in counts.items()]


def _open_reports() -> QuerySet[Report]:
    return Report.objects.filter(resolved_by__isnull=True)


def open_case_count() -> int:
    return _open_reports().values("member_id", "post_id").distinct().count()


def open_cases(moderator) -> list[Case]:
    """Every open case, oldest first (a report should not wait behind newer ones)."""
    check_moderator(moderator)
    groups = (
        _open_reports()
        .values("member_id", "post_id")
        .annotate(first=Min("created_at"), count=Count("id"), last=Max("created_at"))
        .order_by("first", "member_id", "post_id")
    )
    reports = list(_open_reports().select_related("reporter", "member", "post", "post__author"))
    by_target: dict[tuple, list[Report]] = {}
    for report in reports:
        by_target.setdefault((report.member_id, report.post_id), []).append(report)
    cases = []
    for group in groups:
        rows = by_target.get((group["member_id"], group["post_id"]))
        if rows:
            cases.append(Case(rows[0].member, rows[0].post, rows, group["first"]))
    _add_context(cases)
    return cases


def _add_context(cases: list[Case]) -> None:
    """Each reported reply's thread's first post and the post it answers."""
    wanted = set()
    for found in cases:
        if found.post is not None and found.post.root_id:
            wanted |= {found.post.root_id, found.post.parent_id}
    posts = Post.objects.select_related("author").in_bulk(wanted)
    for found in cases:
        post = found.post
        if post is not None and post.root_id:
            found.thread_root = posts.get(post.root_id)
            if post.parent_id != post.root_id:
                found.parent = posts.get(post.parent_id)


def case(moderator, report_id) -> Case:
    """The case report ``report_id`` belongs to, with its context: the thread's first
    post and the post answered, the member's moderation history and earlier reports."""
    check_moderator(moderator)
    try:
        report = Report.objects.select_related("member", "post").get(pk=int(report_id))
    except (Report.DoesNotExist, TypeError, ValueError):
        raise NotFound("No such report.") from None
    if not report.is_open:
        raise NotFound("This report was already dealt with; see the moderation log.")
    reports = list(
        _open_reports()
        .filter(member_id=report.member_id, post_id=report.post_id)
        .select_related("reporter")
    )
    found = Case(report.member, report.post, reports, reports[0].created_at)
    _add_context([found])
    found.history = list(member_record(report.member))
    found.earlier_reports = Report.objects.filter(
        member=report.member, resolved_by__isnull=False
    ).count()
    return found


def member_record(member) -> QuerySet[ModerationAction]:
    return ModerationAction.objects.filter(member=member).select_related("moderator")


def moderation_log(moderator, cursor: str | None = None, limit: int = LOG_PAGE_SIZE) -> Page:
    """The audit log, newest first: every action, by whom, about whom, why."""
    check_moderator(moderator)
    return page_after(
        ModerationAction.objects.select_related("moderator", "member", "post"),
        Cursor.parse(cursor),
        limit,
    )


# --- Acting ---------------------------------------------------------------------------
def _check_kind(kind: str | None, allowed) -> ActionKind:
    if kind not in [k.value for k in allowed]:
        raise InvalidInput(
            "Choose one of: " + ", ".join(k.value for k in allowed) + ".", field="kind"
        )
    return ActionKind(kind)


def _check_may_act(moderator, member: Member, kind: ActionKind) -> None:
    if member.pk == moderator.pk:
        raise NotAllowed("Another moderator has to decide about you.")
    protected = member.is_superuser or is_moderator(member)
    if kind in (ActionKind.LIMIT, ActionKind.SUSPEND) and protected and not moderator.is_superuser:
        raise NotAllowed("Only an admin can limit or suspend a moderator or an admin.")


def _apply(moderator, member: Member, post: Post | None, kind: ActionKind, reason: str):
    now = timezone.now()
    if kind is ActionKind.REMOVE:
        if post is None:
            raise InvalidInput("Only a post or reply can be removed.", field="kind")
        text = post.text
        erase_post(post, by_moderator=True)
        return text
    if kind is ActionKind.LIMIT:
        if member.limited_at:
            raise Conflict(f"{member.name} is limited already.")
        member.limited_at = now
        member.save(update_fields=["limited_at"])
    elif kind is ActionKind.UNLIMIT:
        if not member.limited_at:
            raise Conflict(f"{member.name} is not limited.")
        member.limited_at = None
        member.save(update_fields=["limited_at"])
    elif kind is ActionKind.SUSPEND:
        if member.suspended_at:
            raise Conflict(f"{member.name} is suspended already.")
        # Inactive members cannot log in, their sessions and tokens stop working at
        # the next request, and the visibility rule shows nothing of theirs.
        member.suspended_at = now
        member.is_active = False
        member.save(update_fields=["suspended_at", "is_active"])
    elif kind is ActionKind.UNSUSPEND:
        if not member.suspended_at:
            raise Conflict(f"{member.name} is not suspended.")
        member.suspended_at = None
        member.is_active = True
        member.save(update_fields=["suspended_at", "is_active"])
    return post.text if post is not None else ""


def _record(moderator, member, post, kind, reason, post_text, reports) -> ModerationAction:
    action = ModerationAction.objects.create(
        moderator=moderator,
        kind=kind,
        member=member,
        post=post,
        post_text=post_text,
        reason=reason,
    )
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(resolved_by=action)
    if kind is not ActionKind.DISMISS:
        # Told even when suspended: they read it when the suspension is lifted, and
        # the log-in page tells them why they cannot log in meanwhile.
        Notification.objects.create(
            recipient=member, actor=moderator, kind=NotificationKind.MODERATION, action=action
        )
    for reporter_id in {r.reporter_id for r in reports} - {moderator.pk}:
        Notification.objects.create(
            recipient_id=reporter_id,
            actor=moderator,
            kind=NotificationKind.REPORT_OUTCOME,
            action=action,
        )
    return action


def do_resolve_case(moderator, report_id, *, kind: str, reason: str) -> ModerationAction:
    """Close the case ``report_id`` belongs to with one action, and say why."""
    found = case(moderator, report_id)
    kind = _check_kind(kind, CASE_ACTIONS)
    reason = check_text(reason, "reason", REASON_MAX_LENGTH, required=SAY_WHY)
    _check_may_act(moderator, found.member, kind)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=found.member.pk)
        post_text = _apply(moderator, member, found.post, kind, reason)
        reports = found.reports
        if kind is ActionKind.SUSPEND:
            # Every open report about them is answered by the suspension.
            reports = list(_open_reports().filter(member=member))
        return _record(moderator, member, found.post, kind, reason, post_text, reports)


def do_act_on_member(moderator, username: str, *, kind: str, reason: str) -> ModerationAction:
    """Act on a member without a report (warn, limit, suspend) or lift a limit or a
    suspension. Open reports the action answers are closed with it."""
    check_moderator(moderator)
    kind = _check_kind(kind, MEMBER_ACTIONS)
    reason = check_text(reason, "reason", REASON_MAX_LENGTH, required=SAY_WHY)
    member = member_for_moderation(moderator, username)
    _check_may_act(moderator, member, kind)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        _apply(moderator, member, None, kind, reason)
        reports = []
        if kind is ActionKind.SUSPEND:
            reports = list(_open_reports().filter(member=member))
        elif kind in (ActionKind.WARN, ActionKind.LIMIT):
            reports = list(_open_reports().filter(member=member, post__isnull=True))
        return _record(moderator, member, None, kind, reason, "", reports)


def member_for_moderation(moderator, username: str) -> Member:
    """Any member by name, suspended ones included: moderators must find them to lift it."""
    check_moderator(moderator)
    return member_named(username, suspended_too=True)


def suspension_of(member) -> ModerationAction | None:
    """The action that suspended ``member``, if they are suspended now."""
    if not member.suspended_at:
        return None
    return (
        ModerationAction.objects.filter(member=member, kind=ActionKind.SUSPEND)
        .order_by("-created_at", "-id")
        .first()
    )


def suspension_for_login(username: str | None, password: str | None) -> str | None:
    """What the log-in page tells a suspended member who gave their right password."""
    if not username or not password:
        return None
    member = Member.objects.filter(username__iexact=username, suspended_at__isnull=False).first()
    if member is None or not member.check_password(password):
        return None
    action = suspension_of(member)
    why = f" Why: {action.reason}" if action else ""
    return (
        f"The moderators suspended this account on {member.suspended_at:%d %B %Y}.{why} "
        "Write to the host if you think this is a mistake."
    )


def do_grant_moderator(member, *, grant: bool = True) -> None:
    """Give ``member`` the moderators' permission, or take it away (hosts, via the CLI)."""
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="moderate", content_type__app_label="moderation")
    if grant:
        member.user_permissions.add(permission)
    else:
        member.user_permissions.remove(permission)
