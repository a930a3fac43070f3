"""Reporting, and the moderators' pages: the queue, a case, a member's record, the log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from porch import limits
from porch.accounts.services import access_member
from porch.errors import PorchError
from porch.moderation import services as moderation
from porch.moderation.models import ActionKind
from porch.posts.services import access_post

from ..forms import ModerationForm, ReportForm, member_moderation_form
from ..responses import add_service_error, porch_errors


def _report(request, *, subject, done_url: str, post_id=None, username=None):
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                limits.check("report", request, member=request.user)
                moderation.do_report(
                    request.user,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    post_id=post_id,
                    username=username,
                )
            except PorchError as error:
                if error.status in (404, 429):
                    raise  # their own pages: gone, or come back later
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    "Thank you. The moderators will look at it, and you will hear what "
                    "they decide. Nobody else is told you reported it.",
                )
                return redirect(done_url)
    return render(
        request,
        "web/report.html",
        {"form": form, "subject": subject, "back_url": done_url},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def report_post(request, post_id):
    post = access_post(request.user, post_id)
    link = reverse("web:post", args=[post.root_id or post.pk])
    if post.root_id:
        link += f"#post-{post.pk}"
    return _report(request, subject=post, done_url=link, post_id=post.pk)


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def report_member(request, username):
    member = access_member(request.user, username)
    return _report(
        request,
        subject=member,
        done_url=reverse("web:profile", args=[member.username]),
        username=member.username,
    )


@login_required
@require_GET
@porch_errors
def my_reports(request):
    """Settings → Reports: what the member reported and what came of it, and the
    moderators' decisions about them."""
    return render(
        request,
        "web/settings/reports.html",
        {
            "tab": "reports",
            "reports": list(moderation.reports_by(request.user)[:100]),
            "record": list(moderation.member_record(request.user)),
        },
    )


@login_required
@require_GET
@porch_errors
def queue(request):
    cases = moderation.open_cases(request.user)
    return render(request, "web/moderation/queue.html", {"cases": cases, "tab": "queue"})


def _decide(request, form, act, done: str, then):
    """Run a moderator's decision from ``form``; the redirect when it is done, else
    None with the error on the form."""
    if not (form.is_bound and form.is_valid()):
        return None
    try:
        action = act(kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"])
    except PorchError as error:
        add_service_error(form, error)
        return None
    messages.success(request, done.format(what=action.get_kind_display()))
    return then


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def case(request, report_id):
    found = moderation.case(request.user, report_id)
    form = ModerationForm(request.POST if request.method == "POST" else None)
    done = _decide(
        request,
        form,
        lambda **decision: moderation.do_resolve_case(request.user, report_id, **decision),
        "Done: you {what}. Everyone concerned is told.",
        redirect("web:moderation"),
    )
    return done or render(
        request,
        "web/moderation/case.html",
        {"case": found, "form": form, "tab": "queue"},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def member(request, username):
    person = moderation.member_for_moderation(request.user, username)
    form = member_moderation_form(request.POST if request.method == "POST" else None, member=person)
    done = _decide(
        request,
        form,
        lambda **decision: moderation.do_act_on_member(request.user, person.username, **decision),
        "Done: you {what}.",
        redirect("web:moderation_member", person.username),
    )
    return done or render(
        request,
        "web/moderation/member.html",
        {
            "person": person,
            "record": list(moderation.member_record(person)),
            "form": form,
            "tab": "members",
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
@porch_errors
def log(request):
    if "username" in request.GET:
        username = request.GET.get("username", "").strip().lstrip("@")
        try:
            person = moderation.member_for_moderation(request.user, username)
        except PorchError:
            moderation.check_moderator(request.user)
            messages.error(request, "Nobody here has that username.")
        else:
            return redirect("web:moderation_member", person.username)
    cursor = request.GET.get("cursor") or None
    page = moderation.moderation_log(request.user, cursor)
    return render(
        request,
        "web/moderation/log.html",
        {
            "actions": page.items,
            "next_url": f"{reverse('web:moderation_log')}?cursor={page.next_cursor}"
            if page.next_cursor
            else "",
            "tab": "log",
            "kinds": ActionKind,
        },
    )
