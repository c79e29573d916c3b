"""Demo data for the network: the real Liuzhou tree, the functional zones, centres and one account per role."""

from pathlib import Path

from rest_framework.authtoken.models import Token

from .choices import CentreLevel, PlaceLevel, Role
from .models import Centre, Place, User
from .services import LIUZHOU_CODE, division_import, functional_zones_ensure, user_create

LIUZHOU_CSV = Path(__file__).resolve().parent / "data" / "divisions" / "liuzhou.csv"
DEMO_PASSWORD = "Liuzhou#2026"
DEMO_COUNTY = "450222000000"  # 柳城县
DEMO_OTHER_COUNTY = "450223000000"  # 鹿寨县
DEMO_TOWNSHIP = "450222100000"  # 柳城县大埔镇

# username, role, display name, places, organisation
DEMO_ACCOUNTS = [
    ("city_admin", Role.CITY_ADMIN, "市社工中心管理员", [LIUZHOU_CODE], ""),
    ("city_viewer", Role.CITY_VIEWER, "市民政局查看员", [LIUZHOU_CODE], ""),
    ("liucheng_officer", Role.COUNTY_OFFICER, "柳城县民政局专干", [DEMO_COUNTY], ""),
    ("luzhai_officer", Role.COUNTY_OFFICER, "鹿寨县民政局专干", [DEMO_OTHER_COUNTY], ""),
    ("dapu_worker", Role.STATION_WORKER, "大埔镇驻站社工", [DEMO_TOWNSHIP], ""),
    ("provider_staff", Role.PROVIDER_STAFF, "社工机构项目主管", [DEMO_COUNTY], "柳城县阳光社会工作服务中心"),
    ("evaluator", Role.EVALUATOR, "第三方评估员", [DEMO_COUNTY], "柳州市社会工作评估中心"),
    ("api_client", Role.API_CLIENT, "数据接口账号", [LIUZHOU_CODE], ""),
]


def build(rng, out) -> None:
    if not Place.objects.filter(code=LIUZHOU_CODE).exists():
        with LIUZHOU_CSV.open("rb") as f:
            result = division_import(upload=f, record_history=False)
        if not result.ok:
            raise RuntimeError("; ".join(e.as_text() for e in result.errors[:5]))
        out(f"places: {result.created} imported from {LIUZHOU_CSV.name}")
    functional_zones_ensure()

    city = Place.objects.get(code=LIUZHOU_CODE)
    Centre.objects.get_or_create(
        place=city, defaults={"level": CentreLevel.CITY, "name": "柳州市社会工作发展中心", "host": "柳州市民政局"}
    )
    for county in Place.objects.filter(level=PlaceLevel.COUNTY, code__startswith="4502"):
        Centre.objects.get_or_create(
            place=county,
            defaults={
                "level": CentreLevel.COUNTY,
                "name": f"{county.name}社会工作服务站指导中心",
                "host": f"{county.name.split('（')[0]}民政局"
                if not county.is_functional_zone
                else f"{county.name}社会事务局",
            },
        )

    for username, role, name, codes, org in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            display_name=name,
            organisation=org,
            places=list(Place.objects.filter(code__in=codes)),
        )
        if role == Role.API_CLIENT:
            Token.objects.get_or_create(user=user)
    out(f"accounts: {len(DEMO_ACCOUNTS)} demo accounts, password {DEMO_PASSWORD}")
