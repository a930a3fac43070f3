"""Fixtures for the JSON API tests: clients that speak JSON with a bearer token."""

from __future__ import annotations

import pytest

from porch.accounts.services import do_create_token

from .client import ApiClient


@pytest.fixture
def anon(db):
    """A caller with no token and no session."""
    return ApiClient()


@pytest.fixture
def api_as(db):
    """``api_as(member)``: a client authenticated with a fresh token of ``member``."""

    def make(member):
        _, raw = do_create_token(member, "tests")
        return ApiClient(raw)

    return make


@pytest.fixture
def ana(make_member):
    return make_member("ana")


@pytest.fixture
def ben(make_member, ana, befriend):
    """Ana's friend."""
    ben = make_member("ben")
    befriend(ana, ben)
    return ben
