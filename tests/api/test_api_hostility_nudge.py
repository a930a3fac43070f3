"""The nudge through the API: 409 confirm_needed, then confirmed: true."""

from porch.posts.models import Audience
from porch.posts.services import do_create_post

from .client import assert_error


def test_a_hostile_reply_needs_confirmation(ana, ben, api_as):
    post = do_create_post(ana, text="My new haircut!", audience=Audience.FRIENDS)
    as_ben = api_as(ben)
    body = assert_error(
        as_ben.post(f"/posts/{post.pk}/replies", {"text": "You look like an idiot."}),
        409,
        code="confirm_needed",
        field="text",
    )
    assert "hostile" in body["detail"]
    sent = as_ben.post(
        f"/posts/{post.pk}/replies", {"text": "You look like an idiot.", "confirmed": True}
    )
    assert sent.status_code == 201
