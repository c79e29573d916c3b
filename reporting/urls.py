from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("place/<str:code>/", views.place_dashboard, name="place_dashboard"),
    path("place/<str:code>/indicator/<str:indicator>/", views.explanation, name="explanation"),
    path("place/<str:code>/report/", views.report_start, name="report_start"),
    path("recompute/", views.recompute, name="recompute"),
]
