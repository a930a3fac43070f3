"""How the web layer answers: error pages, service errors on forms, safe redirects, htmx.

Services raise ``PorchError`` (``porch.errors``); this module turns one into what a
person sees: a form error next to the field, a message after a redirect, or an error
page with the right status (an invisible post is a 404, exactly like a missing one).
"""

from __future__ import annotations

import functools

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from porch.errors import PorchError
from porch.id_lists import is_id
from porch.limits import RateLimited

ERROR_TEMPLATES = {400: "400.html", 403: "403.html", 404: "404.html", 409: "web/409.html"}


def is_htmx(request) -> bool:
    """True for requests htmx sent (it sets ``HX-Request: true``), but not history restores."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def error_page(request, error: PorchError):
    """A service's error as its page (429s say when to come back)."""
    response = render_error(request, error.status, error.message)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def render_error(request, status: int, message: str = ""):
    template = ERROR_TEMPLATES.get(status, "400.html")
    return render(request, template, {"message": message}, status=status)


def porch_errors(view):
    """Answer a ``PorchError`` the view did not handle with its error page and status."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PorchError as error:
            return error_page(request, error)

    return wrapper


def add_service_error(form, error: PorchError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's error on the form: beside its field when the form has one."""
    field = (aliases or {}).get(error.field or "", error.field)
    if field and field in form.fields:
        form.add_error(field, error.message)
    else:
        form.add_error(None, error.message)


def safe_next(request, default: str) -> str:
    """The ``next`` the form carried, if it points back into this site; else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def parse_id(raw) -> int | None:
    """A database id from text, or None: never an overflow deeper down."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if is_id(value) else None


def back(request, default: str):
    """Redirect to where the person came from (``next``), or ``default``."""
    return redirect(safe_next(request, default))
