from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("places", views.PlaceViewSet)
router.register("centres", views.CentreViewSet)
urlpatterns = [
    path("token/rotate/", views.TokenRotateView.as_view(), name="token-rotate"),
    *router.urls,
]
