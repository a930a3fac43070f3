"""Who may reply (per post, enforced on the server) and replies hidden by the thread's author."""

import pytest

from porch.errors import InvalidInput, NotAllowed, NotFound
from porch.posts.models import Audience, ReplyPolicy
from porch.posts.services import (
    do_create_post,
    do_hide_reply,
    do_reply,
    do_set_reply_policy,
    do_unhide_reply,
    flatten,
    reply_refusal,
    thread,
    with_reply_counts,
)
from porch.posts.visibility import can_see, visible_to


@pytest.fixture
def people(make_member, befriend):
    ana, ben, cy, dee, eve = (make_member(n) for n in ("ana", "ben", "cy", "dee", "eve"))
    befriend(ana, ben)  # Ben: Ana's friend
    befriend(ben, cy)  # Cy: a friend of a friend
    # Dee and Eve: strangers to Ana
    return ana, ben, cy, dee, eve


ALLOWED = {
    ReplyPolicy.EVERYONE: {"ana", "ben", "cy", "dee", "eve"},
    ReplyPolicy.FRIENDS_OF_FRIENDS: {"ana", "ben", "cy"},
    ReplyPolicy.FRIENDS: {"ana", "ben"},
    ReplyPolicy.MENTIONED: {"ana", "dee"},
    ReplyPolicy.NOBODY: {"ana"},
}


@pytest.mark.parametrize("policy", list(ReplyPolicy))
def test_each_reply_policy_is_enforced_on_the_server(people, policy):
    ana = people[0]
    post = do_create_post(ana, text="Hello @dee", audience=Audience.PUBLIC, reply_policy=policy)
    for member in people:
        allowed = member.username in ALLOWED[policy]
        assert (reply_refusal(member, post) is None) == allowed, member.username
        if allowed:
            do_reply(member, post, text=f"from {member.username}")
        else:
            with pytest.raises(NotAllowed):
                do_reply(member, post, text="let me in")
    # A reply in the thread follows the first post's rule.
    if ALLOWED[policy] >= {"ben"}:
        first = next(n.post for n in flatten(thread(ana, post)) if n.post.author == people[1])
        for member in people:
            if member.username not in ALLOWED[policy]:
                with pytest.raises(NotAllowed):
                    do_reply(member, first, text="sneaking in under a reply")


def test_the_refusal_says_why_in_words(people):
    ana, _, cy, dee, _ = people
    post = do_create_post(ana, text="quiet", audience=Audience.PUBLIC, reply_policy="nobody")
    assert reply_refusal(cy, post) == "Ana turned off replies to this post."
    do_set_reply_policy(ana, post, "friends")
    assert reply_refusal(dee, post) == "Only Ana's friends can reply to this post."


def test_only_the_author_changes_the_policy_of_a_first_post(people):
    ana, ben, *_ = people
    post = do_create_post(ana, text="hi", audience=Audience.FRIENDS)
    reply = do_reply(ben, post, text="hey")
    with pytest.raises(NotAllowed):
        do_set_reply_policy(ben, post, "nobody")
    with pytest.raises(InvalidInput):
        do_set_reply_policy(ben, reply, "nobody")
    with pytest.raises(InvalidInput, match="Choose who can reply"):
        do_set_reply_policy(ana, post, "celebrities")
    with pytest.raises(InvalidInput, match="Choose who can reply"):
        do_create_post(ana, text="x", audience=Audience.FRIENDS, reply_policy="vips")
    # Replies written before the change stay.
    do_set_reply_policy(ana, post, "nobody")
    assert [n.post.pk for n in flatten(thread(ana, post))] == [reply.pk]


def test_a_hidden_reply_is_seen_only_by_its_author_and_the_threads_author(people):
    ana, ben, cy, *_ = people
    post = do_create_post(ana, text="my news", audience=Audience.PUBLIC)
    rude = do_reply(cy, post, text="something rude")
    kind = do_reply(ben, post, text="congrats!")
    do_hide_reply(ana, rude)
    for viewer, sees in ((ana, True), (cy, True), (ben, False)):
        assert can_see(viewer, rude) is sees
        assert (rude.pk in {n.post.pk for n in flatten(thread(viewer, post))}) is sees
    assert kind.pk in {n.post.pk for n in flatten(thread(ben, post))}
    assert rude.pk not in set(visible_to(ben).values_list("pk", flat=True))
    # The count everyone sees leaves it out.
    assert with_reply_counts(visible_to(ben).filter(pk=post.pk), ben).get().reply_count == 1
    # Nobody else may reply to it; unhiding brings it back.
    with pytest.raises(NotFound):
        do_reply(ben, rude, text="what did they say?")
    do_unhide_reply(ana, rude)
    assert can_see(ben, rude)


def test_only_the_threads_author_hides_and_only_others_replies(people):
    ana, ben, cy, *_ = people
    post = do_create_post(ana, text="mine", audience=Audience.PUBLIC)
    reply = do_reply(cy, post, text="cy's reply")
    own = do_reply(ana, post, text="my own reply")
    with pytest.raises(NotAllowed):
        do_hide_reply(ben, reply)
    with pytest.raises(InvalidInput, match="your own reply"):
        do_hide_reply(ana, own)
    with pytest.raises(InvalidInput, match="Only replies"):
        do_hide_reply(ana, post)
