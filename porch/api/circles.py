"""Circles: named groups of your friends, private to you, to share posts with."""

from ninja import Router, Status

from porch.accounts.services import access_member
from porch.graph import services as graph

from .rendering import member_ref
from .schemas import (
    CircleDetailOut,
    CircleId,
    CircleIn,
    CircleList,
    Username,
    errors,
)

router = Router(tags=["circles"])


def _circle(circle) -> dict:
    return {"id": circle.pk, "name": circle.name, "created_at": circle.created_at}


def _circle_detail(circle) -> dict:
    return {**_circle(circle), "members": [member_ref(m) for m in graph.circle_members(circle)]}


@router.get("/circles", response={200: CircleList, **errors(401)})
def list_circles(request):
    return {"items": [_circle(c) for c in graph.circles_of(request.auth)]}


@router.post("/circles", response={201: CircleDetailOut, **errors(400, 401, 409)})
def create_circle(request, payload: CircleIn):
    circle = graph.do_create_circle(request.auth, payload.name)
    return Status(201, _circle_detail(circle))


@router.get("/circles/{circle_id}", response={200: CircleDetailOut, **errors(400, 401, 404)})
def get_circle(request, circle_id: CircleId):
    return _circle_detail(graph.access_circle(request.auth, circle_id))


@router.patch("/circles/{circle_id}", response={200: CircleDetailOut, **errors(400, 401, 404, 409)})
def rename_circle(request, circle_id: CircleId, payload: CircleIn):
    circle = graph.access_circle(request.auth, circle_id)
    return _circle_detail(graph.do_rename_circle(request.auth, circle, payload.name))


@router.delete("/circles/{circle_id}", response={204: None, **errors(400, 401, 404)})
def delete_circle(request, circle_id: CircleId):
    """Posts shared only with this circle become visible to you alone."""
    graph.do_delete_circle(request.auth, graph.access_circle(request.auth, circle_id))
    return Status(204, None)


@router.put(
    "/circles/{circle_id}/members/{username}",
    response={200: CircleDetailOut, **errors(400, 401, 404)},
)
def add_to_circle(request, circle_id: CircleId, username: Username):
    """Add a friend to the circle (only friends can be in circles)."""
    circle = graph.access_circle(request.auth, circle_id)
    graph.do_add_to_circle(request.auth, circle, access_member(request.auth, username))
    return _circle_detail(circle)


@router.delete(
    "/circles/{circle_id}/members/{username}",
    response={200: CircleDetailOut, **errors(400, 401, 404)},
)
def remove_from_circle(request, circle_id: CircleId, username: Username):
    circle = graph.access_circle(request.auth, circle_id)
    graph.do_remove_from_circle(request.auth, circle, access_member(request.auth, username))
    return _circle_detail(circle)
