"""Porch's own middleware."""

from __future__ import annotations

from porch.graph.reads import read_once

# Requests that, by HTTP's rules and Porch's views, change nothing.
SAFE_METHODS = frozenset({"GET", "HEAD"})


class GraphReadOnce:
    """In a GET or HEAD request, each member's friends and blocks are read from the
    database once, however many rules ask (``graph.reads``). Requests that may change
    a friendship or a block read afresh every time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        with read_once():
            return self.get_response(request)
