"""Reports, and the moderators' queue, decisions and log."""

from ninja import Router, Status

from porch import limits
from porch.moderation import services as moderation

from .rendering import member_ref, post_url
from .schemas import (
    ActionIn,
    ActionOut,
    CaseOut,
    LogPage,
    PageCursor,
    PostId,
    ReportIn,
    ReportOut,
    RowId,
    Username,
    errors,
)

router = Router(tags=["reports and moderation"])


def _report_json(report) -> dict:
    action = report.resolved_by
    return {
        "id": report.pk,
        "member": member_ref(report.member),
        "post_id": report.post_id,
        "reason": report.reason,
        "note": report.note,
        "created_at": report.created_at,
        "outcome": None if action is None else action.kind,
        "outcome_reason": None if action is None else action.reason,
    }


def _action_json(action) -> dict:
    return {
        "id": action.pk,
        "kind": action.kind,
        "moderator": member_ref(action.moderator),
        "member": member_ref(action.member),
        "post_id": action.post_id,
        "post_text": action.post_text,
        "reason": action.reason,
        "created_at": action.created_at,
    }


def _post_json(request, post) -> dict | None:
    if post is None:
        return None
    return {
        "id": post.pk,
        "root_id": post.root_id,
        "author": member_ref(post.author),
        "text": post.text,
        "audience": post.audience,
        "deleted": post.is_deleted,
        "url": post_url(request, post),
    }


def _case_json(request, case) -> dict:
    return {
        "id": case.id,
        "member": member_ref(case.member),
        "post": _post_json(request, case.post),
        "thread_root": _post_json(request, case.thread_root),
        "parent": _post_json(request, case.parent),
        "reports": [_report_json(r) | {"reporter": member_ref(r.reporter)} for r in case.reports],
        "first_reported_at": case.first_reported_at,
        "member_limited": case.member.limited_at is not None,
        "member_suspended": case.member.suspended_at is not None,
        "history": [_action_json(a) for a in case.history],
    }


def _report(request, payload: ReportIn, **target):
    limits.check("report", request, member=request.auth)
    made = moderation.do_report(request.auth, reason=payload.reason, note=payload.note, **target)
    return Status(201, _report_json(made))


@router.post(
    "/posts/{post_id}/report", response={201: ReportOut, **errors(400, 401, 404, 409, 429)}
)
def report_post(request, post_id: PostId, payload: ReportIn):
    """Report a post or reply you can see to the moderators. The author is never told
    who reported it; you are told the outcome (a notification of kind report_outcome)."""
    return _report(request, payload, post_id=post_id)


@router.post(
    "/members/{username}/report", response={201: ReportOut, **errors(400, 401, 404, 409, 429)}
)
def report_member(request, username: Username, payload: ReportIn):
    """Report a member (their profile, or their behaviour in general)."""
    return _report(request, payload, username=username)


@router.get("/reports", response={200: list[ReportOut], **errors(401)})
def my_reports(request):
    """What you reported (the last 100), newest first, and what became of it."""
    return [_report_json(r) for r in moderation.reports_by(request.auth)[:100]]


@router.get("/moderation/cases", response={200: list[CaseOut], **errors(401, 404)})
def cases(request):
    """Moderators: the open cases (reports about the same thing), oldest first."""
    return [_case_json(request, c) for c in moderation.open_cases(request.auth)]


@router.get("/moderation/cases/{case_id}", response={200: CaseOut, **errors(401, 404)})
def case(request, case_id: RowId):
    """Moderators: one case with its context and the member's history. A case's id is
    the id of any of its open reports."""
    return _case_json(request, moderation.case(request.auth, case_id))


@router.post(
    "/moderation/cases/{case_id}/decision",
    response={201: ActionOut, **errors(400, 401, 403, 404, 409)},
)
def decide(request, case_id: RowId, payload: ActionIn):
    """Moderators: close a case with dismiss, remove, warn, limit or suspend, and a
    reason the member and the reporters are told."""
    action = moderation.do_resolve_case(
        request.auth, case_id, kind=payload.kind, reason=payload.reason
    )
    return Status(201, _action_json(action))


@router.post(
    "/moderation/members/{username}/decision",
    response={201: ActionOut, **errors(400, 401, 403, 404, 409)},
)
def act_on_member(request, username: Username, payload: ActionIn):
    """Moderators: warn, limit, unlimit, suspend or unsuspend a member directly."""
    action = moderation.do_act_on_member(
        request.auth, username, kind=payload.kind, reason=payload.reason
    )
    return Status(201, _action_json(action))


@router.get("/moderation/log", response={200: LogPage, **errors(400, 401, 404)})
def log(request, cursor: PageCursor = None):
    """Moderators: the audit log, newest first (``next_cursor`` pages on)."""
    page = moderation.moderation_log(request.auth, cursor)
    return {
        "items": [_action_json(a) for a in page.items],
        "next_cursor": page.next_cursor,
    }
