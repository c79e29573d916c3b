from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from network.api import errors as api_errors
from stations import views as station_views

urlpatterns = [
    path("", station_views.home, name="home"),
    path("accounts/", include("network.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("network/", include("network.urls")),
    path("api/network/", include("network.api.urls")),
    path("stations/", include("stations.urls")),
    path("api/stations/", include("stations.api.urls")),
    path("workforce/", include("workforce.urls")),
    path("api/workforce/", include("workforce.api.urls")),
    path("procurement/", include("procurement.urls")),
    path("api/procurement/", include("procurement.api.urls")),
    path("supervision/", include("supervision.urls")),
    path("api/supervision/", include("supervision.api.urls")),
    path("reporting/", include("reporting.urls")),
    path("api/reporting/", include("reporting.api.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)


def _api_or_page(api_view, page_view):
    """The API answers in its own error shape; pages keep the portal's error pages."""

    def handler(request, *args, **kwargs):
        view = api_view if request.path.startswith("/api/") else page_view
        return view(request, *args, **kwargs)

    return handler


handler404 = _api_or_page(api_errors.api_not_found, defaults.page_not_found)
handler500 = _api_or_page(api_errors.api_server_error, defaults.server_error)
