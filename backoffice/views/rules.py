"""Isolation rule sets: the province's health staff read and add them as the Ministry of
Health changes its guidance; districts and the system administrator read them.

A rule set that governs cases is shown, never changed (cases.services.rule_sets)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import RULE_EDITOR_ROLES, RULE_READER_ROLES
from backoffice.rule_forms import RuleSetForm
from backoffice.views.case import add_service_errors
from cases import rules
from cases.choices import Symptom
from cases.models import RuleSet
from cases.selectors import rule_sets_overview
from cases.services.rule_sets import (
    EDITABLE_FIELDS,
    rule_set_create,
    rule_set_is_used,
    rule_set_update,
)
from core.access import roles_required


@roles_required(*RULE_READER_ROLES)
@require_GET
def rule_list(request):
    """Every rule set with its effective date and the cases in the user's unit it governs."""
    today = timezone.localdate()
    in_force = rules.rule_set_for(today) if RuleSet.objects.exists() else None
    return render(
        request,
        "backoffice/rule_list.html",
        {
            "rule_sets": rule_sets_overview(request.user),
            "in_force": in_force,
            "today": today,
            "may_edit": request.user.may_edit_isolation_rules,
        },
    )


@roles_required(*RULE_READER_ROLES)
@require_GET
def rule_detail(request, pk: int):
    rule_set = get_object_or_404(rule_sets_overview(request.user), pk=pk)
    return render(
        request,
        "backoffice/rule_detail.html",
        {
            "rule_set": rule_set,
            "danger_symptom_labels": [
                Symptom(code).label for code in rule_set.danger_symptoms if code in Symptom.values
            ],
            "preview_rows": [
                (outcome, None)
                for outcome in rules.rule_set_preview(
                    rule_set, positive_test_date=rule_set.effective_from
                )
            ],
            "editable": request.user.may_edit_isolation_rules
            and not rule_set_is_used(rule_set)
            and rule_set.effective_from > timezone.localdate(),
        },
    )


@roles_required(*RULE_EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def rule_create(request):
    """A new rule set from a copy of the one in force; "Xem trước" shows what it gives."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    base = rules.rule_set_for(tomorrow) if RuleSet.objects.exists() else RuleSet()
    initial = {name: getattr(base, name) for name in EDITABLE_FIELDS}
    initial.update(name="", legal_basis="", effective_from=tomorrow)
    return _edit(request, RuleSetForm(request.POST or None, initial=initial), None)


@roles_required(*RULE_EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int):
    rule_set = get_object_or_404(RuleSet, pk=pk)
    return _edit(request, RuleSetForm(request.POST or None, instance=rule_set), rule_set)


def _edit(request, form: RuleSetForm, rule_set: RuleSet | None):
    preview = compare = None
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if "preview" in request.POST:
            draft = RuleSet(**values)
            preview = rules.rule_set_preview(draft, positive_test_date=values["effective_from"])
            compare = rules.rule_set_preview(
                rules.rule_set_for(values["effective_from"] - timedelta(days=1)),
                positive_test_date=values["effective_from"],
            )
        else:
            try:
                if rule_set is None:
                    saved = rule_set_create(by=request.user, values=values, request=request)
                else:
                    saved = rule_set_update(
                        rule_set=rule_set, by=request.user, values=values, request=request
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã lưu quy định «%(name)s», áp dụng từ ngày %(date)s.")
                    % {"name": saved.name, "date": saved.effective_from.strftime("%d/%m/%Y")},
                )
                return redirect("backoffice:rule", pk=saved.pk)
    rows = None
    if preview is not None:
        rows = list(zip(preview, compare, strict=True))
    return render(
        request,
        "backoffice/rule_form.html",
        {"form": form, "rule_set": rule_set, "rows": rows},
    )
