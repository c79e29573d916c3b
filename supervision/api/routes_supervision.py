"""REST routes of supervision."""


def register(router) -> None:
    """Registers this area's viewsets on the supervision API router."""
    from .views_supervision import SupervisionLogViewSet, SupervisorStationViewSet

    router.register("logs", SupervisionLogViewSet, basename="supervision-log")
    router.register("supervisor-stations", SupervisorStationViewSet, basename="supervisor-station")
