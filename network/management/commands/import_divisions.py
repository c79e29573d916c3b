"""Import an official division list (csv or xlsx: code,name,level,kind,parent_code). All or nothing."""

from django.core.management.base import BaseCommand, CommandError

from liuzhou_social.tabular import TableFormatError
from network.services import division_import, functional_zones_ensure


class Command(BaseCommand):
    help = "Import a statistical division list; idempotent, rejects the whole file on any bad row."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--no-history", action="store_true", help="skip change history (bulk loads)")
        parser.add_argument("--with-zones", action="store_true", help="also ensure Liuzhou's two functional zones")

    def handle(self, *args, path, no_history, with_zones, **options):
        import gzip

        opener = gzip.open if path.endswith(".gz") else open
        try:
            with opener(path, "rb") as f:
                if path.endswith(".gz"):
                    import io

                    f = io.BytesIO(f.read())
                    f.name = path[:-3]
                result = division_import(upload=f, record_history=not no_history)
        except (OSError, TableFormatError) as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for e in result.errors[:50]:
                self.stderr.write(e.as_text())
            raise CommandError(f"{len(result.errors)} row(s) rejected; nothing was written")
        if with_zones:
            functional_zones_ensure()
        self.stdout.write(
            self.style.SUCCESS(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged")
        )
