"""The nudge in the reply form: keep the text, offer to change it or post anyway."""

from porch.posts.models import Audience, Post
from porch.posts.services import do_create_post


def test_the_reply_form_asks_are_you_sure(ana, ben, login):
    post = do_create_post(ana, text="My new haircut!", audience=Audience.FRIENDS)
    client = login(ben)
    asked = client.post(f"/posts/{post.pk}/reply", {"text": "You look like an idiot."})
    assert asked.status_code == 400
    assert "may come across as hostile" in asked.text and "Post anyway" in asked.text
    assert "You look like an idiot." in asked.text
    assert not Post.objects.filter(root=post).exists()
    posted = client.post(
        f"/posts/{post.pk}/reply", {"text": "You look like an idiot.", "confirmed": "on"}
    )
    assert posted.status_code == 302
    assert Post.objects.filter(root=post, text="You look like an idiot.").exists()
