from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("indicators", views.IndicatorViewSet, basename="reporting-indicator")
router.register("values", views.IndicatorValueViewSet, basename="reporting-value")
urlpatterns = router.urls
