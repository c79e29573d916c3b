"""Pages of supervision (SUP-1)."""

from django.urls import path

from . import views_supervision as views

urlpatterns = [
    path("logs/", views.SupervisionLogListView.as_view(), name="log_list"),
    path("logs/new/", views.SupervisionLogCreateView.as_view(), name="log_create"),
    path("logs/<int:pk>/", views.SupervisionLogDetailView.as_view(), name="log_detail"),
    path("logs/<int:pk>/edit/", views.SupervisionLogUpdateView.as_view(), name="log_edit"),
    path("logs/<int:pk>/confirm/", views.log_confirm, name="log_confirm"),
    path("supervision-plans/", views.SupervisionPlanListView.as_view(), name="supervision_plan_list"),
    path("supervision-plans/new/", views.SupervisionPlanCreateView.as_view(), name="supervision_plan_create"),
    path("supervision-plans/<int:pk>/", views.SupervisionPlanDetailView.as_view(), name="supervision_plan_detail"),
    path("supervision-plans/<int:pk>/edit/", views.SupervisionPlanUpdateView.as_view(), name="supervision_plan_edit"),
    path("supervision-plans/<int:pk>/stations/", views.plan_station_add, name="supervision_plan_station_add"),
    path("supervisors/", views.SupervisorStationListView.as_view(), name="supervisor_list"),
    path("heat-map/", views.heat_map, name="heat_map"),
]
