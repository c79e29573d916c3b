"""SRV-3/PRC-2: a service record names only the workers stationed at its station on its day — the form offers
them alone (with a detail telling equal names apart), the service (form and API) refuses any other with the rule's
message; the recipient page links 记录服务; the worker's page lists the worker's service records."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stations import services
from stations.models import ServiceRecord
from workforce.models import Assignment, Worker


def _worker(n, name, station, serial, start, end=None):
    from tests.factories import valid_id_number

    w = Worker.objects.create(
        name=name,
        gender="female",
        birth_date=datetime.date(1980 + serial, 1, 1),
        id_number=valid_id_number(700 + serial, birth=f"{1980 + serial}0101"),
        place=station.place,
    )
    Assignment.objects.create(worker=w, station=station, role="stationed", start_on=start, end_on=end)
    return w


@pytest.mark.django_db
def test_only_workers_stationed_that_day(network, personas, client):
    station = network["station_a1"]
    here = _worker(network, "韦丽", station, 1, datetime.date(2022, 1, 1))
    left = _worker(network, "韦丽", station, 2, datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
    elsewhere = _worker(network, "覃芳", network["station_a2"], 3, datetime.date(2022, 1, 1))
    day = datetime.date(2023, 3, 3)
    args = {
        "user": personas["officer_a"],
        "station": station,
        "kind": "home_visit",
        "served_on": day,
        "duration_hours": 1,
    }
    services.service_record_create(**args, workers=[here])
    for wrong in (left, elsewhere):
        with pytest.raises(ValidationError) as caught:
            services.service_record_create(**args, workers=[here, wrong])
        message = " ".join(caught.value.message_dict["workers"])
        assert "SRV-3/PRC-2" in message and wrong.name in message
    assert ServiceRecord.objects.filter(station=station, served_on=day).count() == 1

    client.force_login(personas["officer_a"])
    url = reverse("stations:record_create") + f"?station={station.pk}&served_on={day.isoformat()}"
    html = client.get(url).content.decode()
    assert f'value="{here.pk}"' in html and f'value="{left.pk}"' not in html and f'value="{elsewhere.pk}"' not in html
    assert "韦丽（柳城县1镇，1981年生）" in html  # the same name told apart by township and birth year
    response = client.post(
        reverse("stations:record_create"),
        {
            "station": station.pk,
            "kind": "home_visit",
            "served_on": "2023年3月3日",
            "duration_hours": 1,
            "workers": [elsewhere.pk],
            "volunteer_count": 0,
            "participant_count": 1,
        },
    )
    errors = response.context["form"].errors
    assert response.status_code == 200 and "SRV-3/PRC-2" in str(errors.get("workers")), errors
    assert ServiceRecord.objects.filter(station=station, served_on=day).count() == 1

    # The recipient page offers 记录服务 for its station; the worker's page lists the worker's services.
    recipient = network["recipient_a11"]
    html = client.get(reverse("stations:recipient_detail", args=[recipient.pk])).content.decode()
    assert f"?station={station.pk}&amp;recipients={recipient.pk}" in html and "记录服务" in html
    html = client.get(reverse("workforce:worker_detail", args=[here.pk])).content.decode()
    assert 'data-testid="worker-service-records"' in html and "2023-03-03" in html
