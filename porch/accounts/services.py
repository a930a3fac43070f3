"""Everything that changes a member's account happens here.

``check_*`` validates, ``access_*`` fetches with the permission check, ``do_*`` writes
in a transaction. Views and API handlers call these and nothing else.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from porch.compiled import TEXT, CompiledQuery
from porch.errors import Conflict, InvalidInput, NotAllowed, NotFound, check_no_nul
from porch.graph.blocks import is_blocked_between

from .models import (
    BIO_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    AccessToken,
    Invite,
    InviteUse,
    Member,
    SignupMode,
    SiteSettings,
    hash_token,
)
from .validators import username_validator, validate_not_reserved

INVITE_DAYS_LIMIT = 90
TOKENS_PER_MEMBER_LIMIT = 20
EMAIL_MAX_LENGTH = 254


def _first_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def check_username(username: str) -> str:
    username = (username or "").strip()
    try:
        username_validator(username)
        validate_not_reserved(username)
    except ValidationError as error:
        raise InvalidInput(_first_message(error), field="username") from None
    if Member.objects.filter(username__iexact=username).exists():
        raise Conflict("That username is taken.", field="username")
    return username


def check_password(password: str, member: Member | None = None, field: str = "password") -> None:
    try:
        password_validation.validate_password(password or "", member)
    except ValidationError as error:
        raise InvalidInput(_first_message(error), field=field) from None


def check_profile_text(display_name: str, bio: str) -> tuple[str, str]:
    display_name = check_no_nul((display_name or "").strip(), "display_name")
    bio = check_no_nul((bio or "").strip(), "bio")
    if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise InvalidInput(
            f"Display name: use at most {DISPLAY_NAME_MAX_LENGTH} characters.",
            field="display_name",
        )
    if len(bio) > BIO_MAX_LENGTH:
        raise InvalidInput(f"Bio: use at most {BIO_MAX_LENGTH} characters.", field="bio")
    return display_name, bio


def _invite_code_shape(code: str | None) -> str:
    code = code or ""
    return code if len(code) <= 32 and "\x00" not in code else ""


def check_invite(code: str | None) -> Invite:
    invite = (
        Invite.objects.filter(code=_invite_code_shape(code)).select_related("created_by").first()
    )
    if invite is None or not invite.is_usable or not invite.created_by.is_active:
        raise InvalidInput("This invite link is not valid any more.", field="invite")
    return invite


def signup_mode() -> str:
    return SiteSettings.current().signup_mode


def do_signup(
    *,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    invite_code: str | None = None,
) -> Member:
    """Create a member, honouring the host's sign-up mode; record who invited whom."""
    mode = signup_mode()
    if mode == SignupMode.CLOSED:
        raise NotAllowed("Sign-up is closed on this server.")
    if mode == SignupMode.INVITE and not invite_code:
        raise NotAllowed("You need an invite link to join this server.", field="invite")
    username = check_username(username)
    display_name, _ = check_profile_text(display_name, "")
    email = (email or "").strip()
    if len(email) > EMAIL_MAX_LENGTH:
        raise InvalidInput("That email address is too long.", field="email")
    check_password(password, Member(username=username, email=email, display_name=display_name))
    with transaction.atomic():
        invite = check_invite(invite_code) if invite_code else None
        if invite is not None:
            # Count the use with a guarded UPDATE so two sign-ups cannot both take the last one.
            taken = Invite.objects.filter(pk=invite.pk, uses__lt=F("max_uses")).update(
                uses=F("uses") + 1
            )
            if not taken:
                raise InvalidInput("This invite link is not valid any more.", field="invite")
        try:
            member = Member.objects.create_user(
                username=username,
                password=password,
                email=email,
                display_name=display_name,
                invited_by=invite.created_by if invite else None,
            )
        except IntegrityError:
            raise Conflict("That username is taken.", field="username") from None
        if invite is not None:
            InviteUse.objects.create(invite=invite, member=member)
    return member


def do_create_admin(*, username: str, password: str, email: str = "") -> Member:
    username = check_username(username)
    check_password(password, Member(username=username, email=email))
    with transaction.atomic():
        return Member.objects.create_superuser(username=username, password=password, email=email)


def do_update_profile(
    member: Member, *, display_name: str, bio: str, is_public_profile: bool
) -> Member:
    display_name, bio = check_profile_text(display_name, bio)
    with transaction.atomic():
        member.display_name = display_name
        member.bio = bio
        member.is_public_profile = bool(is_public_profile)
        member.save(update_fields=["display_name", "bio", "is_public_profile"])
        if not member.is_public_profile:
            # Follows exist only for public profiles: going private ends them.
            member.followers.all().delete()
    return member


def do_change_password(member: Member, *, old_password: str, new_password: str) -> None:
    if not member.check_password(old_password or ""):
        raise InvalidInput("Your current password is not right.", field="old_password")
    check_password(new_password, member, field="new_password")
    with transaction.atomic():
        member.set_password(new_password)
        member.save(update_fields=["password"])


def do_create_invite(member: Member, *, max_uses: int = 5, days: int = 14) -> Invite:
    if not member.is_active:
        raise NotAllowed("Your account cannot invite people.")
    if signup_mode() == SignupMode.CLOSED:
        raise NotAllowed("Sign-up is closed on this server, so invites cannot be used.")
    if not 1 <= max_uses <= Invite.MAX_USES_LIMIT:
        raise InvalidInput(
            f"An invite can be used 1 to {Invite.MAX_USES_LIMIT} times.", field="max_uses"
        )
    if not 1 <= days <= INVITE_DAYS_LIMIT:
        raise InvalidInput(f"An invite can last 1 to {INVITE_DAYS_LIMIT} days.", field="days")
    return Invite.objects.create(
        created_by=member, max_uses=max_uses, expires_at=timezone.now() + timedelta(days=days)
    )


def do_revoke_invite(member: Member, code: str) -> Invite:
    invite = Invite.objects.filter(created_by=member, code=_invite_code_shape(code)).first()
    if invite is None:
        raise NotFound("No such invite.")
    invite.revoked = True
    invite.save(update_fields=["revoked"])
    return invite


def do_create_token(member: Member, name: str) -> tuple[AccessToken, str]:
    """A new personal access token; the raw token is returned once and never stored."""
    name = check_no_nul((name or "").strip(), "name")
    if not name:
        raise InvalidInput("Give the token a name, such as the app that will use it.", field="name")
    if len(name) > AccessToken.NAME_MAX_LENGTH:
        raise InvalidInput(
            f"Token name: use at most {AccessToken.NAME_MAX_LENGTH} characters.", field="name"
        )
    if member.tokens.count() >= TOKENS_PER_MEMBER_LIMIT:
        raise Conflict(f"You can have at most {TOKENS_PER_MEMBER_LIMIT} tokens; revoke one first.")
    raw = AccessToken.new_raw_token()
    token = AccessToken.objects.create(
        member=member, name=name, digest=hash_token(raw), hint=raw[: len(AccessToken.PREFIX) + 4]
    )
    return token, raw


def tokens_of(member: Member):
    """The member's API tokens, newest first (digests and hints only)."""
    return AccessToken.objects.filter(member=member).order_by("-created_at")


def invites_of(member: Member):
    """The invites the member made, newest first."""
    return Invite.objects.filter(created_by=member).order_by("-created_at")


def do_revoke_token(member: Member, token_id: int) -> None:
    deleted, _ = AccessToken.objects.filter(member=member, pk=token_id).delete()
    if not deleted:
        raise NotFound("No such token.")


def _token(digest: str):
    return AccessToken.objects.filter(digest=digest, member__is_active=True).select_related(
        "member"
    )[:1]


# Asked on every API request: built and compiled once (decisions.md, 36).
_TOKEN = CompiledQuery(_token, digest=TEXT)


def member_for_token(raw: str) -> Member | None:
    """The active member a bearer token belongs to, or None."""
    if not raw or not raw.startswith(AccessToken.PREFIX) or len(raw) > 100:
        return None
    found = _TOKEN.rows(digest=hash_token(raw))
    if not found:
        return None
    token = found[0]
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.member


def member_named(username: str, *, suspended_too: bool = False) -> Member:
    """The active member called ``username`` (any case), with no permission check: for
    a member's own lists (whom they blocked), never to show a profile. With
    ``suspended_too``, a member a moderator suspended is found as well (for moderators)."""
    if not username or "\x00" in username or len(username) > Member.username.field.max_length:
        raise NotFound("No such member.")
    found = (
        Q(is_active=True) | Q(suspended_at__isnull=False) if suspended_too else Q(is_active=True)
    )
    member = Member.objects.filter(found, username__iexact=username).first()
    if member is None:
        raise NotFound("No such member.")
    return member


def access_member(viewer, username: str) -> Member:
    """The active member called ``username`` if ``viewer`` may see their profile.

    Logged-in members may see every member's profile except across a block (either
    way: it is "no such member" to both); visitors only public profiles.
    """
    member = member_named(username)
    if not (viewer and viewer.is_authenticated) and not member.is_public_profile:
        raise NotFound("No such member.")
    signed_in = viewer and viewer.is_authenticated
    if signed_in and member.pk != viewer.pk and is_blocked_between(viewer, member):
        raise NotFound("No such member.")
    return member
