"""``GET /healthz``: 200 when the database (and Redis, if configured) answer."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means unhealthy; say which
        checks["database"] = f"error: {type(error).__name__}"
    if settings.REDIS_URL:
        try:
            cache.set("porch:healthz", "1", 5)
            checks["redis"] = "ok" if cache.get("porch:healthz") == "1" else "error: no echo"
        except Exception as error:
            checks["redis"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
