"""Pages of training (SUP-2, SUP-3)."""

from django.urls import path

from . import views_training as views

urlpatterns = [
    path("training/", views.training_hours, name="training_hours"),
    path("training/workers/<int:pk>/", views.worker_training, name="worker_training"),
    path("training/trainers/", views.TrainerListView.as_view(), name="trainer_list"),
    path("training/trainers/new/", views.TrainerCreateView.as_view(), name="trainer_create"),
    path("training/trainers/<int:pk>/", views.TrainerDetailView.as_view(), name="trainer_detail"),
    path("training/trainers/<int:pk>/edit/", views.TrainerUpdateView.as_view(), name="trainer_edit"),
    path("training/courses/", views.CourseListView.as_view(), name="course_list"),
    path("training/courses/new/", views.CourseCreateView.as_view(), name="course_create"),
    path("training/courses/<int:pk>/", views.CourseDetailView.as_view(), name="course_detail"),
    path("training/courses/<int:pk>/edit/", views.CourseUpdateView.as_view(), name="course_edit"),
    path("training/attendance/", views.AttendanceListView.as_view(), name="attendance_list"),
    path("training/attendance/new/", views.AttendanceCreateView.as_view(), name="attendance_create"),
    path("training/attendance/<int:pk>/", views.AttendanceDetailView.as_view(), name="attendance_detail"),
    path("training/attendance/<int:pk>/edit/", views.AttendanceUpdateView.as_view(), name="attendance_edit"),
    path("training/attendance/<int:pk>/delete/", views.AttendanceDeleteView.as_view(), name="attendance_delete"),
    path("training/attendance/template/", views.attendance_template, name="attendance_template"),
    path("training/attendance/import/", views.attendance_import, name="attendance_import"),
]
