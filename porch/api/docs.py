"""The API's interactive docs at ``/api/v1/docs``, working offline.

django-ninja ships Swagger UI in its package (``ninja/static/ninja``) but links it
from ``{% static %}`` only when ``ninja`` is an installed app, and from a CDN otherwise;
the CDN is both blocked by Porch's Content-Security-Policy and unreachable on a closed
network. So the docs page here links the packaged files through ``GET docs/assets/…``,
served straight from ninja's package directory (a fixed list of names, nothing else).
"""

from pathlib import Path

import ninja
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from ninja import Router
from ninja.openapi.docs import Swagger

from porch.errors import NotFound

from .schemas import ErrorOut

NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}

router = Router(tags=["docs"])


class OfflineSwagger(Swagger):
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would otherwise fetch a badge from validator.swagger.io.
        "validatorUrl": None,
    }

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        assets = {
            name.replace("-", "_").replace(".", "_"): reverse(
                f"{api.urls_namespace}:docs_asset", kwargs={"name": name}
            )
            for name in ASSETS
        }
        return render(
            request,
            "api/docs.html",
            {"api": api, "swagger_settings": settings, "assets": assets},
        )


@router.get(
    "/docs/assets/{name}",
    auth=None,
    include_in_schema=False,
    url_name="docs_asset",
    response={404: ErrorOut},
)
def docs_asset(request, name: str):
    if name not in ASSETS:
        raise NotFound("No such file.")
    response = FileResponse((NINJA_STATIC / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
