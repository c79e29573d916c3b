from django.urls import path

from . import legend, system_views, views, views_workbench

app_name = "network"
urlpatterns = [
    path("places/", views.PlaceListView.as_view(), name="place_list"),
    path("places/<str:pk>/", views.PlaceDetailView.as_view(), name="place_detail"),
    path("centres/", views.CentreListView.as_view(), name="centre_list"),
    path("centres/new/", views.CentreCreateView.as_view(), name="centre_create"),
    path("centres/<int:pk>/", views.CentreDetailView.as_view(), name="centre_detail"),
    path("centres/<int:pk>/edit/", views.CentreUpdateView.as_view(), name="centre_edit"),
    path("accounts/", views.UserListView.as_view(), name="account_list"),
    path("accounts/", views.UserListView.as_view(), name="user_list"),  # the former name of account_list
    path("accounts/new/", views.user_create, name="user_create"),
    path("accounts/<int:pk>/", views.user_edit, name="user_edit"),
    path("rules/", views.rule_settings, name="rule_settings"),
    path("rules/legend/", legend.rule_legend, name="rule_legend"),
    path("personal-data-log/", views.PersonalDataEventListView.as_view(), name="personal_data_log"),
    path("divisions/import/", views.division_import, name="division_import"),
    path("divisions/template/", views.division_template, name="division_template"),
    path("workbench/<slug:code>/", views_workbench.alert_list, name="alert_list"),
    path("notifications/", views_workbench.notification_list, name="notification_list"),
    path("notifications/read/", views_workbench.notification_read, name="notification_read"),
    path("notifications/<int:pk>/open/", views_workbench.notification_open, name="notification_open"),
    path("profile/", views_workbench.profile, name="profile"),
    path("notices/", views_workbench.notice_list, name="notice_list"),
    path("notices/new/", views_workbench.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views_workbench.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/receipts/", views_workbench.notice_receipts, name="notice_receipts"),
    path("notices/attachments/<int:pk>/", views_workbench.notice_attachment, name="notice_attachment"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<uuid:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
    # 系统管理 (city administrators)
    path("accounts/<int:pk>/password/", system_views.account_password, name="account_password"),
    path("accounts/<int:pk>/unlock/", system_views.account_unlock, name="account_unlock"),
    path("accounts/<int:pk>/active/", system_views.account_active, name="account_active"),
    path("operation-log/", system_views.operation_log, name="operation_log"),
    path("login-log/", system_views.login_log, name="login_log"),
    path("scheduled-jobs/", system_views.scheduled_jobs, name="scheduled_jobs"),
]
