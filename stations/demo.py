"""Demo stations on the real tree: 42 operating at end-2020 (35 %), the rest established 2021–2022."""

import datetime

from network.choices import PlaceLevel
from network.models import Place

from .choices import SharedVenue, StationStatus
from .models import Room, Station, StationStatusChange

BASELINE_STATIONS = 42  # TGT-COV 2020 baseline
BY_END_2021 = 83  # 70.3 % of 118: the 2021 target met


def _date(rng, year, first_month=1, last_month=12):
    month = rng.randint(first_month, last_month)
    return datetime.date(year, month, rng.randint(1, 28))


def build(rng, out) -> None:
    if Station.objects.exists():
        return
    townships = list(Place.objects.filter(level=PlaceLevel.TOWNSHIP, code__startswith="4502").select_related(
        "parent").order_by("code"))
    order = townships[:]
    rng.shuffle(order)
    stations, changes = [], []
    demo_per_county: dict[str, int] = {}
    for i, place in enumerate(order):
        if i < BASELINE_STATIONS:
            established = _date(rng, rng.choice([2018, 2019, 2020]), 1, 9)
            timeline = [(StationStatus.ESTABLISHED, established),
                        (StationStatus.OPERATING, min(established + datetime.timedelta(days=60),
                                                      datetime.date(2020, 12, 30)))]
        elif i < BY_END_2021:
            established = _date(rng, 2021)
            timeline = [(StationStatus.PLANNED, datetime.date(2020, 11, 1)), (StationStatus.ESTABLISHED, established),
                        (StationStatus.OPERATING, established + datetime.timedelta(days=rng.randint(30, 120)))]
        else:
            established = _date(rng, 2022, 1, 10)
            timeline = [(StationStatus.PLANNED, datetime.date(2021, 6, 1)), (StationStatus.ESTABLISHED, established),
                        (StationStatus.OPERATING, established + datetime.timedelta(days=rng.randint(20, 60)))]
        full = i < BY_END_2021 or rng.random() < 0.6
        county = place.parent_id
        demo = i < BASELINE_STATIONS and demo_per_county.get(county, 0) < 2 and rng.random() < 0.5
        if demo:
            demo_per_county[county] = demo_per_county.get(county, 0) + 1
        station = Station(
            place=place, status=timeline[-1][0], has_venue=True, has_equipment=full or rng.random() < 0.7,
            has_personnel=True, has_service_functions=full, has_workflow=full or rng.random() < 0.5,
            has_rules=full, independent_office=full, is_demonstration=demo,
            shared_venues=rng.sample(SharedVenue.values, k=rng.randint(1, 3)),
            address=f"{place.parent.name}{place.name}人民政府院内", phone=f"0772-{rng.randint(2000000, 8999999)}")
        stations.append((station, timeline))
    Station.objects.bulk_create([s for s, _ in stations])
    for station, timeline in stations:
        for status, on in timeline:
            changes.append(StationStatusChange(station=station, status=status, effective_on=on,
                                               note="示范数据"))
    StationStatusChange.objects.bulk_create(changes)
    out(f"stations: {len(stations)} ({BASELINE_STATIONS} operating at end-2020)")

    villages = Place.objects.filter(level=PlaceLevel.VILLAGE, code__startswith="4502").values_list("code", flat=True)
    rooms = [Room(place_id=code, established_on=_date(rng, rng.choice([2020, 2021, 2022])),
                  staffing_note="村（社区）“两委”干部兼任")
             for code in villages if rng.random() < 0.89]
    Room.objects.bulk_create(rooms, batch_size=1000)
    out(f"rooms: {len(rooms)} village/community rooms")
