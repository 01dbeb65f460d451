"""Keys for the personas' units, made through the real service."""

from datetime import timedelta

from django.utils import timezone

from api.services import api_token_create


def key_for(admin, role, unit, *, name="Phòng xét nghiệm", days=30):
    """(token, `Authorization` header value) of a new key."""
    token, raw = api_token_create(
        by=admin,
        name=name,
        role=role,
        unit=unit,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, f"Bearer {raw}"
