from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.StationListView.as_view(), name="station_list"),
    path("new/", views.StationCreateView.as_view(), name="station_create"),
    path("<int:pk>/", views.StationDetailView.as_view(), name="station_detail"),
    path("<int:pk>/edit/", views.StationUpdateView.as_view(), name="station_edit"),
    path("<int:pk>/status/", views.StationStatusView.as_view(), name="station_status"),
    path("<int:pk>/standard/", views.StandardConfirmView.as_view(), name="station_standard"),
    path("standard/<int:pk>/evidence/", views.standard_evidence, name="standard_evidence"),
    path("catalogue/new/", views.CatalogueItemCreateView.as_view(), name="catalogue_create"),
    path("catalogue/<int:pk>/edit/", views.CatalogueItemUpdateView.as_view(), name="catalogue_edit"),
    path("rooms/", views.RoomListView.as_view(), name="room_list"),
    path("rooms/new/", views.RoomCreateView.as_view(), name="room_create"),
    path("rooms/<int:pk>/", views.RoomDetailView.as_view(), name="room_detail"),
    path("rooms/<int:pk>/edit/", views.RoomUpdateView.as_view(), name="room_edit"),
    path("recipients/", views.RecipientListView.as_view(), name="recipient_list"),
    path("recipients/new/", views.RecipientCreateView.as_view(), name="recipient_create"),
    path("recipients/<int:pk>/", views.RecipientDetailView.as_view(), name="recipient_detail"),
    path("recipients/<int:pk>/edit/", views.RecipientUpdateView.as_view(), name="recipient_edit"),
    path("recipients/<int:pk>/assess/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("recipients/<int:pk>/follow-up/", views.FollowUpCreateView.as_view(), name="follow_up_create"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_up_list"),
    path("follow-ups/<int:pk>/done/", views.FollowUpDoneView.as_view(), name="follow_up_done"),
    path("records/", views.ServiceRecordListView.as_view(), name="record_list"),
    path("records/new/", views.ServiceRecordCreateView.as_view(), name="record_create"),
    path("records/<int:pk>/", views.ServiceRecordDetailView.as_view(), name="record_detail"),
    path("records/<int:pk>/edit/", views.ServiceRecordUpdateView.as_view(), name="record_edit"),
    path("import/<slug:kind>/template/", views.import_template, name="import_template"),
    path("import/<slug:kind>/", views.import_upload, name="import_upload"),
]
