"""The Ministry of Health rules in force in March-April 2022, as the first rule set."""

from datetime import date

from django.db import migrations

LEGAL_BASIS = (
    "Quyết định số 250/QĐ-BYT ngày 28/01/2022, Quyết định số 261/QĐ-BYT ngày 31/01/2022 "
    "và Quyết định số 604/QĐ-BYT ngày 14/3/2022 của Bộ Y tế"
)


def seed(apps, schema_editor):
    RuleSet = apps.get_model("cases", "RuleSet")
    RuleSet.objects.get_or_create(
        effective_from=date(2022, 1, 28),
        defaults={
            "name": "Hướng dẫn cách ly F0 tại nhà của Bộ Y tế (2022)",
            "legal_basis": LEGAL_BASIS,
            "isolation_days": 7,
            "extended_days_vaccinated": 10,
            "extended_days_unvaccinated": 14,
            "primary_series_doses": 2,
            "max_test_age_days": 14,
            "elderly_age": 65,
            "spo2_danger_threshold": 96,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
