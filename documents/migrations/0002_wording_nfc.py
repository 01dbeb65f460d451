"""Document wording and revocation reasons stored decomposed (NFD) become NFC.

Issued documents' data is left as signed: their PDF and hash are fixed.
"""

from django.db import migrations

from core.text_migration import nfc_rows

WORDING = [
    "legal_bases",
    "decision_recipients",
    "confirmation_recipients",
    "signer_name",
    "health_station",
    "decision_symbol",
    "confirmation_symbol",
]


def forwards(apps, schema_editor):
    nfc_rows(apps.get_model("documents", "DocumentTemplateSettings"), WORDING)
    nfc_rows(apps.get_model("documents", "Document"), ["revocation_reason"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
