from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.StationListView.as_view(), name="station_list"),
    path("new/", views.StationCreateView.as_view(), name="station_create"),
    path("<int:pk>/", views.StationDetailView.as_view(), name="station_detail"),
    path("<int:pk>/edit/", views.StationUpdateView.as_view(), name="station_edit"),
    path("<int:pk>/status/", views.StationStatusView.as_view(), name="station_status"),
    path("rooms/", views.RoomListView.as_view(), name="room_list"),
    path("rooms/new/", views.RoomCreateView.as_view(), name="room_create"),
    path("rooms/<int:pk>/", views.RoomDetailView.as_view(), name="room_detail"),
    path("rooms/<int:pk>/edit/", views.RoomUpdateView.as_view(), name="room_edit"),
]
