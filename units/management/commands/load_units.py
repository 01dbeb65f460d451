from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from units.loading import unit_set_load
from units.sets import KNOWN_SETS


class Command(BaseCommand):
    help = "Load the shipped administrative units (GSO codes) into the database; idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--set",
            dest="set_codes",
            action="append",
            choices=sorted(KNOWN_SETS),
            help="unit set to load (repeatable); default: the deployed UNIT_SET",
        )
        parser.add_argument(
            "--province",
            dest="provinces",
            action="append",
            help="load only this province (GSO code, repeatable); default: the whole country",
        )

    def handle(self, *args, set_codes=None, provinces=None, **options):
        for code in set_codes or [settings.UNIT_SET]:
            if code not in KNOWN_SETS:
                raise CommandError(f"Unknown unit set {code!r}; known: {', '.join(KNOWN_SETS)}")
            result = unit_set_load(
                set_code=code, province_codes=set(provinces) if provinces else None
            )
            self.stdout.write(
                f"{code}: {result.created} units created, {result.updated} updated, "
                f"{result.unit_set.units.count()} in all"
            )
