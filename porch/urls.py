from django.contrib import admin
from django.urls import include, path

from porch.api.routes import api
from porch.web import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("porch.web.urls")),
]
