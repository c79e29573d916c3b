"""REST endpoints of the supervision app; each area registers its viewsets on the one router."""

from rest_framework.routers import DefaultRouter

from . import routes_plans, routes_supervision, routes_training

app_name = "supervision-api"
router = DefaultRouter()
for area in (routes_supervision, routes_training, routes_plans):
    area.register(router)
urlpatterns = router.urls
