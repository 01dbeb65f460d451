# BulkJob moved to the jobs app (jobs/migrations/0001_initial.py). Only Django's record of
# the model goes from here: the table backoffice_bulkjob stays, and belongs to jobs now.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('backoffice', '0001_initial'),
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='BulkJob',
                ),
            ],
            database_operations=[],
        ),
    ]
