"""A post and its thread; replying, editing, deleting, reacting; history and reactions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from porch import limits
from porch.errors import NeedsConfirmation, NotFound, PorchError
from porch.notes.models import RatingValue
from porch.notes.services import do_delete_note, do_propose_note, do_rate_note, notes_on
from porch.posts.services import (
    access_own_post,
    access_post,
    do_delete_post,
    do_edit_post,
    do_hide_reply,
    do_react,
    do_reply,
    do_set_reply_policy,
    do_unhide_reply,
    do_unreact,
    edit_history,
    reactions_detail,
    read_thread,
    reply_refusal,
)
from porch.trust.services import thread_with_folds

from ..cards import prepare_cards
from ..forms import EditPostForm, NoteForm, ReplyForm, ReplyPolicyForm
from ..responses import (
    add_service_error,
    back,
    is_htmx,
    parse_id,
    porch_errors,
    render_error,
    safe_next,
)

# Replies indent one step per level up to this depth; deeper ones line up with the last
# step and say whom they answer, so long threads stay readable on a phone.
INDENT_CAP = 3


def post_url(post) -> str:
    """Where a post is read: its own page, or its thread's page at the reply."""
    if post.root_id:
        return f"{reverse('web:post', args=[post.root_id])}#post-{post.pk}"
    return reverse("web:post", args=[post.pk])


def _thread_context(request, root, *, reply_to=None, reply_form=None, highlight=None, replies=None):
    viewer = request.user
    nodes, folded = thread_with_folds(viewer, root, replies)
    if root.is_deleted and not nodes and not folded:
        raise NotFound("No such post.")
    by_id = {node.post.pk: node.post for node in nodes + folded}
    for node in nodes + folded:
        node.indent = min(node.depth, INDENT_CAP)
        parent = by_id.get(node.post.parent_id)
        # Past the indent cap the layout no longer shows whom a reply answers: say it.
        node.answers = parent if node.depth >= INDENT_CAP and parent is not None else None
    prepare_cards(viewer, [root, *by_id.values()])
    reply_to = parse_id(reply_to)
    if reply_to not in by_id or by_id[reply_to].is_deleted:
        reply_to = root.pk if reply_to == root.pk else None
    refusal = reply_refusal(viewer, root) if viewer.is_authenticated else None
    can_reply = viewer.is_authenticated and refusal is None
    if reply_form is None and can_reply:
        reply_form = ReplyForm()
    return {
        "post": root,
        "nodes": nodes,
        "folded_nodes": folded,
        "folded_count": sum(1 for node in folded if not node.post.is_deleted),
        "reply_count": sum(1 for node in nodes + folded if not node.post.is_deleted),
        "reply_to": reply_to,
        "reply_form": reply_form,
        "root_form": reply_form if reply_to in (None, root.pk) else ReplyForm(),
        "can_reply": can_reply and not root.is_deleted,
        "reply_refusal": refusal,
        "thread_author": viewer.is_authenticated and root.author_id == viewer.pk,
        "highlight": highlight,
        "reply_to_folded": any(node.post.pk in (reply_to, highlight) for node in folded),
    }


def _render_thread(request, root, *, status=200, fragment=False, note_form=None, **kwargs):
    context = _thread_context(request, root, **kwargs)
    if not fragment:
        context["notes"] = notes_on(request.user, root)
        context["note_form"] = note_form or NoteForm()
        context["rating_values"] = RatingValue.choices
    template = "web/_thread.html" if fragment else "web/post_detail.html"
    return render(request, template, context, status=status)


@require_GET
@porch_errors
def post_detail(request, post_id):
    opened = read_thread(request.user, post_id)
    if opened.post.root_id:
        return redirect(post_url(opened.post))
    reply_to = request.GET.get("reply_to")
    if reply_to and not request.user.is_authenticated:
        return redirect(f"{reverse('web:login')}?next={request.path}")
    return _render_thread(request, opened.root, reply_to=reply_to, replies=opened.replies)


@login_required
@require_POST
@porch_errors
def reply(request, post_id):
    parent = access_post(request.user, post_id, allow_deleted=True)
    root = parent.root if parent.root_id else parent
    limits.check("reply", request, member=request.user)
    form = ReplyForm(request.POST)
    new = None
    if form.is_valid():
        try:
            new = do_reply(
                request.user,
                parent,
                text=form.cleaned_data["text"],
                idempotency_key=form.cleaned_data["idempotency_key"] or None,
                confirmed=form.cleaned_data["confirmed"],
            )
        except NeedsConfirmation as error:
            add_service_error(form, error)
            form.needs_confirmation = True
        except PorchError as error:
            if error.field is None and error.status != 400:
                messages.error(request, error.message)
                return redirect(post_url(parent))
            add_service_error(form, error)
    if new is None:
        return _render_thread(
            request,
            root,
            reply_to=parent.pk,
            reply_form=form,
            status=400,
            fragment=is_htmx(request),
        )
    if is_htmx(request):
        return _render_thread(request, root, fragment=True, highlight=new.pk)
    return redirect(post_url(new))


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def edit(request, post_id):
    post = access_own_post(request.user, post_id)
    status = 200
    if request.method == "POST":
        form = EditPostForm(request.POST)
        if form.is_valid():
            try:
                do_edit_post(request.user, post, text=form.cleaned_data["text"])
            except PorchError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, "Saved. The earlier version is kept in the post's history."
                )
                return redirect(post_url(post))
        status = 400
    else:
        form = EditPostForm(initial={"text": post.text})
    return render(request, "web/post_edit.html", {"post": post, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@porch_errors
def delete(request, post_id):
    """GET asks "are you sure?"; POST deletes."""
    post = access_own_post(request.user, post_id)
    if request.method == "GET":
        return render(request, "web/post_delete.html", {"post": post, "post_link": post_url(post)})
    limits.check("delete", request, member=request.user)
    do_delete_post(request.user, post)
    messages.success(request, "Deleted. Replies others wrote stay in the thread.")
    if post.root_id:
        return redirect(reverse("web:post", args=[post.root_id]))
    return redirect("web:home")


@login_required
@require_POST
@porch_errors
def react(request, post_id):
    post = access_post(request.user, post_id)
    kind = request.POST.get("kind", "")
    try:
        if kind:
            do_react(request.user, post, kind)
        else:
            do_unreact(request.user, post)
    except PorchError as error:
        if is_htmx(request):
            raise
        messages.error(request, error.message)
    if is_htmx(request):
        prepare_cards(request.user, [post])
        return render(
            request,
            "web/_reactions.html",
            {"item": post, "react_next": safe_next(request, post_url(post)).split("#")[0]},
        )
    return back(request, post_url(post))


@require_GET
@porch_errors
def history(request, post_id):
    post = access_post(request.user, post_id)
    return render(
        request,
        "web/post_history.html",
        {"post": post, "edits": edit_history(request.user, post), "post_link": post_url(post)},
    )


@login_required
@require_GET
@porch_errors
def reactions(request, post_id):
    post = access_post(request.user, post_id)
    summary = reactions_detail(request.user, post)
    return render(
        request,
        "web/post_reactions.html",
        {"post": post, "summary": summary, "post_link": post_url(post)},
    )


@login_required
@require_POST
@porch_errors
def reply_policy(request, post_id):
    """The author changes who may reply to their post."""
    post = access_own_post(request.user, post_id)
    form = ReplyPolicyForm(request.POST)
    form.is_valid()
    try:
        do_set_reply_policy(request.user, post, form.cleaned_data.get("reply_policy", ""))
    except PorchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Saved: who can reply to this post.")
    return redirect(post_url(post))


@login_required
@require_POST
@porch_errors
def hide(request, post_id):
    """``action`` = hide | unhide, on a reply in a thread the viewer started."""
    reply_ = access_post(request.user, post_id)
    action = request.POST.get("action", "")
    if action not in ("hide", "unhide"):
        return render_error(request, 400, "Choose hide or unhide.")
    try:
        (do_hide_reply if action == "hide" else do_unhide_reply)(request.user, reply_)
    except PorchError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Reply hidden: only its author and you see it now."
            if action == "hide"
            else "Reply shown again.",
        )
    return redirect(post_url(reply_))


@login_required
@require_POST
@porch_errors
def propose_note(request, post_id):
    post = access_post(request.user, post_id)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        do_propose_note(
            request.user,
            post.pk,
            text=form.cleaned_data.get("text", ""),
            source_url=form.cleaned_data.get("source_url", ""),
        )
    except PorchError as error:
        if error.field not in form.fields:
            raise  # not about what was typed: its own page
        add_service_error(form, error)
        return _render_thread(request, post, status=error.status, note_form=form)
    messages.success(
        request,
        "Thank you: your note waits for ratings. It is shown once people who usually "
        "disagree both find it helpful.",
    )
    return redirect(f"{reverse('web:post', args=[post.pk])}#notes")


@login_required
@require_POST
@porch_errors
def rate_note(request, note_id):
    rating = do_rate_note(request.user, note_id, request.POST.get("value", ""))
    messages.success(request, f"You rated the note “{rating.get_value_display()}”.")
    return redirect(f"{reverse('web:post', args=[rating.note.post_id])}#note-{note_id}")


@login_required
@require_POST
@porch_errors
def delete_note(request, note_id):
    post_id = do_delete_note(request.user, note_id).post_id
    messages.success(request, "Your note is deleted.")
    return redirect(f"{reverse('web:post', args=[post_id])}#notes")


@login_required
@require_GET
@porch_errors
def notes_to_rate(request):
    """Community notes waiting for ratings, on public posts the member can see."""
    from porch.notes.services import notes_to_rate as waiting

    notes = list(waiting(request.user)[:50])
    for note in notes:
        note.my_rating, note.mine = None, False
    return render(
        request,
        "web/notes_to_rate.html",
        {"notes": notes, "rating_values": RatingValue.choices},
    )
