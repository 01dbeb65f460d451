"""Notification reads: what a case was told, and whether a phone was just verified."""

from datetime import timedelta

from django.db import models
from django.utils import timezone

from notifications.models import Notification, NotificationQuerySet, PhoneVerification
from notifications.services import phone_normalize


def notifications_for(obj: models.Model) -> NotificationQuerySet:
    """The messages sent about one object (a case), newest first.

    Callers have already checked that the user may see the object: this adds no unit scope.
    """
    return Notification.objects.for_object(obj._meta.label_lower, str(obj.pk))


def phone_recently_verified(*, phone: str, within: timedelta = timedelta(minutes=30)) -> bool:
    """Whether a code sent to this phone was entered correctly in the last `within`."""
    return PhoneVerification.objects.filter(
        phone=phone_normalize(phone), verified_at__gte=timezone.now() - within
    ).exists()
