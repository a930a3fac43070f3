"""The JSON API at ``/api/v1/``: the one ``NinjaAPI`` object and its routers.

Handlers are thin: parse (schemas), call a service, render (``rendering``). Auth is
a personal access token or the browser session with CSRF (``auth``); every error is
JSON (``error_handlers``). The reference for clients is ``docs/api.md``.
"""

from ninja import NinjaAPI, Router

from porch.errors import NotFound

from . import (
    accounts,
    circles,
    docs,
    error_handlers,
    feed,
    friends,
    members,
    moderation,
    notes,
    notifications,
    posts,
    safety,
)
from .auth import MEMBER_AUTH
from .rendering import PorchJSONRenderer
from .schemas import JSONObjectParser, errors

api = NinjaAPI(
    title="Porch API",
    version="1",
    description="The JSON API of a Porch server. Guide: docs/api.md in the Porch repository.",
    urls_namespace="api",
    auth=MEMBER_AUTH,
    renderer=PorchJSONRenderer(),
    parser=JSONObjectParser(),
    docs=docs.OfflineSwagger(),
)
error_handlers.register(api)

for module in (
    accounts,
    feed,
    posts,
    members,
    friends,
    safety,
    moderation,
    notes,
    circles,
    notifications,
    docs,
):
    api.add_router("", module.router)

# Last: any other path under /api/v1/ is a JSON 404, not the web site's HTML page.
unknown = Router()


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"],
    "/{path:rest}",
    auth=None,
    include_in_schema=False,
    response=errors(404),
)
def no_such_endpoint(request, rest: str):
    raise NotFound("No such API endpoint. The list is at /api/v1/docs.")


api.add_router("", unknown)
