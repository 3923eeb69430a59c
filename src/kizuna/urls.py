from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from .api import api, unknown_route
from .core.admin import site as admin_site
from .core.views import healthz

urlpatterns = [
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", unknown_route),
    path("healthz", healthz, name="healthz"),
    # Browsers that ask for /favicon.ico without reading the page's icon link.
    path("favicon.ico", RedirectView.as_view(url=static("kizuna/favicon.svg"), permanent=True)),
    path("admin/", admin_site.urls),
    path("sharing/", include("kizuna.sharing.urls")),
    path("acsa/", include("kizuna.acsa.urls")),
    path("coordination/", include("kizuna.coordination.urls")),
    path("exercises/", include("kizuna.exercises.urls")),
    path("", include("kizuna.signin.urls")),
    path("", include("kizuna.core.urls")),
]

handler403 = "kizuna.core.errors_views.forbidden"
handler404 = "kizuna.core.errors_views.not_found"
handler500 = "kizuna.core.errors_views.server_error"
