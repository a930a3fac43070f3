"""Every API error is JSON ``{"detail": …, "code": …, "field": …}`` with a 4xx status.

``detail`` is a sentence for a person, ``code`` is for programs, ``field`` names the
request field at fault (or is null). Input that does not fit the schema is 400
``invalid``, like input a service refuses, so clients handle one status for bad input.
"""

import logging

from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError

from porch.errors import PorchError
from porch.limits import RateLimited

from .auth import LOG_IN_FIRST
from .schemas import BodyNotAnObject

logger = logging.getLogger("porch.api")

CODES_BY_STATUS = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "rate_limited",
}


def error_body(detail: str, code: str, field: str | None = None) -> dict:
    return {"detail": detail, "code": code, "field": field}


def _describe(error: dict) -> tuple[str, str | None]:
    """One pydantic error as (sentence, field)."""
    source, *rest = error.get("loc") or ("request",)
    if source == "body":
        rest = rest[1:]  # drop the handler's parameter name
    kind = error.get("type", "")
    if source == "body" and not rest:
        if kind == "missing":
            return "Send a JSON object in the request body.", None
        return "The request body must be a JSON object.", None
    field = str(rest[0]) if rest else None
    label = ".".join(str(part) for part in rest) or str(source)
    if kind == "missing":
        return f"{label}: this field is required.", field
    if kind == "string_pattern_mismatch":
        return f"{label}: not in the expected format.", field
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{label}: {message.rstrip('.')}.", field


def _validation_error(api, request, exc: ValidationError):
    described = [_describe(error) for error in exc.errors]
    detail = " ".join(sentence for sentence, _ in described) or "The request is not valid."
    field = described[0][1] if described else None
    return api.create_response(request, error_body(detail, "invalid", field), status=400)


def _porch_error(api, request, exc: PorchError):
    response = api.create_response(
        request, error_body(exc.message, exc.code, exc.field), status=exc.status
    )
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _authentication_error(api, request, exc: AuthenticationError):
    detail = exc.message if exc.message != "Unauthorized" else LOG_IN_FIRST
    response = api.create_response(
        request, error_body(detail, "unauthenticated"), status=exc.status_code
    )
    response["WWW-Authenticate"] = 'Bearer realm="porch"'
    return response


def _http_error(api, request, exc: HttpError):
    status = exc.status_code
    code = CODES_BY_STATUS.get(status, "error")
    detail = exc.message
    if status == 400 and isinstance(exc.__cause__, BodyNotAnObject):
        detail = str(exc.__cause__)
    elif status == 400 and isinstance(exc.__cause__, ValueError):
        # ninja's "Cannot parse request body": the JSON (or its UTF-8) is broken.
        detail = "The request body is not valid JSON."
    elif status == 403 and "CSRF" in exc.message:
        code = "csrf_failed"
        detail = (
            "CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken header, "
            "or use an API token instead of the browser session."
        )
    return api.create_response(request, error_body(detail, code), status=status)


def _not_found(api, request, exc: Http404):
    return api.create_response(request, error_body("Not found.", "not_found"), status=404)


def _unexpected(api, request, exc: Exception):
    """A bug: log it with its traceback and answer JSON, not an HTML page."""
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    body = error_body("Something went wrong on the server; it has been logged.", "server_error")
    return api.create_response(request, body, status=500)


def register(api) -> None:
    handlers = [
        (PorchError, _porch_error),
        (ValidationError, _validation_error),
        (AuthenticationError, _authentication_error),
        (HttpError, _http_error),
        (Http404, _not_found),
        (Exception, _unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(
            exc_class,
            lambda request, exc, handler=handler: handler(api, request, exc),
        )
