from typing import Any

from django.db import models

from audit.models import AuditEntry
from core.client import client_address


def audit_log(
    *,
    action: str,
    request=None,
    actor=None,
    obj: models.Model | None = None,
    unit=None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry; the actor is taken from the request unless given."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "",
        ip_address=client_address(request),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        unit=unit,
        detail=detail or {},
    )
