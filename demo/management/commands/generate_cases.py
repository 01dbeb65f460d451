from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from demo.synthetic_load import cases_generate
from units.selectors import deployed_province

# Cases with their whole story are made at about a thousand a second; beyond this many the
# rest are copies made by the database (1 million in about a minute).
STORY_ALL_UP_TO = 100_000
STORY_SHARE = 50


class Command(BaseCommand):
    help = (
        "Add realistic synthetic cases (names, communes, dates over a wave, statuses and "
        "events) for demos, tests and benchmarks. Refused unless DEMO_MODE or DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=5000, help="cases to add")
        parser.add_argument(
            "--days", type=int, default=42, help="declared over this many days up to today"
        )
        parser.add_argument("--seed", type=int, default=2022, help="random seed")
        parser.add_argument("--batch-size", type=int, default=20_000)
        parser.add_argument(
            "--story",
            type=int,
            default=None,
            help=(
                "how many cases get their whole story (events, documents), made one by one; "
                "the others are copies of those made by the database (new name, phone, ID "
                "number and tracking code; no events). Default: all up to "
                f"{STORY_ALL_UP_TO:,}, then {STORY_ALL_UP_TO:,} or 1 in {STORY_SHARE}, "
                "whichever is more"
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing if there are cases already (for make run, which runs it each time)",
        )

    def handle(self, *args, count, days, seed, batch_size, story=None, if_empty=False, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError(
                "Synthetic cases are refused here: set DEMO_MODE=true on a demo site."
            )
        if count < 1 or days < 1:
            raise CommandError("--count and --days must be at least 1.")
        if if_empty and Case.objects.exists():
            self.stdout.write("Cases exist already; no synthetic cases added.")
            return
        province = deployed_province()
        if province is None:
            raise CommandError("The deployed province is not loaded: run load_units first.")
        verbosity = options.get("verbosity", 1)

        def progress(done: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {done:,} cases")

        result = cases_generate(
            count=count,
            days=days,
            seed=seed,
            province=province,
            batch_size=batch_size,
            progress=progress,
            story=story
            if story is not None
            else max(min(count, STORY_ALL_UP_TO), count // STORY_SHARE),
        )
        self.stdout.write(
            f"{result.cases:,} synthetic cases and {result.events:,} events added to "
            f"{province.name} in {result.seconds:.1f} s: "
            + ", ".join(f"{status} {n:,}" for status, n in sorted(result.by_status.items()))
        )
