from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("places/", views.PlaceListView.as_view(), name="place_list"),
    path("places/<str:pk>/", views.PlaceDetailView.as_view(), name="place_detail"),
    path("centres/", views.CentreListView.as_view(), name="centre_list"),
    path("centres/new/", views.CentreCreateView.as_view(), name="centre_create"),
    path("centres/<int:pk>/", views.CentreDetailView.as_view(), name="centre_detail"),
    path("centres/<int:pk>/edit/", views.CentreUpdateView.as_view(), name="centre_edit"),
    path("accounts/", views.UserListView.as_view(), name="user_list"),
    path("accounts/new/", views.user_create, name="user_create"),
    path("accounts/<int:pk>/", views.user_edit, name="user_edit"),
    path("rules/", views.rule_settings, name="rule_settings"),
    path("divisions/import/", views.division_import, name="division_import"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
