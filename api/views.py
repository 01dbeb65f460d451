"""The system administrator's page of API keys: list, create (the key shown once), revoke."""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import manageable_units
from api.forms import TokenForm
from api.selectors import tokens_for
from api.services import api_token_create, api_token_revoke
from core.access import roles_required


@roles_required(Role.SYSTEM_ADMIN)
@never_cache
def token_list(request):
    units = manageable_units(request.user)
    form = TokenForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The key works until the end of the day chosen (local time).
        ends = timezone.make_aware(datetime.combine(data["expires_on"], time.max))
        try:
            token, raw = api_token_create(
                by=request.user,
                name=data["name"],
                role=data["role"],
                unit=data["unit"],
                expires_at=ends,
                request=request,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("expires_on" if field == "expires_at" else field, errors)
        else:
            return render(request, "api/token_created.html", {"token": token, "raw": raw})
    context = {"form": form, "tokens": tokens_for(request.user), "now": timezone.now()}
    return render(request, "api/token_list.html", context)


@roles_required(Role.SYSTEM_ADMIN)
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(tokens_for(request.user), pk=pk)
    api_token_revoke(token=token, by=request.user, request=request)
    return redirect("api_tokens:list")
