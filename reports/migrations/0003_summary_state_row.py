"""The single SummaryState row exists from the start, so refreshes only ever lock it."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("reports", "SummaryState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_case_indexes")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
