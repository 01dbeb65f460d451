from django.core.management.base import BaseCommand

from core import maintenance


class Command(BaseCommand):
    help = "Run the periodic housekeeping jobs (purges, summary refresh); safe to run often."

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", help="only these jobs (default: all)")

    def handle(self, *args, jobs=None, **options):
        results = maintenance.run_all(jobs or None)
        failed = False
        for name, result in results.items():
            failed |= isinstance(result, Exception)
            self.stdout.write(f"{name}: {result!r}")
        if failed:
            raise SystemExit(1)
