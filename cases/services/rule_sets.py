"""Isolation rule sets the province adds as the Ministry of Health changes its guidance.

A rule set governs the cases whose positive test falls on or after its effective date (until
the next one). Its dates are stored on each case at declaration, so a rule set that already
governs a case is never changed: the province adds a new one from a later date instead. A
new rule set takes effect from tomorrow at the earliest (local date), so that no case
declared today finds different rules than the one declared an hour before.
"""

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log
from cases.choices import Symptom
from cases.models import Case, RuleSet

EDITABLE_FIELDS = (
    "name",
    "legal_basis",
    "effective_from",
    "isolation_days",
    "extended_days_vaccinated",
    "extended_days_unvaccinated",
    "primary_series_doses",
    "max_test_age_days",
    "elderly_age",
    "spo2_danger_threshold",
    "fast_breathing_from_12",
    "fast_breathing_5_to_11",
    "fast_breathing_1_to_4",
    "fast_breathing_under_1",
    "danger_symptoms",
)

# Plausible bounds; outside them a value is a typing mistake, not a Ministry decision.
BOUNDS = {
    "isolation_days": (1, 30),
    "extended_days_vaccinated": (1, 60),
    "extended_days_unvaccinated": (1, 60),
    "primary_series_doses": (1, 5),
    "max_test_age_days": (1, 60),
    "elderly_age": (40, 100),
    "spo2_danger_threshold": (80, 99),
    "fast_breathing_from_12": (10, 80),
    "fast_breathing_5_to_11": (10, 80),
    "fast_breathing_1_to_4": (10, 80),
    "fast_breathing_under_1": (10, 80),
}


def rule_set_is_used(rule_set: RuleSet) -> bool:
    """Whether any case is governed by the rule set (its dates were computed from it)."""
    return rule_set.pk is not None and Case.objects.filter(rule_set=rule_set).exists()


def rule_set_check(rule_set: RuleSet) -> None:
    """Raise ValidationError (messages by field, in Vietnamese) for an inconsistent set."""
    errors: dict[str, str] = {}
    for name, (low, high) in BOUNDS.items():
        value = getattr(rule_set, name)
        if value is None or not low <= value <= high:
            errors[name] = _("Vui lòng nhập một số từ %(low)s đến %(high)s.") % {
                "low": low,
                "high": high,
            }
    if not rule_set.danger_symptoms or set(rule_set.danger_symptoms) - set(Symptom.values):
        errors["danger_symptoms"] = _("Vui lòng chọn ít nhất một triệu chứng nguy hiểm.")
    if not (rule_set.name or "").strip():
        errors["name"] = _("Vui lòng nhập tên quy định.")
    if not (rule_set.legal_basis or "").strip():
        errors["legal_basis"] = _(
            "Vui lòng ghi văn bản của Bộ Y tế (số, ngày) làm căn cứ cho quy định này."
        )
    if not errors:
        if rule_set.extended_days_vaccinated < rule_set.isolation_days:
            errors["extended_days_vaccinated"] = _(
                "Số ngày cách ly khi còn dương tính không được ít hơn số ngày cách ly tối thiểu."
            )
        if rule_set.extended_days_unvaccinated < rule_set.extended_days_vaccinated:
            errors["extended_days_unvaccinated"] = _(
                "Người chưa tiêm đủ liều không được cách ly ít ngày hơn người đã tiêm đủ liều."
            )
        bands = [
            rule_set.fast_breathing_from_12,
            rule_set.fast_breathing_5_to_11,
            rule_set.fast_breathing_1_to_4,
            rule_set.fast_breathing_under_1,
        ]
        if bands != sorted(bands):
            errors["fast_breathing_5_to_11"] = _(
                "Ngưỡng thở nhanh của trẻ nhỏ tuổi hơn phải bằng hoặc cao hơn của trẻ lớn tuổi "
                "hơn (từ 12 tuổi ≤ 5–11 tuổi ≤ 1–4 tuổi ≤ dưới 1 tuổi)."
            )
    tomorrow = timezone.localdate() + timedelta(days=1)
    if rule_set.effective_from is None:
        errors["effective_from"] = _("Vui lòng chọn ngày bắt đầu áp dụng.")
    elif rule_set.effective_from < tomorrow:
        errors["effective_from"] = _(
            "Quy định mới áp dụng sớm nhất từ ngày mai (%(date)s), để các hồ sơ đã khai báo "
            "không bị thay đổi."
        ) % {"date": tomorrow.strftime("%d/%m/%Y")}
    elif (
        RuleSet.objects.filter(effective_from=rule_set.effective_from)
        .exclude(pk=rule_set.pk)
        .exists()
    ):
        errors["effective_from"] = _("Đã có một quy định áp dụng từ ngày này.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rule_set_create(*, by: User, values: dict[str, Any], request=None) -> RuleSet:
    """Add a rule set from `values` (EDITABLE_FIELDS); audited as `rule_set.create`.

    Raises PermissionDenied unless `by` may edit isolation rules (province health), and
    ValidationError by field for values rule_set_check refuses."""
    if not by.may_edit_isolation_rules:
        raise PermissionDenied
    rule_set = RuleSet(**{name: values[name] for name in EDITABLE_FIELDS}, created_by=by)
    rule_set_check(rule_set)
    rule_set.save()
    audit_log(
        action="rule_set.create",
        request=request,
        actor=by,
        obj=rule_set,
        unit=by.unit,
        detail=_audit_values(rule_set),
    )
    return rule_set


@transaction.atomic
def rule_set_update(
    *, rule_set: RuleSet, by: User, values: dict[str, Any], request=None
) -> RuleSet:
    """Change a rule set that governs no case yet and is not yet in force; audited with the
    old and new values. Raises ValidationError when it is used or in force already."""
    if not by.may_edit_isolation_rules:
        raise PermissionDenied
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set_is_used(rule_set) or rule_set.effective_from <= timezone.localdate():
        raise ValidationError(
            _(
                "Quy định này đã được áp dụng nên không sửa được. Hãy thêm quy định mới áp "
                "dụng từ một ngày sau."
            ),
            code="in_use",
        )
    before = _audit_values(rule_set)
    for name in EDITABLE_FIELDS:
        setattr(rule_set, name, values[name])
    rule_set_check(rule_set)
    rule_set.save()
    after = _audit_values(rule_set)
    audit_log(
        action="rule_set.update",
        request=request,
        actor=by,
        obj=rule_set,
        unit=by.unit,
        detail={
            name: {"old": before[name], "new": after[name]}
            for name in EDITABLE_FIELDS
            if before[name] != after[name]
        },
    )
    return rule_set


def _audit_values(rule_set: RuleSet) -> dict[str, Any]:
    values = {name: getattr(rule_set, name) for name in EDITABLE_FIELDS}
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in values.items()
    }
