from rest_framework.routers import DefaultRouter

from . import views

app_name = "procurement-api"
router = DefaultRouter()
router.register("projects", views.ProjectViewSet)
router.register("bids", views.BidViewSet)
router.register("contracts", views.ContractViewSet)
router.register("pay-lines", views.PayLineViewSet)
router.register("evaluations", views.EvaluationViewSet)
urlpatterns = router.urls
