"""The home feed, with the compose box on top and "You're all caught up" where it belongs;
the order switch above it, and "Why am I seeing this?" on every card."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST

from porch import limits
from porch.errors import PorchError
from porch.feed.preferences import do_set_feed_settings
from porch.feed.services import do_mark_feed_seen, home_feed
from porch.graph.services import circles_of
from porch.posts.services import do_create_post

from ..cards import prepare_cards
from ..forms import ComposeForm, FeedOrderForm
from ..responses import add_service_error, back, is_htmx, porch_errors, render_error

# The session remembers when the member had last looked, as it was before this visit's
# first page, so that "Older posts" pages place the caught-up marker by the same moment.
SEEN_BEFORE_KEY = "porch.feed_seen_before"
# "Never looked": every post is new. (``home_feed`` reads ``None`` as "use the stored time",
# which the first page has already moved on.)
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _seen_before_for_later_pages(request):
    stored = request.session.get(SEEN_BEFORE_KEY)
    if stored is None:
        return None  # no first page in this session: the stored time is the best we have
    if stored == "":
        return NEVER
    return parse_datetime(stored) or None


def _member(request):
    """The Member behind Django's lazy ``request.user``.

    ``feed.services.do_mark_feed_seen`` calls ``type(viewer).objects``, which fails on the
    ``SimpleLazyObject`` wrapper (reported to the lead); the wrapped object is the Member.
    """
    user = request.user
    user.pk  # noqa: B018 (forces the lazy object to load)
    return getattr(user, "_wrapped", user)


def _feed_context(request, *, first_visit: bool):
    viewer = _member(request)
    cursor = request.GET.get("cursor") or None
    if cursor is None and first_visit:
        previous = viewer.feed_seen_at
        request.session[SEEN_BEFORE_KEY] = previous.isoformat() if previous else ""
        seen_before = previous or NEVER
    else:
        seen_before = _seen_before_for_later_pages(request)
    page = home_feed(viewer, cursor, seen_before=seen_before)
    if first_visit:
        # Every page the member is shown, first or "Older posts": seen posts sink in the
        # ranking next time. (Not on the compose box's error page: that is no new look.)
        do_mark_feed_seen(viewer, page.posts)
    prepare_cards(viewer, page.posts)
    divider_at = page.new_count
    if divider_at is not None and divider_at >= len(page.posts):
        divider_at = None  # nothing older on this page: only the end marker, if any
    return {
        "page": page,
        "posts": page.posts,
        "divider_at": divider_at,
        "first_page": cursor is None,
        "next_url": f"{reverse('web:home')}?cursor={page.next_cursor}" if page.next_cursor else "",
    }


def _render_home(request, compose_form, *, first_visit: bool, status: int = 200):
    context = _feed_context(request, first_visit=first_visit)
    if is_htmx(request) and not context["first_page"]:
        return render(request, "web/_feed_page.html", context)
    context.update(compose=compose_form, circles=list(circles_of(request.user)))
    return render(request, "web/home.html", context, status=status)


@login_required
@require_GET
@porch_errors
def home(request):
    return _render_home(request, ComposeForm(), first_visit=True)


@login_required
@require_POST
@porch_errors
def create_post(request):
    limits.check("post", request, member=request.user)
    form = ComposeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            post = do_create_post(
                request.user,
                text=data["text"],
                audience=data["audience"],
                circle_ids=data["circles"] or None,
                idempotency_key=data["idempotency_key"] or None,
                reply_policy=data["reply_policy"] or None,
            )
        except PorchError as error:
            add_service_error(form, error)
        else:
            return redirect(f"{reverse('web:home')}#post-{post.pk}")
    return _render_home(request, form, first_visit=False, status=400)


@login_required
@require_POST
@porch_errors
def order(request):
    """The switch above the feed: ``order`` = conversation | chronological."""
    form = FeedOrderForm(request.POST)
    if not form.is_valid():
        return render_error(request, 400, form.errors["order"][0])
    do_set_feed_settings(_member(request), order=form.cleaned_data["order"])
    return back(request, reverse("web:home"))
