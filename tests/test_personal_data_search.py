"""ID numbers are found by the whole value only: no digit-by-digit recovery through the list search."""

import pytest
from django.urls import reverse

from tests.factories import RecipientFactory, WorkerFactory
from tests.permkit import client_for


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["provider", "city_viewer", "city_admin"])
@pytest.mark.parametrize("kind", ["recipient", "worker"])
def test_id_number_search_matches_the_whole_value_only(client, personas, network, persona, kind):
    if kind == "recipient":
        person = RecipientFactory(village=network["village_a11"], name="韦某某")
        url = reverse("stations:recipient_list")
    else:
        person = WorkerFactory(place=network["township_a1"], name="韦某某")
        url = reverse("workforce:worker_list")
    c = client_for(client, personas, persona)
    full = person.id_number
    for part in (full[:6], full[:17], full[-4:], full[3:12]):
        assert "韦某某" not in c.get(url, {"q": part}).content.decode(), part
    assert "韦某某" in c.get(url, {"q": full}).content.decode()
    assert "韦某某" in c.get(url, {"q": full.lower()}).content.decode()  # a lower-case check digit x
    assert "韦某某" in c.get(url, {"q": "韦某"}).content.decode()  # names are still found by part
