from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from network import views as network_views

urlpatterns = [
    path("", network_views.home, name="home"),
    path("accounts/", include("network.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("network/", include("network.urls")),
    path("api/network/", include("network.api.urls")),
    path("stations/", include("stations.urls")),
    path("api/stations/", include("stations.api.urls")),
    path("workforce/", include("workforce.urls")),
    path("api/workforce/", include("workforce.api.urls")),
    path("reporting/", include("reporting.urls")),
    path("api/reporting/", include("reporting.api.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
