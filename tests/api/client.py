"""A JSON client for the API tests, and the check that an error has the API's shape."""

from __future__ import annotations

import json

from django.test import Client

API = "/api/v1"


class ApiClient:
    """Django's test client, sending JSON and (optionally) a bearer token."""

    def __init__(self, token: str | None = None, client: Client | None = None):
        self.client = client or Client()
        self.token = token

    def _headers(self, headers):
        merged = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        merged.update(headers or {})
        return merged

    def request(self, method, path, body=None, *, raw=None, headers=None, **params):
        url = path if path.startswith("/") and path.startswith(API) else API + path
        send = getattr(self.client, method)
        if method == "get":
            return send(url, params, headers=self._headers(headers))
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return send(url, data, content_type="application/json", headers=self._headers(headers))

    def get(self, path, headers=None, **params):
        return self.request("get", path, headers=headers, **params)

    def post(self, path, body=None, **kwargs):
        return self.request("post", path, body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.request("put", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request("patch", path, body, **kwargs)

    def delete(self, path, body=None, **kwargs):
        return self.request("delete", path, body, **kwargs)


def assert_error(response, status, code=None, field=None):
    """The response is the API's JSON error with this status (and code, field)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "code", "field"}, body
    assert isinstance(body["detail"], str) and body["detail"], body
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert body["field"] == field, body
    return body
