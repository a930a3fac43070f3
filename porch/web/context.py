"""Template context every page gets: site name, unread count, pending requests."""

from porch.accounts.models import SiteSettings
from porch.graph.services import incoming_requests
from porch.notifications.services import unread_count


def porch(request):
    context = {"site": SiteSettings.current()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = unread_count(user)
        context["pending_requests"] = incoming_requests(user).count()
    return context
