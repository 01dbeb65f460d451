"""Sign-ins, sign-outs and failed attempts go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.services import audit_log


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_log(action="auth.login", request=request, actor=user, unit=user.unit)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action="auth.logout", request=request, actor=user, unit=user.unit)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit_log(
        action="auth.login_failed",
        request=request,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )
