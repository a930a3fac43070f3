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
