import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from cases.models import Case


@pytest.mark.django_db
def test_demo_data_loads_once_and_is_refused_in_production(units, settings, capsys):
    settings.DEMO_MODE = True
    call_command("load_demo", cases=200)
    assert User.objects.filter(username__in=["admin", "trangda.canbo", "sonduong"]).count() == 3
    count = Case.objects.count()
    assert count == 200 + 9
    assert (
        Case.objects.filter(
            commune__code="02209", status="submitted", test_photo__isnull=False
        ).count()
        == 3
    )
    call_command("load_demo", cases=200)
    assert Case.objects.count() == count
    # The demo commune's health station has a phone, as the citizen's pages show it.
    from documents.selectors import health_station
    from units.testing import unit

    assert health_station(unit("02209"))[1] == "0207 3822 115"
    assert "demo-F0-2022" in capsys.readouterr().out

    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")
