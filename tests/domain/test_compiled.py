"""Querysets compiled once per shape (porch.compiled): each use runs with its own values
and gets exactly what the queryset built from them returns; a build whose statement
depends on its inputs in any other way than through slots is refused."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.db.models import F, Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from porch.accounts.models import Member
from porch.compiled import ID, IDS, MOMENT, TEXT, CompiledQuery, ShapeError
from porch.id_lists import IdList, among
from porch.posts.models import Audience, Post
from porch.posts.services import do_create_post, do_reply


def _posts(author_id, authors, before, word, *, size):
    rows = Post.objects.select_related("author").filter(author__is_active=True)
    if author_id is not None:
        rows = rows.exclude(author_id=author_id)
    rows = rows.filter(among("author_id", authors))
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    if word is not None:
        rows = rows.filter(Q(text=word) | Q(author__username=word))
    return rows.order_by("-created_at", "-pk")[:size]


POSTS = CompiledQuery(_posts, author_id=ID, authors=IDS, before=MOMENT, word=TEXT)


@pytest.fixture
def posts(make_member):
    members = [make_member(name) for name in ("ana", "ben", "cat", "dan")]
    made = []
    for index, member in enumerate(members * 3):
        post = do_create_post(
            member, text=f"post {index} by {member.username}", audience=Audience.PUBLIC
        )
        Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(hours=index))
        made.append(post)
    do_reply(members[1], made[0], text="a reply")
    return members, made


def _plain(inputs, size):
    return list(_posts(**inputs, size=size))


def _described(rows):
    return [(row.pk, row.author.username, row.created_at) for row in rows]


def test_a_compiled_query_returns_what_its_queryset_returns(posts):
    members, _made = posts
    ids = [member.pk for member in members]
    now = timezone.now()
    cases = [
        dict(author_id=ids[0], authors=IdList(ids), before=None, word=None),
        dict(author_id=ids[1], authors=IdList(ids[:2]), before=now - timedelta(hours=2), word=None),
        dict(author_id=None, authors=IdList(ids[2:]), before=now, word="cat"),
        dict(author_id=ids[3], authors=IdList(()), before=now, word="post"),
        dict(author_id=ids[2], authors=IdList(ids), before=now - timedelta(hours=5), word="ben"),
    ]
    for size in (3, 20):
        for inputs in cases + cases:  # the second round runs the kept statements
            assert _described(POSTS.rows({"size": size}, **inputs)) == _described(
                _plain(inputs, size)
            )
    assert POSTS.rows({"size": 20}, **cases[3]) == []  # no author: nothing, not everything


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_use_runs_with_another_uses_values(posts, data):
    members, _made = posts
    ids = [member.pk for member in members]
    inputs = dict(
        author_id=data.draw(st.one_of(st.none(), st.sampled_from(ids))),
        authors=IdList(data.draw(st.lists(st.sampled_from(ids), max_size=4))),
        before=data.draw(
            st.one_of(
                st.none(), st.integers(0, 14).map(lambda h: timezone.now() - timedelta(hours=h))
            )
        ),
        word=data.draw(
            st.one_of(st.none(), st.sampled_from(["ana", "post 1 by ben", "a reply", "zed"]))
        ),
    )
    size = data.draw(st.sampled_from([1, 5, 20]))
    assert _described(POSTS.rows({"size": size}, **inputs)) == _described(_plain(inputs, size))


def test_values_lists_are_read_as_django_reads_them(posts):
    members, _made = posts
    flat = CompiledQuery(
        lambda author_id: (
            Post.objects.filter(author_id=author_id).order_by("pk").values_list("pk", flat=True)
        ),
        author_id=ID,
    )
    pairs = CompiledQuery(
        lambda since: (
            Post.objects.filter(created_at__gte=since)
            .order_by("pk")
            .values_list("pk", "created_at")
        ),
        since=MOMENT,
    )
    for member in members:
        assert flat.rows(author_id=member.pk) == list(
            Post.objects.filter(author_id=member.pk).order_by("pk").values_list("pk", flat=True)
        )
    since = timezone.now() - timedelta(hours=4)
    read = pairs.rows(since=since)
    assert read == list(
        Post.objects.filter(created_at__gte=since).order_by("pk").values_list("pk", "created_at")
    )
    assert read and all(moment.tzinfo is not None for _pk, moment in read)


def test_an_input_written_into_the_statement_is_refused(posts):
    def written(author_id):
        return Post.objects.extra(where=[f"author_id <> {author_id}"])  # noqa: S610 - refused

    written = CompiledQuery(written, author_id=ID)
    with pytest.raises(ShapeError, match="text"):
        written.rows(author_id=1)


def test_a_value_computed_from_an_input_is_refused(posts):
    computed = CompiledQuery(lambda author_id: Post.objects.filter(pk=author_id + 1), author_id=ID)
    with pytest.raises(ShapeError, match="computed"):
        computed.rows(author_id=1)
    a_list_spelled_out = CompiledQuery(
        lambda authors: Post.objects.filter(author_id__in=list(authors)), authors=IDS
    )
    with pytest.raises(ShapeError):
        a_list_spelled_out.rows(authors=IdList([1, 2]))


def test_a_build_that_reads_the_database_is_refused(posts):
    def reads(author_id):
        friends = list(Member.objects.filter(pk=author_id).values_list("pk", flat=True))
        return Post.objects.filter(author_id__in=friends)

    with pytest.raises(ShapeError, match="read the database"):
        CompiledQuery(reads, author_id=ID).rows(author_id=1)


def test_inputs_are_checked(posts):
    with pytest.raises(TypeError):
        POSTS.rows({"size": 1}, author_id=1, authors=IdList(()), before=None)
    with pytest.raises(TypeError):
        POSTS.rows({"size": 1}, author_id=1, authors=[1, 2], before=None, word=None)
    with pytest.raises(ValueError):
        CompiledQuery(lambda x: Post.objects.all(), x="list")


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_its_own_statements(posts):
    members, _made = posts
    ids = [member.pk for member in members]
    expected = {
        pk: _described(_plain(dict(author_id=pk, authors=IdList(ids), before=None, word=None), 20))
        for pk in ids
    }
    found, failures = {}, []

    def read(pk):
        try:
            found[pk] = _described(
                POSTS.rows({"size": 20}, author_id=pk, authors=IdList(ids), before=None, word=None)
            )
        except Exception as error:
            failures.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=read, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert found == expected


def test_a_shape_that_matches_nothing_reads_nothing(posts):
    nothing = CompiledQuery(
        lambda authors: Post.objects.filter(author_id__in=list(authors) or ()).annotate(a=F("pk")),
        authors=IDS,
    )
    assert nothing.rows(authors=IdList(())) == []
