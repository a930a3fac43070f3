"""Tokens, sign-up, the caller's own profile, and invites."""

from django.contrib.auth import authenticate
from ninja import Router, Status
from ninja.errors import AuthenticationError

from porch import limits
from porch.accounts import services as accounts

from .rendering import invite_json, me_json
from .schemas import (
    InviteCode,
    InviteIn,
    InviteList,
    InviteOut,
    MeOut,
    ProfilePatch,
    SignupIn,
    TokenId,
    TokenIn,
    TokenInfoOut,
    TokenOut,
    errors,
)

router = Router(tags=["accounts"])

WRONG_LOGIN = "That username and password do not match."


@router.post("/auth/tokens", auth=None, response={201: TokenOut, **errors(400, 401, 409, 429)})
def create_token(request, payload: TokenIn):
    """Exchange a username and password for a personal access token (shown once)."""
    limits.check_login(request, payload.username)
    member = authenticate(request, username=payload.username, password=payload.password)
    if member is None:
        limits.login_failed(request, payload.username)
        # The same answer whether or not the account exists.
        raise AuthenticationError(message=WRONG_LOGIN)
    token, raw = accounts.do_create_token(member, payload.name)
    return Status(201, {"token": raw, "id": token.pk, "name": token.name})


@router.get("/auth/tokens", response={200: list[TokenInfoOut], **errors(401)})
def list_tokens(request):
    """Your tokens (never the tokens themselves, only a hint of each)."""
    return list(accounts.tokens_of(request.auth))


@router.delete("/auth/tokens/{token_id}", response={204: None, **errors(400, 401, 404)})
def revoke_token(request, token_id: TokenId):
    """Revoke one of your tokens; requests with it get 401 from then on."""
    accounts.do_revoke_token(request.auth, token_id)
    return Status(204, None)


@router.post("/accounts", auth=None, response={201: MeOut, **errors(400, 403, 409, 429)})
def sign_up(request, payload: SignupIn):
    """Join this server (open sign-up, or with an invite code when it is invite-only)."""
    limits.check("signup", request)
    member = accounts.do_signup(
        username=payload.username,
        password=payload.password,
        display_name=payload.display_name,
        email=payload.email,
        invite_code=payload.invite,
    )
    return Status(201, me_json(request, member))


@router.get("/me", response={200: MeOut, **errors(401)})
def me(request):
    return me_json(request, request.auth)


@router.patch("/me", response={200: MeOut, **errors(400, 401)})
def update_me(request, payload: ProfilePatch):
    """Change your profile; fields left out (or null) keep their value."""
    member = request.auth
    member = accounts.do_update_profile(
        member,
        display_name=member.display_name if payload.display_name is None else payload.display_name,
        bio=member.bio if payload.bio is None else payload.bio,
        is_public_profile=member.is_public_profile
        if payload.is_public_profile is None
        else payload.is_public_profile,
    )
    return me_json(request, member)


@router.get("/invites", response={200: InviteList, **errors(401)})
def list_invites(request):
    invites = accounts.invites_of(request.auth)
    return {"items": [invite_json(request, invite) for invite in invites]}


@router.post("/invites", response={201: InviteOut, **errors(400, 401, 403)})
def create_invite(request, payload: InviteIn):
    """A link that lets someone join; it works max_uses times within days days."""
    invite = accounts.do_create_invite(request.auth, max_uses=payload.max_uses, days=payload.days)
    return Status(201, invite_json(request, invite))


@router.delete("/invites/{code}", response={204: None, **errors(400, 401, 404)})
def revoke_invite(request, code: InviteCode):
    accounts.do_revoke_invite(request.auth, code)
    return Status(204, None)
