"""Drafts of cases that ended (rejected or closed) before their document was issued can
never be issued: they are discarded, as documents.services.documents_after_transition now
does at the step itself (issue 14, item 16)."""

from django.db import migrations


def discard(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Document.objects.filter(state="prepared", case__status__in=["rejected", "closed"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_signer_kind"),
        ("cases", "0012_case_version"),
    ]

    operations = [migrations.RunPython(discard, migrations.RunPython.noop)]
