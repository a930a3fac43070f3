"""Template context every page gets: site name, unread count, pending requests."""

from porch.accounts.models import SiteSettings
from porch.graph.services import incoming_requests
from porch.moderation.services import is_moderator, open_case_count
from porch.notifications.services import unread_count
from porch.posts.models import ReplyPolicy


def porch(request):
    context = {"site": SiteSettings.current(), "reply_policies": ReplyPolicy.choices}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = unread_count(user)
        context["pending_requests"] = incoming_requests(user).count()
        context["moderator"] = is_moderator(user)
        if context["moderator"]:
            context["open_cases"] = open_case_count()
    return context
