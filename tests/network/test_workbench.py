"""The workbench: alerts from every app through one registry, notifications (beat task, once per item and user),
notices with read receipts, the menu by role; the permission matrix of every new page."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.permkit import FORBIDDEN, FOUND, LOGIN, NOT_FOUND, OK, PERSONAS, READ_CITY_WIDE, Case, permission_matrix_test

# These tests are about every account at once.
pytestmark = pytest.mark.usefixtures("every_persona")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PUBLISH = dict.fromkeys(PERSONAS, FORBIDDEN) | {"city_admin": OK, "officer_a": OK, "officer_b": OK, "anonymous": LOGIN}
POSTED = dict.fromkeys(PERSONAS, FOUND) | {"anonymous": LOGIN}
FIELD_WORK = dict.fromkeys(PERSONAS, NOT_FOUND) | {
    "officer_a": OK,
    "officer_b": OK,
    "station_worker": OK,
    "provider": OK,
    "anonymous": LOGIN,
}
OWNER_ONLY = dict.fromkeys(PERSONAS, NOT_FOUND) | {"city_admin": FOUND, "anonymous": LOGIN}
# A city notice to the county level: the city (publisher side) and both county officers (addressed).
CITY_NOTICE_READ = dict.fromkeys(PERSONAS, NOT_FOUND) | {
    "city_admin": OK,
    "officer_a": OK,
    "officer_b": OK,
    "anonymous": LOGIN,
}
# Its receipts: the publishing side only; an addressee sees the notice but not who else read it (403).
CITY_NOTICE_RECEIPTS = CITY_NOTICE_READ | {"officer_a": FORBIDDEN, "officer_b": FORBIDDEN}
# County A's notice to its county and township levels: county A's side and the users inside county A.
COUNTY_NOTICE_READ = dict.fromkeys(PERSONAS, NOT_FOUND) | {
    "city_admin": OK,
    "officer_a": OK,
    "station_worker": OK,
    "provider": OK,
    "evaluator": OK,
    "anonymous": LOGIN,
}


def _user(name):
    from network.models import User

    return User.objects.get(username=name)


def _city_notice(n, **kwargs):
    from network.notices import notice_publish

    return notice_publish(
        user=_user("city_admin"),
        title="关于报送季度花名册的通知",
        body="请各县区于月底前报送。",
        place=n["city"],
        levels=["county"],
        audience=[],
        files=[SimpleUploadedFile("名单.pdf", PDF, content_type="application/pdf")],
        **kwargs,
    )


def _county_notice(n):
    from network.notices import notice_publish

    return notice_publish(
        user=_user("officer_a"),
        title="柳城县社工站例会通知",
        body="周五开会。",
        place=n["county_a"],
        levels=["county", "township"],
        audience=[],
    )


def _admin_notification(n):
    from network.models import Notification

    return [Notification.objects.create(user=_user("city_admin"), key="test:1", source="test", title="t", url="/").pk]


PERMISSION_MATRIX = [
    Case("network:alert_list", READ_CITY_WIDE, args=lambda n: ["notices_unread"]),
    Case("network:alert_list", FIELD_WORK, args=lambda n: ["prc2_understaffed"]),
    Case("network:notification_list", READ_CITY_WIDE),
    Case("network:notification_read", POSTED, method="post"),
    Case("network:notification_open", OWNER_ONLY, args=_admin_notification),
    Case("network:profile", READ_CITY_WIDE),
    Case("network:profile", POSTED, method="post", data=lambda n: {"email_digest": "on"}),
    Case("network:notice_list", READ_CITY_WIDE),
    Case("network:notice_create", PUBLISH),
    Case("network:notice_detail", CITY_NOTICE_READ, args=lambda n: [_city_notice(n).pk]),
    Case("network:notice_detail", COUNTY_NOTICE_READ, args=lambda n: [_county_notice(n).pk]),
    Case("network:notice_receipts", CITY_NOTICE_RECEIPTS, args=lambda n: [_city_notice(n).pk]),
    Case(
        "network:notice_receipts",
        dict(COUNTY_NOTICE_READ, station_worker=FORBIDDEN, provider=FORBIDDEN, evaluator=FORBIDDEN),
        args=lambda n: [_county_notice(n).pk],
    ),
    Case(
        "network:notice_attachment",
        CITY_NOTICE_READ,
        args=lambda n: [_city_notice(n).attachments.get().pk],
    ),
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


# --- The alert registry ----------------------------------------------------------------------------------------


def _overdue_follow_up(n, days=3):
    from stations.models import FollowUpPlan
    from tests.factories import RecipientFactory

    recipient = RecipientFactory(village=n["village_a11"])
    return FollowUpPlan.objects.create(
        recipient=recipient, due_on=timezone.localdate() - datetime.timedelta(days=days), action="电话回访"
    )


def _alert(user, code):
    from network.workbench import alerts_for

    return next((a for a in alerts_for(user, timezone.localdate()) if a.source.code == code), None)


@pytest.mark.django_db
def test_every_app_registers_its_alert_sources():
    from network.workbench import alert_sources

    codes = {s.code for s in alert_sources()}
    assert {
        "imports_waiting",
        "notices_unread",
        "srv3_follow_ups_overdue",
        "prc2_deadlines",
        "reregistration_due",
        "prc2_understaffed",
        "prc4_evaluations_due",
    } <= codes


@pytest.mark.django_db
def test_overdue_follow_ups_are_scoped_and_leave_when_done(personas, network):
    plan = _overdue_follow_up(network)
    _overdue_follow_up(network, days=-5)  # not due yet
    assert [i.key for i in _alert(personas["station_worker"], "srv3_follow_ups_overdue").items] == [
        f"srv3:followup:{plan.pk}"
    ]
    assert _alert(personas["officer_a"], "srv3_follow_ups_overdue").count == 1
    assert _alert(personas["officer_b"], "srv3_follow_ups_overdue").count == 0
    assert _alert(personas["city_viewer"], "srv3_follow_ups_overdue") is None  # not their work
    plan.done_on = timezone.localdate()
    plan.save()
    assert _alert(personas["station_worker"], "srv3_follow_ups_overdue").count == 0


@pytest.mark.django_db
def test_understaffed_stations_follow_the_prc2_setting(personas, network):
    alert = _alert(personas["officer_a"], "prc2_understaffed")
    assert {i.url for i in alert.items} == {
        reverse("stations:station_detail", args=[network[k].pk]) for k in ("station_a1", "station_a2")
    }
    assert _alert(personas["station_worker"], "prc2_understaffed").count == 1


@pytest.mark.django_db
def test_qualification_deadline_and_reregistration_alerts(personas, network):
    from tests.factories import AssignmentFactory, QualificationFactory, WorkerFactory

    today = timezone.localdate()
    late = WorkerFactory(place=network["township_a1"])
    AssignmentFactory(worker=late, station=network["station_a1"], start_on=today - datetime.timedelta(days=800))
    certified = WorkerFactory(place=network["township_a1"])
    QualificationFactory(worker=certified, registered_on=today - datetime.timedelta(days=3 * 365 - 30))
    deadlines = _alert(personas["station_worker"], "prc2_deadlines")
    assert [i.key.split(":")[1] for i in deadlines.items] == ["overdue"]
    assert late.name in deadlines.items[0].title
    assert _alert(personas["officer_b"], "prc2_deadlines").count == 0
    rereg = _alert(personas["officer_a"], "reregistration_due")
    assert rereg.count == 1 and certified.name in rereg.items[0].title


@pytest.mark.django_db
def test_imports_waiting_for_confirmation(personas, network):
    from network.choices import JobStatus
    from network.models import Job

    job = Job.objects.create(
        kind="stations.import.recipients",
        created_by=personas["station_worker"],
        status=JobStatus.DONE,
        params={"step": "preview"},
        result={"error_count": 0},
    )
    Job.objects.create(
        kind="stations.import.recipients",
        created_by=personas["station_worker"],
        status=JobStatus.DONE,
        params={"step": "preview"},
        result={"error_count": 2},
    )
    alert = _alert(personas["station_worker"], "imports_waiting")
    assert [i.url for i in alert.items] == [job.get_absolute_url()]
    assert _alert(personas["officer_a"], "imports_waiting").count == 0


# --- The workbench page --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_workbench_counts_link_to_the_filtered_list(client, personas, network):
    _overdue_follow_up(network)
    client.force_login(personas["station_worker"])
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="todo-count-srv3_follow_ups_overdue">1</a>' in html
    assert reverse("stations:follow_up_list") + "?overdue=true" in html
    assert 'data-testid="quick-record_create"' in html  # 记录服务
    assert 'data-testid="quick-notice_create"' not in html  # a station worker publishes no notice


@pytest.mark.django_db
def test_workbench_empty_state(client, personas, network):
    client.force_login(personas["city_viewer"])
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="todo-empty"' in html
    assert 'data-testid="quick-actions"' not in html  # a read-only role has nothing to start


@pytest.mark.django_db
def test_key_figures_come_from_the_computed_values(client, personas, network):
    from reporting.models import IndicatorValue

    today = timezone.localdate()
    IndicatorValue.objects.create(
        indicator="TGT-COV",
        place=network["county_a"],
        level="county",
        period=f"{today:%Y-%m}",
        period_kind="month",
        as_of=today,
        numerator=1,
        denominator=2,
        value=50,
        target=100,
        status="at_risk",
        changed_at=timezone.now(),
    )
    client.force_login(personas["officer_a"])
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="figure-TGT-COV"' in html and "50.0 %" in html
    client.force_login(personas["officer_b"])
    assert 'data-testid="figure-TGT-COV"' not in client.get(reverse("home")).content.decode()


# --- Notifications ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_beat_task_twice_creates_each_notification_once(personas, network):
    from network.models import Notification
    from network.tasks import notifications_sync

    plan = _overdue_follow_up(network)
    first = notifications_sync.apply().get()
    second = notifications_sync.apply().get()
    assert first["created"] > 0 and second["created"] == 0
    key = f"srv3:followup:{plan.pk}"
    rows = Notification.objects.filter(key=key)
    # The station worker, county A's officer and the provider on A1 each get it once; nobody else.
    assert sorted(rows.values_list("user__username", flat=True)) == ["officer_a", "provider", "station_worker"]
    assert not Notification.objects.filter(key=key, user__username="officer_b").exists()


@pytest.mark.django_db
def test_resolved_alert_leaves_the_inbox_and_read_marks(client, personas, network):
    from network.models import Notification
    from network.notifications import notifications_sync

    plan = _overdue_follow_up(network)
    notifications_sync()
    client.force_login(personas["station_worker"])
    html = client.get(reverse("home")).content.decode()
    n = Notification.objects.get(user=personas["station_worker"], key=f"srv3:followup:{plan.pk}")
    unread = Notification.objects.open_for(personas["station_worker"]).filter(read_at__isnull=True).count()
    assert f'data-testid="bell-count">{unread}</span>' in html
    response = client.get(reverse("network:notification_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == n.url
    n.refresh_from_db()
    assert n.read_at is not None
    assert plan.action in client.get(reverse("network:notification_list")).content.decode()
    plan.done_on = timezone.localdate()
    plan.save()
    notifications_sync()
    n.refresh_from_db()
    assert n.resolved_at is not None
    assert plan.action not in client.get(reverse("network:notification_list")).content.decode()
    assert plan.action in client.get(reverse("network:notification_list") + "?all=1").content.decode()


@pytest.mark.django_db
def test_mark_all_read_touches_only_ones_own(client, personas, network):
    from network.models import Notification

    mine = Notification.objects.create(user=personas["officer_a"], key="k:1", source="t", title="a", url="/")
    theirs = Notification.objects.create(user=personas["officer_b"], key="k:1", source="t", title="b", url="/")
    client.force_login(personas["officer_a"])
    client.post(reverse("network:notification_read"), {"id": [mine.pk, theirs.pk]})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


@pytest.mark.django_db
def test_email_digest_only_for_subscribers_and_once(client, personas, network):
    from network.models import User
    from network.notifications import notifications_digest_send, notifications_sync

    _overdue_follow_up(network)
    User.objects.filter(username__in=["station_worker", "officer_a"]).update(email="x@example.org")
    notifications_sync()
    client.force_login(personas["station_worker"])
    client.post(reverse("network:profile"), {"email_digest": "on"})
    assert notifications_digest_send() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["x@example.org"]
    assert "电话回访" in mail.outbox[0].body and "/network/profile/" in mail.outbox[0].body
    assert notifications_digest_send() == 0  # each notification is e-mailed once
    client.post(reverse("network:profile"), {})  # unsubscribe
    _overdue_follow_up(network, days=1)
    notifications_sync()
    assert notifications_digest_send() == 0


# --- Notices -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_city_notice_read_by_one_county_shows_in_the_receipts(client, personas, network):
    from network.models import NoticeReceipt

    notice = _city_notice(network)
    assert sorted(NoticeReceipt.objects.filter(notice=notice).values_list("user__username", flat=True)) == [
        "officer_a",
        "officer_b",
    ]
    assert _alert(personas["officer_a"], "notices_unread").count == 1
    client.force_login(personas["officer_a"])
    assert client.get(notice.get_absolute_url()).status_code == 200
    assert _alert(personas["officer_a"], "notices_unread").count == 0
    client.force_login(personas["city_admin"])
    html = client.get(reverse("network:notice_receipts", args=[notice.pk])).content.decode()
    read, unread = html.split('data-testid="receipts-read"')[1].split('data-testid="receipts-unread"')
    assert "officer_a" in read and "officer_b" not in read
    assert "officer_b" in unread and "officer_a" not in unread


@pytest.mark.django_db
def test_county_cannot_publish_to_another_county(client, personas, network):
    from network.models import Notice

    client.force_login(personas["officer_a"])
    response = client.post(
        reverse("network:notice_create"),
        {"title": "t", "body": "b", "place": network["county_b"].pk, "levels": ["county"]},
    )
    assert response.status_code == 200 and Notice.objects.count() == 0
    response = client.post(
        reverse("network:notice_create"),
        {
            "title": "t",
            "body": "b",
            "place": network["county_a"].pk,
            "levels": ["township"],
            "audience": [network["township_b1"].pk],
        },
    )
    assert response.status_code == 200 and Notice.objects.count() == 0
    response = client.post(
        reverse("network:notice_create"),
        {"title": "t", "body": "b", "place": network["county_a"].pk, "levels": ["city"]},
    )
    assert response.status_code == 200 and Notice.objects.count() == 0
    response = client.post(
        reverse("network:notice_create"),
        {
            "title": "t",
            "body": "b",
            "place": network["county_a"].pk,
            "levels": ["township"],
            "audience": [network["township_a1"].pk],
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert list(notice.receipts.values_list("user__username", flat=True)) == ["station_worker"] or sorted(
        notice.receipts.values_list("user__username", flat=True)
    ) == ["provider", "station_worker"]


@pytest.mark.django_db
def test_attachment_checks_refuse_a_renamed_file(client, personas, network):
    from network.models import Notice

    client.force_login(personas["city_admin"])
    response = client.post(
        reverse("network:notice_create"),
        {
            "title": "t",
            "body": "b",
            "place": network["city"].pk,
            "levels": ["county"],
            "attachments": [SimpleUploadedFile("a.pdf", b"MZ not a pdf")],
        },
    )
    assert response.status_code == 200 and Notice.objects.count() == 0
    assert "a.pdf" in response.content.decode()


# --- The menu ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("anonymous", "api_client")])
def test_every_menu_entry_opens_for_its_role(client, personas, network, persona):
    """The menu shows only pages the role may open: each entry answers 200; the breadcrumbs link only to those."""
    import re

    from network.menu import menu_for

    user = personas[persona]
    client.force_login(user)
    groups = menu_for(user, "/")
    urls = [i["url"] for g in groups for i in g["items"]]
    assert "/" in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (persona, url, response.status_code)
        crumbs = re.findall(r'<li class="breadcrumb-item"><a href="([^"]+)"', response.content.decode())
        assert set(crumbs) <= set(urls), (persona, url, crumbs)
    admin_only = {"network:user_list", "network:division_import", "network:personal_data_log", "reporting:recompute"}
    names = {i["url_name"] for g in groups for i in g["items"]}
    assert (admin_only <= names) == (persona == "city_admin")
    assert not admin_only & names or persona == "city_admin"


@pytest.mark.django_db
def test_menu_skips_entries_without_a_route_and_marks_the_current_page(personas, network):
    from network.menu import MenuEntry, breadcrumbs, menu_entry_register, menu_for

    menu_entry_register("supervision", MenuEntry("supervision:not_built_yet", "x"))
    groups = menu_for(personas["officer_a"], reverse("stations:room_list") + "12/")
    names = [i["url_name"] for g in groups for i in g["items"]]
    assert "supervision:not_built_yet" not in names
    active = [i["url_name"] for g in groups for i in g["items"] if i["active"]]
    assert active == ["stations:room_list"]  # the longest matching address, not the station list
    crumbs = breadcrumbs(groups, reverse("stations:room_list") + "12/")
    assert [c["url"] for c in crumbs] == ["/", "", reverse("stations:room_list")]


def test_menu_entry_takes_the_first_name_that_resolves():
    from network.menu import menu_url

    assert menu_url("supervision:not_built_yet", ("stations:room_list",)) == reverse("stations:room_list")
    assert menu_url("stations:station_list", ("stations:room_list",)) == reverse("stations:station_list")
    assert menu_url("supervision:not_built_yet") is None
