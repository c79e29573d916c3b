"""A role outside the personal-data roles never receives a stored ID number or phone through a form."""

import pytest
from django.urls import reverse

from stations.models import Recipient
from tests.factories import RecipientFactory, WorkerFactory, valid_id_number
from tests.permkit import client_for
from workforce.models import Worker


def _form_data(page_form_fields: dict, **overrides) -> dict:
    return {k: v for k, v in page_form_fields.items() if v is not None} | overrides


@pytest.mark.django_db
def test_provider_staff_edit_a_recipient_without_seeing_its_id_number_or_phone(client, personas, network):
    recipient = RecipientFactory(village=network["village_a11"], name="覃某", phone="13807720001")
    c = client_for(client, personas, "provider")
    url = reverse("stations:recipient_edit", args=[recipient.pk])
    page = c.get(url).content.decode()
    assert recipient.id_number not in page and "13807720001" not in page
    assert recipient.id_number[:6] + "********" in page  # the masked value, as a placeholder

    form = c.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["target_groups"] = recipient.target_groups
    # Left empty: the stored values stay.
    response = c.post(url, data | {"name": "覃某某"})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    stored = Recipient.objects.get(pk=recipient.pk)
    assert stored.name == "覃某某" and stored.id_number == recipient.id_number and stored.phone == "13807720001"
    # A new value replaces the stored one.
    new_id = valid_id_number(9001, birth="19700101")
    assert c.post(url, data | {"id_number": new_id, "phone": "13807720002"}).status_code == 302
    stored.refresh_from_db()
    assert stored.id_number == new_id and stored.phone == "13807720002"


@pytest.mark.django_db
def test_a_county_officer_still_sees_the_full_values(client, personas, network):
    recipient = RecipientFactory(village=network["village_a11"], phone="13807720001")
    page = client_for(client, personas, "officer_a").get(reverse("stations:recipient_edit", args=[recipient.pk]))
    assert recipient.id_number in page.content.decode() and "13807720001" in page.content.decode()


@pytest.mark.django_db
def test_provider_staff_edit_a_worker_without_seeing_its_id_number(client, personas, network):
    worker = WorkerFactory(place=network["township_a1"], phone="13907720001", id_number=valid_id_number(77))
    c = client_for(client, personas, "provider")
    url = reverse("workforce:worker_edit", args=[worker.pk])
    page = c.get(url).content.decode()
    assert worker.id_number not in page and "13907720001" not in page
    form = c.get(url).context["form"]
    data = {k: ("" if form[k].value() is None else form[k].value()) for k in form.fields}
    response = c.post(url, data | {"education": "bachelor", "birth_date": "", "gender": ""})  # both from the ID
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert Worker.objects.get(pk=worker.pk).id_number == worker.id_number
