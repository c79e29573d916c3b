from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("", views.WorkerListView.as_view(), name="worker_list"),
    path("workers/new/", views.WorkerCreateView.as_view(), name="worker_create"),
    path("workers/<int:pk>/", views.WorkerDetailView.as_view(), name="worker_detail"),
    path("workers/<int:pk>/edit/", views.WorkerUpdateView.as_view(), name="worker_edit"),
    path(
        "workers/<int:worker>/qualifications/new/", views.QualificationCreateView.as_view(), name="qualification_create"
    ),
    path(
        "workers/<int:worker>/specialisations/new/",
        views.SpecialisationCreateView.as_view(),
        name="specialisation_create",
    ),
    path("qualifications/", views.QualificationListView.as_view(), name="qualification_list"),
    path("qualifications/reregistration/", views.reregistration_list, name="reregistration_list"),
    path("qualifications/<int:pk>/", views.QualificationDetailView.as_view(), name="qualification_detail"),
    path("qualifications/<int:pk>/edit/", views.QualificationUpdateView.as_view(), name="qualification_edit"),
    path("qualifications/<int:pk>/revoke/", views.QualificationRevokeView.as_view(), name="qualification_revoke"),
    path("qualifications/<int:pk>/evidence/", views.qualification_evidence, name="qualification_evidence"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="organisation_edit"),
    path("assignments/", views.AssignmentListView.as_view(), name="assignment_list"),
    path("assignments/new/", views.AssignmentCreateView.as_view(), name="assignment_create"),
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment_detail"),
    path("assignments/<int:pk>/edit/", views.AssignmentUpdateView.as_view(), name="assignment_edit"),
    path("assignments/<int:pk>/end/", views.AssignmentEndView.as_view(), name="assignment_end"),
    path("deadlines/", views.deadline_list, name="deadline_list"),
    path("county/<str:code>/", views.county_workforce, name="county_workforce"),
    path("city/", views.city_workforce, name="city_workforce"),
    path("roster/template/", views.roster_template, name="roster_template"),
    path("roster/export/", views.roster_export, name="roster_export"),
    path("roster/import/", views.roster_import, name="roster_import"),
]
