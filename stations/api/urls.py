from rest_framework.routers import DefaultRouter

from . import views

app_name = "stations-api"
router = DefaultRouter()
router.register("stations", views.StationViewSet)
router.register("rooms", views.RoomViewSet)
router.register("recipients", views.RecipientViewSet)
router.register("records", views.ServiceRecordViewSet, basename="record")
urlpatterns = router.urls
