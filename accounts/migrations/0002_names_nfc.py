"""Officers' names and titles stored decomposed (NFD) become NFC."""

from django.db import migrations

from core.text_migration import nfc_rows


def forwards(apps, schema_editor):
    nfc_rows(apps.get_model("accounts", "User"), ["full_name", "job_title", "phone"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
