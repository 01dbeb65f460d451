from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo.loading import (
    DEMO_PASSWORD,
    demo_accounts_load,
    demo_declarations_load,
    demo_stations_load,
)

DEMO_CASES = 3000


class Command(BaseCommand):
    help = (
        "Load the demo accounts and, once, a few thousand synthetic cases over the past weeks. "
        "Refused unless DEMO_MODE or DEBUG is on; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=DEMO_CASES, help="synthetic cases, once")

    def handle(self, *args, cases=DEMO_CASES, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError("Demo data is refused here: set DEMO_MODE=true on a demo site only.")
        from cases.models import Case

        users = demo_accounts_load()
        demo_stations_load()
        if cases and not Case.objects.exists():
            call_command("generate_cases", count=cases, days=42, seed=2022, stdout=self.stdout)
            added = demo_declarations_load()
            self.stdout.write(f"{added} fresh declarations with photos in the demo communes")
        self.stdout.write(f"\nDemo accounts (password {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<20} {user.get_role_display()} - {user.unit.name}")
