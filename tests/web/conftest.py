"""Fixtures for the web pages: logged-in clients and the host's sign-up mode."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def login():
    """``login(member)`` → a test client with that member's session."""

    def make(member) -> Client:
        client = Client()
        client.force_login(member)
        return client

    return make


@pytest.fixture
def site(db):
    from porch.accounts.models import SiteSettings

    return SiteSettings.current()


@pytest.fixture
def signup_mode(site):
    def set_mode(mode: str):
        site.signup_mode = mode
        site.save(update_fields=["signup_mode"])
        return site

    return set_mode


@pytest.fixture
def ana(make_member):
    return make_member("ana", display_name="Ana Lima")


@pytest.fixture
def ben(make_member, ana, befriend):
    """Ana's friend."""
    ben = make_member("ben", display_name="Ben Okafor")
    befriend(ana, ben)
    return ben
