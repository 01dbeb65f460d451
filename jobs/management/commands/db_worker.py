"""`manage.py db_worker`: django_tasks_db's worker, which first takes up the work of workers
that died (the maintenance jobs registered `at_worker_start`: bulk jobs, jobs.recovery;
notification deliveries, notifications.recovery), so that a worker restarted after a crash
carries on without waiting for the next maintenance run.

It stands in for django_tasks_db's command because `jobs` comes before `django_tasks_db`
in INSTALLED_APPS; every option is theirs."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from core import maintenance


class Command(WorkerCommand):
    help = WorkerCommand.help + " The work of workers that died is queued again first."

    def handle(self, *args, **options) -> None:
        for name, outcome in maintenance.run_all(worker_start=True).items():
            if outcome and options.get("verbosity", 1):
                self.stdout.write(f"Taken up again ({name}): {outcome}")
        super().handle(*args, **options)
