"""Rules of the write services, each bad input refused with a clear message and nothing written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from workforce import services
from workforce.choices import AssignmentRole, Grade
from workforce.identifiers import make_credit_code
from workforce.models import Assignment, Organisation, Qualification, Specialisation, SpecialisationCategory

pytestmark = pytest.mark.usefixtures("wf")
D = datetime.date


@pytest.mark.django_db
def test_qualification_dates(network, personas):
    li, user = network["li"], personas["officer_a"]  # born 1990-05-17
    with pytest.raises(ValidationError) as exc:
        services.qualification_save(
            user=user, worker=li, data={"grade": 1, "certificate_no": "T1", "obtained_on": D(2008, 5, 16)}
        )
    assert "obtained_on" in exc.value.message_dict
    services.qualification_save(
        user=user, worker=li, data={"grade": 1, "certificate_no": "T1", "obtained_on": D(2008, 5, 17)}
    )
    with pytest.raises(ValidationError) as exc:
        services.qualification_save(
            user=user,
            worker=li,
            data={
                "grade": 1,
                "certificate_no": "T2",
                "obtained_on": timezone.localdate() + datetime.timedelta(days=1),
            },
        )
    assert "obtained_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.qualification_save(
            user=user, worker=li, data={"grade": 2, "certificate_no": "zs2019001", "obtained_on": D(2020, 1, 1)}
        )
    assert "certificate_no" in exc.value.message_dict
    assert Qualification.objects.filter(worker=li).count() == 1


@pytest.mark.django_db
def test_revocation_not_before_obtaining_and_keeps_history(network):
    q = network["q_zhang"]
    with pytest.raises(ValidationError):
        services.qualification_revoke(qualification=q, revoked_on=D(2019, 1, 1))
    services.qualification_revoke(qualification=q, revoked_on=D(2022, 1, 1), reason="注销")
    q.refresh_from_db()
    assert q.revoked_on == D(2022, 1, 1) and q.history.count() == 2


@pytest.mark.django_db
def test_assignment_overlap_at_a_second_station_is_refused(network, personas):
    zhang, user = network["zhang"], personas["officer_a"]
    data = {
        "worker": zhang,
        "station": network["station_a2"],
        "role": AssignmentRole.STATIONED,
        "organisation": network["org_a"],
        "start_on": D(2023, 1, 1),
        "end_on": None,
    }
    with pytest.raises(ValidationError) as exc:
        services.assignment_save(user=user, data=data)
    assert "PRC-2" in " ".join(exc.value.messages)
    services.assignment_end(user=user, assignment=network["a_zhang"], end_on=D(2022, 12, 31))
    assert services.assignment_save(user=user, data=data).pk
    assert Assignment.objects.filter(worker=zhang).count() == 2


@pytest.mark.django_db
def test_provider_must_include_social_work_and_be_in_county(network, personas):
    user = personas["officer_a"]
    other = Organisation.objects.create(
        name="无社工范围",
        credit_code=make_credit_code("450222", 50),
        county=network["county_a"],
        scope_includes_social_work=False,
    )
    base = {
        "worker": network["li"],
        "station": network["station_a2"],
        "role": AssignmentRole.SUPERVISOR,
        "start_on": D(2020, 1, 1),
        "end_on": D(2020, 12, 31),
    }
    for org in (other, network["org_b"]):
        with pytest.raises(ValidationError) as exc:
            services.assignment_save(user=user, data=base | {"organisation": org})
        assert "organisation" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.worker_save(
            user=user,
            data={
                "name": "李秀英",
                "id_number": network["li"].id_number,
                "place": network["township_a2"],
                "organisation": network["org_b"],
            },
            worker=network["li"],
        )


@pytest.mark.django_db
def test_organisation_credit_code_rules(network, personas):
    user = personas["officer_a"]
    good = make_credit_code("450222", 60)
    data = {
        "name": "新机构",
        "credit_code": good[:17] + ("0" if good[17] != "0" else "1"),
        "county": network["county_a"],
    }
    with pytest.raises(ValidationError) as exc:
        services.organisation_save(user=user, data=data)
    assert "GB 32100" in " ".join(exc.value.message_dict["credit_code"])
    with pytest.raises(ValidationError):
        services.organisation_save(user=user, data=data | {"credit_code": network["org_a"].credit_code})
    with pytest.raises(ValidationError):
        services.organisation_save(user=user, data=data | {"credit_code": good, "county": network["township_a1"]})
    assert services.organisation_save(user=user, data=data | {"credit_code": good.lower()}).credit_code == good


@pytest.mark.django_db
def test_organisation_form_outside_county_is_not_saved(client, network, personas):
    client.force_login(personas["officer_a"])
    response = client.post(
        reverse("workforce:organisation_create"),
        {"name": "越界机构", "credit_code": make_credit_code("450223", 61), "county": network["county_b"].code},
    )
    assert response.status_code == 200 and not Organisation.objects.filter(name="越界机构").exists()


@pytest.mark.django_db
def test_specialisations_dated_and_not_overlapping(network):
    cat = SpecialisationCategory.objects.get(code="minors_protection")
    assert cat.in_plan and SpecialisationCategory.objects.filter(in_plan=True).count() == 4
    services.specialisation_save(worker=network["zhang"], category=cat, since=D(2021, 1, 1), until=D(2021, 12, 31))
    with pytest.raises(ValidationError):
        services.specialisation_save(worker=network["zhang"], category=cat, since=D(2021, 6, 1))
    services.specialisation_save(worker=network["zhang"], category=cat, since=D(2022, 1, 1))
    assert Specialisation.objects.filter(worker=network["zhang"]).count() == 2


@pytest.mark.django_db
def test_qualification_form_posts_through_the_service(client, network, personas):
    client.force_login(personas["officer_a"])
    url = reverse("workforce:qualification_create", args=[network["li"].pk])
    response = client.post(url, {"grade": Grade.ASSISTANT, "certificate_no": "ZS2021002", "obtained_on": "2023-01-01"})
    assert response.status_code == 200 and "已登记" in response.content.decode()
    response = client.post(url, {"grade": Grade.ASSISTANT, "certificate_no": "F-1", "obtained_on": "2023-01-01"})
    assert response.status_code == 302 and Qualification.objects.filter(certificate_no="F-1").exists()
