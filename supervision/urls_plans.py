"""Pages of the county plans (PLAN-1, SUP-4)."""

from django.urls import path

from . import views_plans as views

urlpatterns: list = [
    path("plans/", views.CountyPlanListView.as_view(), name="plan_list"),
    path("plans/counties/", views.plan_counties, name="plan_counties"),
    path("plans/new/", views.CountyPlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.CountyPlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/revise/", views.plan_revise, name="plan_revise"),
    path("plans/<int:pk>/compare/", views.plan_compare, name="plan_compare"),
    path("plans/versions/<int:pk>/", views.PlanVersionDetailView.as_view(), name="plan_version_detail"),
    path("plans/versions/<int:pk>/edit/", views.PlanVersionEditView.as_view(), name="plan_version_edit"),
    path("plans/versions/<int:pk>/submit/", views.version_submit, name="plan_version_submit"),
    path("plans/versions/<int:pk>/file/", views.version_file, name="plan_version_file"),
    path("plans/versions/<int:pk>/return/", views.version_return, name="plan_version_return"),
    path("plans/versions/<int:pk>/print/", views.version_print, name="plan_version_print"),
    path("plans/versions/<int:pk>/pdf/", views.version_pdf, name="plan_version_pdf"),
]
