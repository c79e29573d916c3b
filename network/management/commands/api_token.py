"""Issue (or rotate) the API token of an account, for the city administrator setting up a client."""

from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from network.api.authentication import token_expires_at, token_rotate
from network.models import User


class Command(BaseCommand):
    help = "Print USERNAME's API token and its expiry; --rotate replaces it by a new one."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="invalidate the current token, issue a new one")

    def handle(self, *args, username, rotate=False, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active account named {username!r}")
        token = token_rotate(user=user) if rotate else Token.objects.get_or_create(user=user)[0]
        self.stdout.write(f"{token.key}  (valid until {token_expires_at(token):%Y-%m-%d %H:%M %Z})")
