"""Who is calling: a personal access token, or the browser's Django session (with CSRF).

``MEMBER_AUTH`` is the API's default: one of the two is required. ``VISITOR_AUTH`` is for
the reads a logged-out visitor may make too; there the viewer is an ``AnonymousUser``
and the services' visibility rule decides what they see.
"""

from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from porch import limits
from porch.accounts.services import member_for_token

LOG_IN_FIRST = "Log in, or send an API token as 'Authorization: Bearer porch_…'."
BAD_TOKEN = "That API token is not valid: it may have been revoked. Create a new one."  # noqa: S105 (a message)


class BearerToken(HttpBearer):
    """``Authorization: Bearer porch_…``, a token from Settings → Tokens or POST /auth/tokens.

    A token that is sent but not valid is refused outright (401), never ignored.
    """

    def authenticate(self, request, token):
        member = member_for_token(token)
        if member is None:
            raise AuthenticationError(message=BAD_TOKEN)
        limits.check("api_token", request, token=token)
        return member


class BrowserSession(SessionAuth):
    """The member logged in to the web pages. Django's CSRF check applies to every
    state-changing request (send the ``csrftoken`` cookie's value as ``X-CSRFToken``).

    Without a logged-in session this scheme steps aside, so a caller with neither a
    session nor a token gets 401, not a CSRF error.
    """

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


class Visitor:
    """The fallback for reads open to everyone: a logged-out visitor."""

    def __call__(self, request):
        return AnonymousUser()


bearer_token = BearerToken()
browser_session = BrowserSession(csrf=True)

MEMBER_AUTH = [bearer_token, browser_session]
VISITOR_AUTH = [bearer_token, browser_session, Visitor()]

# For VISITOR_AUTH operations: ninja lists both schemes in the OpenAPI document, and
# this adds the empty requirement that says "or none" (ninja extends the list).
VISITOR_SECURITY = {"security": [{}]}
