"""The errors domain services raise; the web and API layers turn them into responses.

Each carries a message meant for the member, and maps to one HTTP status.
"""

from __future__ import annotations


class PorchError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(PorchError):
    status = 400
    code = "invalid"


class NotAllowed(PorchError):
    status = 403
    code = "forbidden"


class NotFound(PorchError):
    """Also raised for things that exist but the viewer may not see: no existence leaks."""

    status = 404
    code = "not_found"


class Conflict(PorchError):
    status = 409
    code = "conflict"


class NeedsConfirmation(PorchError):
    """The action is allowed, but Porch asks the member to confirm it first (sending
    the same request again with ``confirmed``)."""

    status = 409
    code = "confirm_needed"


def check_no_nul(value: str, field: str) -> str:
    """Refuse text holding a NUL character: PostgreSQL cannot store it, and no person types it."""
    if "\x00" in value:
        raise InvalidInput("Text cannot contain NUL characters.", field=field)
    return value


def check_text(value: str | None, field: str, max_length: int, *, required: str = "") -> str:
    """Text as typed, trimmed: no NUL, at most ``max_length`` characters, and not empty
    when ``required`` (the message to give then)."""
    text = check_no_nul((value or "").strip(), field)
    if required and not text:
        raise InvalidInput(required, field=field)
    if len(text) > max_length:
        raise InvalidInput(
            f"Keep it under {max_length:,} characters (this is {len(text):,}).", field=field
        )
    return text
