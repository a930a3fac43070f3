"""Personal trust on the server: computed from friendships and invites, used to fold
strangers' replies and to weight note raters."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.utils import timezone

from porch.graph.models import Friendship
from porch.moderation.services import do_grant_moderator
from porch.posts.models import Audience
from porch.posts.services import do_create_post, do_reply
from porch.trust.models import TrustRun, TrustScore
from porch.trust.services import compute_trust, rater_weights, thread_with_folds


def connect(pairs):
    rows = []
    for a, b in pairs:
        rows += [Friendship(member=a, friend=b), Friendship(member=b, friend=a)]
    Friendship.objects.bulk_create(rows)  # no signals: the tests run trust themselves


@pytest.fixture
def town(make_member):
    """A moderator among 16 real members who know each other well, and a ring of 12
    fake accounts that befriended one careless real member."""
    mod = make_member("mod")
    do_grant_moderator(mod)
    real = [make_member(f"real{i}") for i in range(16)]
    fakes = [make_member(f"fake{i}") for i in range(12)]
    people = [mod, *real]
    connect(
        (a, b)
        for i, a in enumerate(people)
        for j, b in enumerate(people)
        if i < j and (j - i) % 17 in (1, 2, 3, 5, 8)
    )
    connect(itertools.combinations(fakes, 2))
    connect([(fakes[0], real[15])])  # the one attack edge
    return {"mod": mod, "real": real, "fakes": fakes}


def test_fake_accounts_get_low_trust_and_real_members_do_not(town):
    runs_before = TrustRun.objects.count()
    run = compute_trust()
    assert run["members"] == 29 and run["seeds"] == 1 and not run["warm_start"]
    low = {s.member.username for s in TrustScore.objects.filter(low=True).select_related("member")}
    assert low == {f.username for f in town["fakes"]}
    scores = dict(TrustScore.objects.values_list("member__username", "score"))
    assert min(scores[m.username] for m in town["real"]) > 5 * max(
        scores[f.username] for f in town["fakes"]
    )
    # The next run starts from these scores and needs fewer iterations.
    again = compute_trust()
    assert again["warm_start"] and again["iterations"] < run["iterations"]
    assert TrustRun.objects.count() == runs_before + 2


def test_an_invite_is_a_connection(make_member):
    founder = make_member("founder")
    friend = make_member("friend")
    connect([(founder, friend)])
    invited = make_member("invited", invited_by=founder)
    loner = make_member("loner")
    compute_trust()
    low = set(TrustScore.objects.filter(low=True).values_list("member__username", flat=True))
    assert low == {"loner"}
    assert invited.trust_score.score > 0 and loner.trust_score.score == 0


def test_strangers_low_trust_replies_are_folded_in_the_thread(town, make_member):
    compute_trust()
    real, fakes = town["real"], town["fakes"]
    post = do_create_post(real[0], text="Road closed Friday", audience=Audience.PUBLIC)
    fake_reply = do_reply(fakes[3], post, text="Buy cheap watches")
    answer = do_reply(real[2], fake_reply, text="Nobody wants these")
    real_reply = do_reply(real[9], post, text="Thanks!")
    reader = real[4]
    shown, folded = thread_with_folds(reader, post)
    assert [n.post for n in shown] == [real_reply]
    assert [(n.post, n.depth) for n in folded] == [(fake_reply, 0), (answer, 1)]
    # A fake's own friends see it unfolded (they chose them), and so does everyone for
    # members with normal trust.
    shown, folded = thread_with_folds(fakes[5], post)
    assert folded == [] and len(shown) == 3
    # Logged out: folded too.
    assert [n.post for n in thread_with_folds(None, post)[1]] == [fake_reply, answer]


def test_note_raters_are_weighted_by_trust(town, make_member):
    newcomer = make_member("newcomer")  # joined after the run: not scored yet
    compute_trust()
    newer = make_member("newer")
    ids = [town["real"][3].pk, town["fakes"][1].pk, newer.pk, town["mod"].pk]
    weights = rater_weights(ids)
    assert weights[0] > 0.5 and weights[1] == 0.0  # real member, fake account
    assert weights[2] == 1.0  # not scored yet: counts fully until the next run
    assert weights[3] > 0
    assert newcomer.trust_score.low  # no friendships at all


@pytest.mark.django_db(transaction=True)
def test_a_friendship_queues_one_trust_run_that_the_worker_runs(make_member, befriend):
    from django_tasks_db.models import DBTaskResult

    ana, ben, cy = make_member("ana"), make_member("ben"), make_member("cy")
    befriend(ana, ben)
    befriend(ana, cy)
    queued = DBTaskResult.objects.filter(task_path="porch.trust.tasks.compute_trust_task")
    assert queued.count() == 1
    queued.update(run_after=timezone.now())
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    result = queued.get()
    assert result.status == "SUCCESSFUL", result.traceback
    assert result.return_value["members"] == 3 and result.return_value["edges"] == 2
    assert TrustScore.objects.count() == 3


def test_the_trust_command(town, capsys):
    call_command("trust")
    out = capsys.readouterr().out
    assert "29 members" in out and "12 member(s) with low trust" in out
