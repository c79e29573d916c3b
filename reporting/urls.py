from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("place/<str:code>/", views.place_dashboard, name="place_dashboard"),
    path("place/<str:code>/indicator/<str:indicator>/", views.explanation, name="explanation"),
    path("place/<str:code>/report/", views.report_start, name="report_start"),
    path("recompute/", views.recompute, name="recompute"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
