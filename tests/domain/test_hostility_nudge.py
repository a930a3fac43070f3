"""The "Are you sure?" nudge before a hostile reply, and how well it spots them."""

import pytest

from porch.errors import NeedsConfirmation
from porch.posts.models import Audience, Post
from porch.posts.services import do_create_post, do_reply
from porch.safety.hostility import (
    FAMILY_WORDS,
    NUDGE_THRESHOLD,
    evaluate,
    hostility,
    labelled,
    looks_hostile,
)


def test_the_classifier_separates_insults_from_kind_words():
    rude, kind = hostility(["You are an idiot.", "Congratulations on the new job!"])
    assert rude >= NUDGE_THRESHOLD > kind
    assert not looks_hostile("   ")


def test_the_arrays_give_the_packages_own_probabilities():
    from profanity_check import predict_prob

    texts = [text for _label, text in labelled()]
    ours = hostility(texts)
    theirs = predict_prob([FAMILY_WORDS.sub("family", t) for t in texts])
    assert len(ours) == len(texts) > 100
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-9


def test_on_the_labelled_replies_it_finds_most_and_is_mostly_right():
    rows = labelled()
    assert len(rows) >= 100 and 40 <= sum(label for label, _ in rows) <= 60
    result = evaluate(rows)
    # Measured 0.780 / 0.780 (docs/algorithms/hostility.md); a drop means the model or
    # the threshold changed.
    assert result["precision"] >= 0.7 and result["recall"] >= 0.7
    assert evaluate(rows, threshold=0.9)["recall"] < result["recall"]


def test_a_hostile_reply_asks_first_and_posts_when_confirmed(make_member, befriend):
    ana, ben = make_member("ana"), make_member("ben")
    befriend(ana, ben)
    post = do_create_post(ana, text="My new haircut!", audience=Audience.FRIENDS)
    with pytest.raises(NeedsConfirmation, match="may come across as hostile") as asked:
        do_reply(ben, post, text="You look like an idiot.")
    assert asked.value.field == "text"
    assert not Post.objects.filter(root=post).exists()
    reply = do_reply(ben, post, text="You look like an idiot.", confirmed=True)
    assert reply.text == "You look like an idiot."
    assert do_reply(ben, post, text="Looks great, honestly!").pk
