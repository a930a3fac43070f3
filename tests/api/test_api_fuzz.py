"""Schemathesis fuzzes every operation in the OpenAPI document: never a 5xx.

The schema is loaded from the Django app through WSGI, exactly as a client would fetch
it; requests go through the whole middleware stack against the test database, as a
member with friends, a circle, posts, replies and reactions.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from porch.accounts.services import do_create_invite, do_create_token
from porch.graph.services import do_add_to_circle, do_create_circle, do_send_friend_request
from porch.posts.services import do_create_post, do_react, do_reply
from porch.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def wsgi_in_test_transaction():
    """Django's WSGI handler closes "old" connections around each request, which would
    close the test's transaction; Django's own test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def member_token(make_member, befriend, wsgi_in_test_transaction):
    ana, ben, cy, dee = (make_member(n) for n in ["ana", "ben", "cy", "dee"])
    befriend(ana, ben)
    befriend(ana, cy)
    do_send_friend_request(dee, ana)
    family = do_create_circle(ana, "Family")
    do_add_to_circle(ana, family, ben)
    posts = [
        do_create_post(ana, text="for the family", audience="circles", circle_ids=[family.pk]),
        do_create_post(ana, text="hello @ben", audience="friends"),
        do_create_post(ben, text="public words", audience="public"),
    ]
    reply = do_reply(ben, posts[0], text="hi")
    do_reply(ana, reply, text="hi back")
    do_react(ben, posts[1], "heart")
    do_create_invite(ana)
    _, raw = do_create_token(ana, "fuzz")
    return raw


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_server_errors(case, member_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {member_token}"}, checks=[not_a_server_error]
    )
