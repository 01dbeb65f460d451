"""`manage.py db_worker`: django_tasks_db's worker, which first takes up the bulk jobs of
workers that died (jobs.recovery), so that a worker restarted after a crash carries on the
jobs it was running without waiting for the next maintenance run.

It stands in for django_tasks_db's command because `jobs` comes before `django_tasks_db`
in INSTALLED_APPS; every option is theirs."""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from jobs.recovery import jobs_resume


class Command(WorkerCommand):
    help = WorkerCommand.help + " Bulk jobs of workers that died are queued again first."

    def handle(self, *args, **options) -> None:
        resumed = jobs_resume()
        if resumed and options.get("verbosity", 1):
            self.stdout.write(f"Bulk jobs taken up again: {resumed}")
        super().handle(*args, **options)
