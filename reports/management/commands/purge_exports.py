from django.core.management.base import BaseCommand

from reports.exports.jobs import exports_purge


class Command(BaseCommand):
    help = "Delete export files older than EXPORT_RETENTION_HOURS (24 by default); run daily."

    def handle(self, *args, **options):
        self.stdout.write(f"{exports_purge()} export files deleted.")
