"""Drive the declaration flow with Django's test client, as a browser would."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cases.testing import jpeg_bytes
from units.testing import unit


def form_data(**overrides) -> dict:
    data = {
        "full_name": "Nguyễn Thị Hoa",
        "date_of_birth": "1990-05-05",
        "sex": "female",
        "id_type": "cccd",
        "id_number": "008190123456",
        "guardian_name": "",
        "guardian_id_number": "",
        "guardian_phone": "",
        "phone": "0912345678",
        "email": "",
        "district": str(unit("070").pk),
        "commune": str(unit("02209").pk),
        "village": "Thôn Cầu Bâm",
        "house_number": "",
        "workplace": "",
        "social_insurance_number": "",
        "test_type": "rapid_self",
        "test_place": "",
        "positive_test_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "vaccine_doses": "2",
        "last_dose_date": "",
        "symptom_onset_date": "",
        "spo2": "",
        "breathing_rate": "",
        "temperature": "",
        "household_size": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def photo(name="test.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def consent(client):
    return client.post(reverse("public:declare_start"), {"consent": "on"})


def fill(client, with_photo=True, **overrides):
    data = form_data(**overrides)
    if with_photo:
        data["test_photo"] = photo()
    return client.post(reverse("public:declare_form"), data)


def declare(client, **overrides):
    """Consent, fill, send; returns the response of the final step (a redirect)."""
    consent(client)
    response = fill(client, **overrides)
    assert response.status_code == 302, response.context["form"].errors
    key = client.session["declaration"]["key"]
    return client.post(reverse("public:declare_check"), {"key": key})
