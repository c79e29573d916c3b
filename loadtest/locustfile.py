"""The portal under 50 concurrent users: county officers entering data, city viewers on dashboards,
API clients polling indicators. Run by ``scripts/loadtest`` against gunicorn + PostgreSQL + Redis + a
worker with the demo data; it only ever talks to the portal on 127.0.0.1."""

import random
import re

from locust import HttpUser, between, task

PASSWORD = "Liuzhou#2026"
OFFICERS = ["liucheng_officer", "luzhai_officer"]
COUNTIES = {"liucheng_officer": "450222000000", "luzhai_officer": "450223000000"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LINK = re.compile(r'href="(/stations/(?:rooms|recipients)/\d+/)"')


class PortalUser(HttpUser):
    abstract = True
    username = ""

    def login(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:  # a failure must count in the figures, not only stop the user
            if response.status_code != 302:
                response.failure(f"login of {username} answered {response.status_code}")


class CountyOfficer(PortalUser):
    """Keeps the county's records: lists, a room's details edited and saved, a recipient opened."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.username = random.choice(OFFICERS)
        self.login(self.username)
        rooms = self.client.get("/stations/rooms/", name="room list").text
        self.rooms = [u for u in LINK.findall(rooms) if "/rooms/" in u] or []

    @task(3)
    def lists(self):
        self.client.get("/stations/", name="station list")
        self.client.get("/stations/recipients/", name="recipient list")
        self.client.get("/workforce/", name="worker list")

    @task(2)
    def edit_room(self):
        if not self.rooms:
            return
        room = random.choice(self.rooms)
        with self.client.get(f"{room}edit/", name="room edit form", catch_response=True) as form:
            token = CSRF.search(form.text)
            if token is None:
                form.failure("room edit form has no CSRF token")
                return
        # The room's status select (the village's select, shown read-only, comes first and is not sent).
        status = re.search(r'name="status".*?<option value="(\w+)" selected>', form.text, re.S)
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "status": status.group(1) if status else "operating",
            "staffing_note": f"村干部兼任 {random.randint(1, 9999)}",
            "in_party_mass_centre": "on",
        }
        established = re.search(r'name="established_on" value="([\d-]+)"', form.text)
        if established:
            data["established_on"] = established.group(1)
        with self.client.post(
            f"{room}edit/", data, name="room edit save", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"room save answered {response.status_code}")

    @task(1)
    def county_dashboard(self):
        self.client.get(f"/reporting/place/{COUNTIES[self.username]}/", name="county dashboard")


class CityViewer(PortalUser):
    weight = 2
    wait_time = between(2, 5)

    def on_start(self):
        self.login("city_viewer")

    @task(3)
    def city_dashboard(self):
        self.client.get("/reporting/place/450200000000/", name="city dashboard")

    @task(2)
    def county_dashboard(self):
        self.client.get(f"/reporting/place/{random.choice(list(COUNTIES.values()))}/", name="county dashboard")

    @task(1)
    def workforce(self):
        self.client.get("/workforce/city/", name="city workforce")


class ApiClient(HttpUser):
    weight = 1
    wait_time = between(1, 2)
    token = ""  # set by scripts/loadtest through the API_TOKEN variable

    def on_start(self):
        import os

        self.client.headers["Authorization"] = f"Token {os.environ['API_TOKEN']}"

    @task(3)
    def values(self):
        self.client.get("/api/reporting/values/?level=county&period_kind=year", name="API values (counties)")

    @task(1)
    def indicators(self):
        self.client.get("/api/reporting/indicators/", name="API catalogue")
