"""Validators for member-supplied account data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

USERNAME_MAX_LENGTH = 30
PASSWORD_MAX_LENGTH = 128

username_validator = RegexValidator(
    regex=r"^[A-Za-z0-9_]{2,30}\Z",
    message="Use 2 to 30 letters, digits or underscores.",
    code="invalid_username",
)

# Names that would clash with pages or confuse members.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "api",
        "static",
        "media",
        "settings",
        "login",
        "logout",
        "signup",
        "porch",
        "root",
        "support",
        "help",
        "about",
        "healthz",
        "notifications",
    }
)


def validate_not_reserved(value: str) -> None:
    if value.lower() in RESERVED_USERNAMES:
        raise ValidationError("That username is reserved.", code="reserved_username")


class MaximumLengthValidator:
    """Passwords of up to 128 characters; longer ones are refused, not truncated."""

    def validate(self, password: str, user=None) -> None:
        if len(password) > PASSWORD_MAX_LENGTH:
            raise ValidationError(
                f"Use at most {PASSWORD_MAX_LENGTH} characters.", code="password_too_long"
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {PASSWORD_MAX_LENGTH} characters long."
