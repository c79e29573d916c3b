"""REST routes of training."""


def register(router) -> None:
    """Registers this area's viewsets on the supervision API router."""
    from . import views_training as views

    router.register("training-trainers", views.TrainerViewSet, basename="training-trainer")
    router.register("training-courses", views.CourseViewSet, basename="training-course")
    router.register("training-attendance", views.AttendanceViewSet, basename="training-attendance")
