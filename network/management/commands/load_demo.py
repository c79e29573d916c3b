"""Build the deterministic demo network: real Liuzhou places, stations, rooms, accounts, and each app's records."""

import random
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app that has demo records adds its builder here, in dependency order.
DEMO_BUILDERS = [
    "network.demo",
    "stations.demo",
    "workforce.demo",
    "procurement.demo",
    "supervision.demo_training",
    "supervision.demo_supervision",
    "supervision.demo_plans",
    "reporting.demo",
]


class Command(BaseCommand):
    help = "Load the demo network and demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args, seed, **options):
        rng = random.Random(seed)
        with transaction.atomic():
            for path in DEMO_BUILDERS:
                import_module(path).build(rng, lambda msg: self.stdout.write(msg))
        self.stdout.write(self.style.SUCCESS("demo data ready"))
