"""The shapes of the API's requests and responses (pydantic v2 through ninja's ``Schema``).

Length and count limits come from the models and services, so the OpenAPI document
states the same limits the services enforce. Schemas parse; they decide nothing.
"""

from datetime import UTC, datetime
from typing import Annotated

from ninja import Header, Path, Query, Schema
from ninja.parser import Parser
from pydantic import AfterValidator, AwareDatetime, Field

from porch.accounts.models import (
    BIO_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    AccessToken,
    Invite,
)
from porch.accounts.services import EMAIL_MAX_LENGTH, INVITE_DAYS_LIMIT
from porch.accounts.validators import PASSWORD_MAX_LENGTH, USERNAME_MAX_LENGTH
from porch.feed.cursors import PAGE_SIZE_LIMIT
from porch.feed.models import FeedOrder
from porch.graph.models import CIRCLE_NAME_MAX_LENGTH
from porch.id_lists import BIGGEST_ID
from porch.moderation.models import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, ReportReason
from porch.notes.models import (
    NOTE_TEXT_MAX_LENGTH,
    SOURCE_URL_MAX_LENGTH,
    NoteStatus,
    RatingValue,
)
from porch.posts.models import (
    POST_CIRCLES_LIMIT,
    POST_MAX_LENGTH,
    Audience,
    ReactionKind,
    ReplyPolicy,
)
from porch.posts.services import IDEMPOTENCY_KEY_MAX_LENGTH

MAX_ID = BIGGEST_ID
INVITE_CODE_MAX_LENGTH = Invite._meta.get_field("code").max_length
CURSOR_MAX_LENGTH = 40


def _storable_text(value: str) -> str:
    """Text a database can hold: no NUL characters, no lone UTF-16 surrogates."""
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode") from None
    return value


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("That date is out of range") from None


def Text(max_length: int) -> type[str]:
    return Annotated[str, Field(max_length=max_length), AfterValidator(_storable_text)]  # type: ignore[return-value]


Timestamp = Annotated[AwareDatetime, AfterValidator(_utc)]
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


class BodyNotAnObject(ValueError):
    pass


class JSONObjectParser(Parser):
    """Request bodies are JSON objects; anything else is refused before validation."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotAnObject("The request body must be a JSON object.")
        return data


# --- Path and query parameters ------------------------------------------------------
PostId = Annotated[int, Path(ge=1, le=MAX_ID, description="A post's id")]
CircleId = Annotated[int, Path(ge=1, le=MAX_ID, description="One of your circles' ids")]
NotificationId = Annotated[int, Path(ge=1, le=MAX_ID, description="A notification's id")]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="One of your tokens' ids")]
Username = Annotated[
    str,
    Path(max_length=USERNAME_MAX_LENGTH, description="A member's username (any case)"),
    AfterValidator(_storable_text),
]
InviteCode = Annotated[
    str,
    Path(max_length=INVITE_CODE_MAX_LENGTH, description="An invite's code"),
    AfterValidator(_storable_text),
]
PageCursor = Annotated[
    str | None,
    Query(
        description="`next_cursor` from the previous page; omit for the first page",
        # "<microseconds>.<id>", with "r" (ranked) or "o" (older, past the ranked posts)
        # in front: bounded so a forged cursor cannot overflow a 64-bit column.
        pattern=r"^[ro]?\d{1,17}\.\d{1,18}$",
        max_length=CURSOR_MAX_LENGTH,
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=IDEMPOTENCY_KEY_MAX_LENGTH,
        description="Any unique string up to 64 characters; a retry with the same key "
        "returns what the first request made instead of posting twice",
    ),
]
PageLimit = Annotated[
    int, Query(ge=1, le=PAGE_SIZE_LIMIT, description=f"How many items, 1 to {PAGE_SIZE_LIMIT}")
]


# --- Errors ---------------------------------------------------------------------------
class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, written for a person")
    code: str = Field(
        description="invalid, unauthenticated, csrf_failed, forbidden, not_found, conflict, ..."
    )
    field: str | None = Field(description="The request field at fault, when there is one")


# --- Accounts and tokens --------------------------------------------------------------
class TokenIn(Schema):
    username: Text(USERNAME_MAX_LENGTH)
    password: Text(PASSWORD_MAX_LENGTH)
    name: Text(AccessToken.NAME_MAX_LENGTH) = Field(
        description="What the token is for, e.g. the app that will use it"
    )


class TokenOut(Schema):
    token: str = Field(description="The token itself; shown once, never again")
    id: int
    name: str


class TokenInfoOut(Schema):
    id: int
    name: str
    hint: str = Field(description="The token's first characters, to recognise it")
    created_at: datetime
    last_used_at: datetime | None


class SignupIn(Schema):
    username: Text(USERNAME_MAX_LENGTH)
    password: Text(PASSWORD_MAX_LENGTH)
    display_name: Text(DISPLAY_NAME_MAX_LENGTH) = ""
    email: Text(EMAIL_MAX_LENGTH) = ""
    invite: Text(INVITE_CODE_MAX_LENGTH) | None = Field(
        None, description="An invite code; needed when the server is invite-only"
    )


class ProfilePatch(Schema):
    display_name: Text(DISPLAY_NAME_MAX_LENGTH) | None = None
    bio: Text(BIO_MAX_LENGTH) | None = None
    is_public_profile: bool | None = None


class MemberRef(Schema):
    username: str
    display_name: str


class MeOut(Schema):
    username: str
    display_name: str
    bio: str
    is_public_profile: bool
    email: str
    url: str


class MemberOut(Schema):
    username: str
    display_name: str
    bio: str
    is_public_profile: bool
    url: str
    relationship: str | None = Field(
        description="self, friends, request_sent, request_received or none; "
        "null for a visitor who is not logged in"
    )
    is_following: bool | None = Field(description="null for a visitor who is not logged in")
    is_muted: bool | None = Field(
        None, description="whether you muted them; null for a visitor who is not logged in"
    )


class InviteIn(Schema):
    max_uses: int = Field(5, ge=1, le=Invite.MAX_USES_LIMIT)
    days: int = Field(14, ge=1, le=INVITE_DAYS_LIMIT)


class InviteOut(Schema):
    code: str
    url: str
    max_uses: int
    uses: int
    expires_at: datetime
    revoked: bool
    is_usable: bool
    created_at: datetime


class InviteList(Schema):
    items: list[InviteOut]


# --- Posts ------------------------------------------------------------------------------
class PostIn(Schema):
    text: Text(POST_MAX_LENGTH)
    audience: Audience
    circles: list[RowId] = Field(
        default_factory=list,
        max_length=POST_CIRCLES_LIMIT,
        description="Ids of your circles; only with audience `circles`",
    )
    reply_policy: ReplyPolicy = Field(
        ReplyPolicy.EVERYONE, description="Who may reply: everyone who can see it by default"
    )


class TextIn(Schema):
    text: Text(POST_MAX_LENGTH)


class ReplyIn(Schema):
    text: Text(POST_MAX_LENGTH)
    confirmed: bool = Field(
        False,
        description="Send true to post a reply Porch asked you to confirm (409 confirm_needed)",
    )


class PostPatchIn(Schema):
    text: Text(POST_MAX_LENGTH) | None = Field(None, description="New text (kept in history)")
    reply_policy: ReplyPolicy | None = Field(None, description="First posts only")


class ReactionIn(Schema):
    kind: ReactionKind


class CircleRef(Schema):
    id: int
    name: str


class ReactionsOut(Schema):
    mine: ReactionKind | None = Field(description="Your own reaction, if any")
    counts: dict[ReactionKind, int] | None = Field(
        description="Per kind; null unless you wrote the post or the host shows counts"
    )
    total: int | None = Field(description="null whenever counts is null")


class FilteredOut(Schema):
    phrase: str
    action: str = Field(description="hide or warn")


# --- Community notes -------------------------------------------------------------------
class NoteIn(Schema):
    text: Text(NOTE_TEXT_MAX_LENGTH) = Field(description="The context readers need")
    source_url: Text(SOURCE_URL_MAX_LENGTH) = Field(description="An http(s) link to a source")


class NoteRatingIn(Schema):
    value: RatingValue


class NoteOut(Schema):
    id: int
    post_id: int
    text: str
    source_url: str
    status: NoteStatus = Field(
        description="helpful (shown under the post), needs_more_ratings or not_helpful"
    )
    created_at: datetime
    mine: bool = Field(description="Whether you wrote it (nobody else is told who did)")
    my_rating: RatingValue | None


class PostOut(Schema):
    id: int
    author: MemberRef
    text: str = Field(description="Markdown as written; empty once deleted")
    html: str = Field(description="Safe HTML rendered from text")
    audience: Audience = Field(description="A reply shows its thread's audience")
    circles: list[CircleRef] | None = Field(
        None, description="Present only for the post's author, when shared with circles"
    )
    created_at: datetime
    edited_at: datetime | None
    deleted: bool = Field(description="A deleted reply stays as a marker when answered")
    parent_id: int | None
    root_id: int | None
    reply_count: int | None = Field(description="Replies in the thread; null on a reply")
    reactions: ReactionsOut
    url: str
    reply_policy: ReplyPolicy | None = Field(description="Who may reply; null on a reply")
    can_reply: bool = Field(description="Whether you may reply to this post or reply")
    hidden: bool = Field(
        description="A reply the thread's author hid (only its author and they see it)"
    )
    note: NoteOut | None = Field(
        description="The community note shown under a public first post, if one is"
    )
    filtered: FilteredOut | None = Field(
        description="Your keyword filter this trips, if any: show it behind a warning "
        "(lists leave out the ones you chose to hide)"
    )


class ThreadReplyOut(PostOut):
    depth: int = Field(description="0 for a direct reply to the root post")
    folded: bool = Field(
        description="A reply by someone outside your network whose trust is low: listed "
        "last (its branch from depth 0); show it folded, behind a tap"
    )


class ThreadOut(Schema):
    root: PostOut
    replies: list[ThreadReplyOut] = Field(description="Depth first, oldest first per branch")


class PostPage(Schema):
    items: list[PostOut]
    next_cursor: str | None


class FeedItemOut(PostOut):
    why_shown: list[str] = Field(
        description="Why this post is here, in plain words: in conversation order the "
        "parts its score was added up from, largest first, each with its value"
    )


class FeedOut(Schema):
    order: FeedOrder = Field(description="The order this page was built in")
    items: list[FeedItemOut]
    next_cursor: str | None
    new_count: int | None = Field(
        description="How many items at the top of this page are new since you last looked; "
        "the caught-up marker goes after them. null: the marker is not on this page"
    )


class FeedSeenIn(Schema):
    up_to: Timestamp | None = Field(
        None,
        description="created_at of the newest feed post the client displayed (with time "
        "zone); moves the chronological caught-up marker",
    )
    post_ids: list[RowId] = Field(
        default_factory=list,
        max_length=PAGE_SIZE_LIMIT,
        description="Feed posts the client displayed: they sink in conversation order. "
        "Ids that are not in your feed are ignored",
    )


class FeedSeenOut(Schema):
    feed_seen_at: datetime | None
    marked: int = Field(description="How many of post_ids were feed posts, now seen")


class SliderOut(Schema):
    name: str
    label: str
    help: str
    minimum: float
    maximum: float
    step: float
    integer: bool


class PresetOut(Schema):
    key: str
    label: str
    description: str
    weights: dict[str, float] = Field(description="The weights this preset sets")


class FeedSettingsOut(Schema):
    order: FeedOrder
    preset: str | None = Field(description="The preset your weights match; null: your own mix")
    weights: dict[str, float] = Field(description="Every weight in force")
    defaults: dict[str, float] = Field(description="Porch's default for every weight")
    sliders: list[SliderOut]
    presets: list[PresetOut]


class FeedSettingsPatch(Schema):
    order: FeedOrder | None = None
    preset: str | None = Field(
        None, max_length=20, description="Apply a preset; replaces every weight"
    )
    weights: dict[str, float] | None = Field(
        None,
        max_length=40,
        description="Weights to change (the rest keep their value); not with preset",
    )


class ReactorOut(Schema):
    member: MemberRef
    kind: ReactionKind


class ReactionsDetailOut(ReactionsOut):
    who: list[ReactorOut]


class EditOut(Schema):
    text: str
    html: str
    written_at: datetime
    replaced_at: datetime


class HistoryOut(Schema):
    items: list[EditOut] = Field(description="Earlier versions, newest first")


# --- Friends, follows, circles ------------------------------------------------------
class UsernameIn(Schema):
    username: Text(USERNAME_MAX_LENGTH)


class FriendsOut(Schema):
    friends: list[MemberRef]
    following: list[MemberRef]


class FilterIn(Schema):
    phrase: str = Field(description="A word or phrase; matched on whole words, any case")
    action: str = Field("warn", description="hide or warn")
    expires_in_days: int | None = Field(None, description="1, 7, 30 or 365; null: never")


class FilterOut(Schema):
    id: int
    phrase: str
    action: str
    expires_at: datetime | None
    created_at: datetime


class BlocksOut(Schema):
    blocked: list[MemberRef]
    muted: list[MemberRef]


class FriendRequestOut(Schema):
    member: MemberRef
    created_at: datetime


class FriendRequestsOut(Schema):
    incoming: list[FriendRequestOut]
    outgoing: list[FriendRequestOut]


class FriendRequestResult(Schema):
    status: str = Field(
        description="`requested`, or `accepted` when they had already asked you (now friends)"
    )


class CircleIn(Schema):
    name: Text(CIRCLE_NAME_MAX_LENGTH)


class CircleOut(Schema):
    id: int
    name: str
    created_at: datetime


class CircleDetailOut(CircleOut):
    members: list[MemberRef]


class CircleList(Schema):
    items: list[CircleOut]


# --- Notifications -----------------------------------------------------------------
class NotificationPostRef(Schema):
    id: int
    root_id: int | None
    url: str


class NotificationOut(Schema):
    id: int
    kind: str
    message: str = Field(description='e.g. "Ana replied to you"')
    reason: str | None = Field(
        description="For a moderator's decision (kinds moderation, report_outcome): why"
    )
    actor: MemberRef
    post: NotificationPostRef | None
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    unread: int


class MarkedOut(Schema):
    marked: int


def errors(*statuses: int) -> dict:
    """The error responses an operation may give, for its OpenAPI entry."""
    return dict.fromkeys(statuses, ErrorOut)


# --- Reports and moderation -------------------------------------------------------------
class ReportIn(Schema):
    reason: ReportReason = Field(description="What is wrong")
    note: Text(NOTE_MAX_LENGTH) = Field("", description="Anything the moderators should know")


class ReportOut(Schema):
    id: int
    member: MemberRef = Field(description="The member reported (a post's author)")
    post_id: int | None
    reason: ReportReason
    note: str
    created_at: datetime
    outcome: str | None = Field(description="The moderators' decision; null while open")
    outcome_reason: str | None


class CaseReportOut(ReportOut):
    reporter: MemberRef


class CasePostOut(Schema):
    id: int
    root_id: int | None
    author: MemberRef
    text: str
    audience: Audience
    deleted: bool
    url: str


class ActionIn(Schema):
    kind: str = Field(
        description="A case: dismiss, remove, warn, limit or suspend. A member: warn, limit, "
        "unlimit, suspend or unsuspend"
    )
    reason: Text(REASON_MAX_LENGTH) = Field(description="Why; the member and reporters see it")


class ActionOut(Schema):
    id: int
    kind: str
    moderator: MemberRef
    member: MemberRef
    post_id: int | None
    post_text: str = Field(description="The post's words when the moderator acted")
    reason: str
    created_at: datetime


class CaseOut(Schema):
    id: int = Field(description="The case's id: that of its first open report")
    member: MemberRef
    post: CasePostOut | None = Field(description="null when a member was reported")
    thread_root: CasePostOut | None
    parent: CasePostOut | None
    reports: list[CaseReportOut]
    first_reported_at: datetime
    member_limited: bool
    member_suspended: bool
    history: list[ActionOut] = Field(description="Earlier decisions about the member")


class LogPage(Schema):
    items: list[ActionOut]
    next_cursor: str | None
