"""Factories for a small hand-built network: a city, two counties, townships, villages, stations."""

import datetime

import factory

from network.choices import PlaceKind, PlaceLevel
from network.models import Place
from stations.choices import SIX_HAVES_FIELDS, StationStatus
from stations.models import Room, SixHavesChange, Station, StationStatusChange
from workforce.models import (
    Assignment,
    Organisation,
    Qualification,
    Specialisation,
    SpecialisationCategory,
    Worker,
)


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"4502{n:08d}")
    name = factory.Sequence(lambda n: f"地方{n}")
    level = PlaceLevel.VILLAGE
    kind = PlaceKind.VILLAGE


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station
        skip_postgeneration_save = True

    place = factory.SubFactory(PlaceFactory, level=PlaceLevel.TOWNSHIP, kind=PlaceKind.TOWN)
    status = StationStatus.OPERATING
    has_venue = True
    has_equipment = True
    has_personnel = True
    has_service_functions = True
    has_workflow = True
    has_rules = True

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        """Status history: by default established 2020-03-01 and operating 2020-06-01; the six haves are
        recorded from the first status on (NET-3, their dated history)."""
        if not create:
            return
        entries = extracted or [
            (StationStatus.ESTABLISHED, datetime.date(2020, 3, 1)),
            (StationStatus.OPERATING, datetime.date(2020, 6, 1)),
        ]
        for status, on in entries:
            StationStatusChange.objects.create(station=obj, status=status, effective_on=on)
        obj.status = entries[-1][0]
        obj.save(update_fields=["status"])
        SixHavesChange.objects.create(
            station=obj, effective_on=entries[0][1], **{f.value: getattr(obj, f.value) for f in SIX_HAVES_FIELDS}
        )


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    place = factory.SubFactory(PlaceFactory)


# ---------------------------------------------------------------- stations: recipients and services

from liuzhou_social.validators import id_number_check_char  # noqa: E402
from stations.models import Recipient, ServiceRecord  # noqa: E402


def valid_id_number(serial: int, region: str = "450222", birth: str = "19800101") -> str:
    """An 18-character resident ID number with a correct GB 11643 check character."""
    first17 = f"{region}{birth}{serial % 1000:03d}"
    return first17 + id_number_check_char(first17)


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    name = factory.Sequence(lambda n: f"对象{n}")
    id_number = factory.Sequence(lambda n: valid_id_number(n, birth=f"19{50 + n // 1000 % 50}0101"))
    village = factory.SubFactory(PlaceFactory)
    target_groups = ["dibao"]
    registered_on = datetime.date(2021, 1, 4)


class ServiceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRecord

    station = factory.SubFactory(StationFactory)
    kind = "home_visit"
    served_on = datetime.date(2022, 5, 10)
    duration_hours = 1
    participant_count = 1


# --- workforce -----------------------------------------------------------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"社工机构{n}")
    credit_code = factory.Sequence(lambda n: f"52450200MJ{n:07d}X"[:18])
    scope_includes_social_work = True


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    name = factory.Sequence(lambda n: f"社工{n}")
    gender = "female"
    birth_date = datetime.date(1990, 1, 1)
    id_number = factory.Sequence(lambda n: f"45020219900101{n:04d}")


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    worker = factory.SubFactory(WorkerFactory)
    grade = 1
    certificate_no = factory.Sequence(lambda n: f"CERT-{n:06d}")
    obtained_on = datetime.date(2020, 1, 1)


class SpecialisationCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialisationCategory
        django_get_or_create = ("code",)

    code = "minors_protection"
    name = "未成年人保护"
    in_plan = True


class SpecialisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialisation

    worker = factory.SubFactory(WorkerFactory)
    category = factory.SubFactory(SpecialisationCategoryFactory)
    since = datetime.date(2020, 1, 1)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    worker = factory.SubFactory(WorkerFactory)
    station = factory.SubFactory(StationFactory)
    role = "stationed"
    start_on = datetime.date(2020, 1, 1)
