"""Fixtures of the privacy proofs."""

from __future__ import annotations

import pytest
from django.db import transaction

from .world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """The matrix world, built once per module and committed.

    The matrix has about a thousand cells that only read (or write inside their own
    test transaction, which is rolled back), so building the world once keeps the run
    short. It is deleted again when the module ends, so other tests start from an empty
    database.
    """
    from django.contrib.sessions.models import Session

    from porch.accounts.models import Member, SiteSettings

    from .surfaces import web_client
    from .world import RELATIONSHIPS

    with django_db_blocker.unblock():
        had_site_settings = SiteSettings.objects.exists()
        with transaction.atomic():
            built = build_world()
            # Log every viewer in now, so the sessions outlive each test's rollback.
            for rel in RELATIONSHIPS:
                web_client(built, rel)
        built.observed = {}
    yield built
    with django_db_blocker.unblock():
        # Everything in the world hangs off its members (CASCADE); sessions do not.
        keys = [c.session.session_key for r, c in built.clients.items() if r != "logged_out"]
        Session.objects.filter(session_key__in=keys).delete()
        Member.objects.filter(pk__in=[m.pk for m in built.members.values()]).delete()
        if not had_site_settings:
            SiteSettings.objects.all().delete()


@pytest.fixture
def fresh_world(db) -> World:
    """A world of its own for a test that changes it (rolled back with the test)."""
    return build_world(prefix="x")
