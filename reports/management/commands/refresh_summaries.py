from django.core.management.base import BaseCommand

from reports.summaries import summaries_rebuild, summaries_refresh


class Command(BaseCommand):
    help = (
        "Fold new case events into the dashboard summaries (run it every minute or two from "
        "cron if no dashboard is being looked at); --rebuild recomputes them from scratch."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="delete and recompute every summary"
        )

    def handle(self, *args, rebuild=False, **options):
        result = summaries_rebuild() if rebuild else summaries_refresh()
        self.stdout.write(f"{result.processed} events folded into the summaries.")
