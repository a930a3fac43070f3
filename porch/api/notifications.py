"""Notifications: a person did something to you (replied, mentioned, asked, accepted,
reacted). Notifications about posts you can no longer see are left out."""

from ninja import Router, Status

from porch.notifications import services as notifications
from porch.notifications.services import PAGE_SIZE

from .rendering import notification_json
from .schemas import MarkedOut, NotificationId, NotificationPage, PageCursor, PageLimit, errors

router = Router(tags=["notifications"])


@router.get("/notifications", response={200: NotificationPage, **errors(400, 401)})
def list_notifications(request, cursor: PageCursor = None, limit: PageLimit = PAGE_SIZE):
    """Newest first; unread is the number of unread notifications in all."""
    page, unread = notifications.read_inbox(request.auth, cursor, limit)
    return {
        "items": [notification_json(request, n) for n in page.items],
        "next_cursor": page.next_cursor,
        "unread": unread,
    }


@router.post("/notifications/{notification_id}/read", response={204: None, **errors(400, 401, 404)})
def mark_read(request, notification_id: NotificationId):
    notifications.do_mark_read(request.auth, notification_id)
    return Status(204, None)


@router.post("/notifications/read-all", response={200: MarkedOut, **errors(401)})
def mark_all_read(request):
    return {"marked": notifications.do_mark_all_read(request.auth)}
