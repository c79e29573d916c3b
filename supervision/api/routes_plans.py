"""REST routes of plans."""

from .views_plans import CountyPlanViewSet, PlanVersionViewSet


def register(router) -> None:
    """Registers this area's viewsets on the supervision API router."""
    router.register("plans", CountyPlanViewSet, basename="plan")
    router.register("plan-versions", PlanVersionViewSet, basename="plan-version")
