from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("places", views.PlaceViewSet)
router.register("centres", views.CentreViewSet)
urlpatterns = router.urls
