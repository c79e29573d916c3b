from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("workers", views.WorkerViewSet)
router.register("qualifications", views.QualificationViewSet)
router.register("organisations", views.OrganisationViewSet)
router.register("assignments", views.AssignmentViewSet)
app_name = "workforce-api"
urlpatterns = router.urls
