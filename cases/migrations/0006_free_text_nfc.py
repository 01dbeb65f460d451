"""Free text stored in decomposed form (NFD) becomes NFC, as forms and services now write it."""

from django.db import migrations

from core.text_migration import nfc_rows

CASE_TEXT = [
    "full_name",
    "id_number",
    "guardian_name",
    "guardian_id_number",
    "guardian_phone",
    "phone",
    "email",
    "village",
    "house_number",
    "workplace",
    "social_insurance_number",
    "test_place",
    "rejection_note",
]


def forwards(apps, schema_editor):
    nfc_rows(apps.get_model("cases", "Case"), CASE_TEXT)
    nfc_rows(apps.get_model("cases", "CaseEvent"), ["reason", "data"])
    nfc_rows(apps.get_model("cases", "RecoveryDeclaration"), ["refusal_reason"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_status_seek_indexes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
