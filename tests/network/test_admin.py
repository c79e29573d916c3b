"""系统管理: account actions (password, lock, active), the operation log, the login log, the scheduled jobs,
and the lockout page; the permission matrix of every page."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.permkit import CITY_ADMIN_ONLY, FOUND, READ_CITY_WIDE, Case, permission_matrix_test


def _officer_b_pk(n):
    return [n["personas"]["officer_b"].pk]


ADMIN_POST = CITY_ADMIN_ONLY | {"city_admin": FOUND}
PERMISSION_MATRIX = [
    Case("network:account_list", CITY_ADMIN_ONLY),
    Case("network:account_password", CITY_ADMIN_ONLY, args=_officer_b_pk),
    Case(
        "network:account_password",
        ADMIN_POST,
        args=_officer_b_pk,
        method="post",
        data=lambda n: {"new_password1": "Another-pass-2026!", "new_password2": "Another-pass-2026!"},
    ),
    Case("network:account_unlock", ADMIN_POST, args=_officer_b_pk, method="post"),
    Case("network:account_active", ADMIN_POST, args=_officer_b_pk, method="post", data=lambda n: {"active": "1"}),
    Case("network:operation_log", CITY_ADMIN_ONLY),
    Case("network:operation_log", CITY_ADMIN_ONLY, query="model=network.place&date_from=2026年1月1日"),
    Case("network:login_log", CITY_ADMIN_ONLY),
    Case("network:login_log", CITY_ADMIN_ONLY, query="kind=locked"),
    Case("network:scheduled_jobs", CITY_ADMIN_ONLY),
    Case("network:rule_legend", READ_CITY_WIDE),  # every signed-in role reads the legend of rule IDs
]
test_permission_matrix = permission_matrix_test(PERMISSION_MATRIX)


def _fail_logins(client, username, times, address="10.1.2.3"):
    for _ in range(times):
        response = client.post(
            reverse("login"), {"username": username, "password": "wrong-password"}, REMOTE_ADDR=address
        )
    return response


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_lockout_page_says_how_long_and_whom_to_ask(client, personas, settings):
    response = _fail_logins(client, "officer_a", settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    html = response.content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert 'data-testid="lock-duration"' in html and f"{minutes} 分钟" in html
    assert 'data-testid="lock-whom"' in html and "city_admin" in html
    # The right password is refused while locked.
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 429


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_admin_unlocks_and_the_officer_signs_in(client, personas, settings):
    from network.models import User

    _fail_logins(client, "officer_a", settings.AXES_FAILURE_LIMIT)
    officer = User.objects.get(username="officer_a")
    client.force_login(personas["city_admin"])
    html = client.get(reverse("network:user_edit", args=[officer.pk])).content.decode()
    assert "已锁定" in html and 'data-testid="unlock"' in html
    assert "officer_a" in client.get(reverse("network:account_list") + "?q=officer_a").content.decode()
    response = client.post(reverse("network:account_unlock", args=[officer.pk]), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    html = client.get(reverse("network:user_edit", args=[officer.pk])).content.decode()
    assert "未锁定" in html
    client.logout()
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response["Location"] == "/"
    # The unlock is in the operation log, with who did it and from where.
    client.force_login(personas["city_admin"])
    html = client.get(reverse("network:operation_log") + f"?user={personas['city_admin'].pk}").content.decode()
    assert "解除登录锁定" in html and "10.9.9.9" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_reset_password_and_deactivate(client, personas):
    from network.models import User

    officer = User.objects.get(username="officer_b")
    client.force_login(personas["city_admin"])
    weak = client.post(
        reverse("network:account_password", args=[officer.pk]), {"new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 200 and "invalid-feedback" in weak.content.decode()
    new = "Brand-new-pass-2026!"
    client.post(reverse("network:account_password", args=[officer.pk]), {"new_password1": new, "new_password2": new})
    officer.refresh_from_db()
    assert officer.check_password(new)
    client.post(reverse("network:account_active", args=[officer.pk]), {"active": "0"})
    officer.refresh_from_db()
    assert not officer.is_active
    # An administrator cannot deactivate themself.
    admin = personas["city_admin"]
    client.post(reverse("network:account_active", args=[admin.pk]), {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active
    client.post(reverse("network:account_active", args=[officer.pk]), {"active": "1"})
    officer.refresh_from_db()
    assert officer.is_active
    reasons = list(User.history.filter(id=officer.pk).values_list("history_change_reason", flat=True))
    assert {"password reset", "deactivated", "activated"} <= set(reasons)


@pytest.mark.django_db
def test_operation_log_records_address_and_filters(client, personas, network):
    from network.models import Centre

    client.force_login(personas["officer_a"])
    centre = Centre.objects.create(place=network["county_a"], level="county", name="柳城县社会工作指导中心")
    response = client.post(
        reverse("network:centre_edit", args=[centre.pk]),
        {"name": "柳城县社会工作服务指导中心", "host": "柳城县民政局", "address": "", "contact_phone": ""},
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 302, response.content[:500]
    h = Centre.history.filter(id=centre.pk).order_by("-history_id").first()
    assert h.history_ip_address == "10.20.30.40" and h.history_user == personas["officer_a"]

    client.force_login(personas["city_admin"])
    url = reverse("network:operation_log")
    html = client.get(url + f"?user={personas['officer_a'].pk}").content.decode()
    assert "10.20.30.40" in html and "柳城县社会工作服务指导中心" in html and "名称" in html
    # Place: county A has it, county B does not; model filter; dates in the displayed and ISO forms.
    assert "10.20.30.40" in client.get(url + f"?place={network['county_a'].code}").content.decode()
    assert "10.20.30.40" not in client.get(url + f"?place={network['county_b'].code}").content.decode()
    assert "10.20.30.40" in client.get(url + "?model=network.centre").content.decode()
    assert "10.20.30.40" not in client.get(url + "?model=network.place").content.decode()
    today = timezone.localdate()
    shown = f"{today.year}年{today.month}月{today.day}日"
    assert "10.20.30.40" in client.get(url + f"?date_from={shown}&date_to={today.isoformat()}").content.decode()
    tomorrow = today + datetime.timedelta(days=1)
    assert "10.20.30.40" not in client.get(url + f"?date_from={tomorrow.isoformat()}").content.decode()
    # The export holds what the filters show.
    response = client.get(url + f"?user={personas['officer_a'].pk}&export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "时间" and any("10.20.30.40" in [str(v) for v in r] for r in rows[1:])
    assert all(r[1] in ("officer_a",) for r in rows[1:])


@pytest.mark.django_db
@pytest.mark.usefixtures("every_persona")
def test_login_log_shows_sign_ins_failures_and_lockouts(client, personas, settings):
    _fail_logins(client, "officer_b", settings.AXES_FAILURE_LIMIT, address="10.5.5.5")
    client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD}, REMOTE_ADDR="10.6.6.6")
    client.force_login(personas["city_admin"])
    url = reverse("network:login_log")
    html = client.get(url).content.decode()
    assert 'data-kind="login"' in html and 'data-kind="failed"' in html and 'data-kind="locked"' in html
    assert 'data-testid="locked-now"' in html and "officer_b" in html
    html = client.get(url + "?kind=locked").content.decode()
    assert "10.5.5.5" in html and 'data-kind="login"' not in html and 'data-kind="failed"' not in html
    html = client.get(url + "?username=officer_a").content.decode()
    assert "10.6.6.6" in html and "10.5.5.5" not in html
    response = client.get(url + "?export=xlsx&username=officer_b")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 1 + settings.AXES_FAILURE_LIMIT and all(r[1] == "officer_b" for r in rows[1:])


@pytest.mark.django_db
def test_scheduled_jobs_show_last_run(client, personas):
    from network.tasks import jobs_mark_stale

    client.force_login(personas["city_admin"])
    html = client.get(reverse("network:scheduled_jobs")).content.decode()
    assert 'data-task="network.tasks.jobs_mark_stale"' in html and "尚未运行" in html and "每天 02:15" in html
    jobs_mark_stale.apply()
    html = client.get(reverse("network:scheduled_jobs")).content.decode()
    row = html.split('data-task="network.tasks.jobs_mark_stale"')[1].split("</tr>")[0]
    assert "成功" in row


@pytest.mark.django_db
def test_rule_badges_explain_themselves(client, personas, network):
    client.force_login(personas["officer_a"])
    html = client.get(reverse("stations:station_detail", args=[network["station_a1"].pk])).content.decode()
    assert 'class="badge rounded-pill text-bg-light border rule-id" href="/network/rules/legend/#NET-3"' in html
    assert "每个乡镇（街道）建一个社会工作服务站" in html  # the rule's text on hover
    assert "✅" not in html and "❌" not in html and 'aria-label="场地: ' in html  # icons, not emoji
    legend = client.get(reverse("network:rule_legend")).content.decode()
    assert 'id="PRC-2"' in legend and "每站至少派驻2名社工" in legend


@pytest.mark.django_db
def test_printed_page_carries_portal_place_date_and_filters(client, personas, network):
    client.force_login(personas["city_admin"])
    html = client.get(
        reverse("network:operation_log") + f"?place={network['county_a'].code}&model=network.centre"
    ).content.decode()
    header = html.split('data-testid="print-header"')[1].split("</header>")[0]
    assert "柳州市社会工作服务网络" in header and "打印时间" in header
    assert "地区 = 柳城县" in header and "记录类型 = " in header and "network.centre" not in header
    html = client.get(reverse("stations:station_detail", args=[network["station_a1"].pk])).content.decode()
    header = html.split('data-testid="print-header"')[1].split("</header>")[0]
    assert network["township_a1"].name in header
