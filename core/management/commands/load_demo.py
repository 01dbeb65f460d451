from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.demo import DEMO_PASSWORD, demo_accounts_load


class Command(BaseCommand):
    help = "Load the demo accounts (and, where available, demo cases). Refused in production."

    def handle(self, *args, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError("Demo data is refused here: set DEMO_MODE=true on a demo site only.")
        users = demo_accounts_load()
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<20} {user.get_role_display()} - {user.unit.name}")
