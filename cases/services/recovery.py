"""Recovery: the citizen declares a negative test, the commune confirms or refuses."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.choices import AWAITING_REVIEW, Action, Outcome, Status
from cases.lifecycle import (
    case_audit,
    check_may_act,
    lock_case,
    transition,
)
from cases.models import Case, RecoveryDeclaration, SubmissionReceipt
from cases.rules import earliest_recovery_reason
from cases.services.declaration import uploads_attach
from cases.services.notice import case_notify


class RecoveryTooEarly(ValidationError):
    pass


def _why(case: Case) -> str:
    return earliest_recovery_reason(
        rule_set=case.rule_set, positive_test_date=case.positive_test_date
    )


def _not_isolating_message(case: Case) -> str:
    """Why a case that is not isolating cannot declare recovery, in the citizen's words."""
    if case.status in AWAITING_REVIEW:
        return _(
            "Xã chưa tiếp nhận khai báo nhiễm của bạn nên chưa khai báo khỏi bệnh được. Khi "
            "xã tiếp nhận, bạn khai báo khỏi bệnh với kết quả xét nghiệm âm tính làm từ ngày "
            "%(date)s (ngày thứ %(days)s kể từ ngày có kết quả dương tính)."
        ) % {
            "date": case.isolation_end.strftime("%d/%m/%Y"),
            "days": case.rule_set.isolation_days,
        }
    return _("Hồ sơ của bạn đã kết thúc (%(status)s) nên không cần khai báo khỏi bệnh nữa.") % {
        "status": Status(case.status).label
    }


def _too_early_message(case: Case, *, today: date, negative_test_date: date) -> str:
    """From which date recovery can be declared and why (the case's rule set), in the
    citizen's words: before that day, or with a test made before it."""
    earliest = case.isolation_end.strftime("%d/%m/%Y")
    if today < case.isolation_end:
        when = _(
            "Chưa đủ thời gian cách ly: bạn khai báo khỏi bệnh được từ ngày %(date)s (còn "
            "%(left)s ngày), với xét nghiệm âm tính phải làm từ ngày %(date)s."
        ) % {"date": earliest, "left": (case.isolation_end - today).days}
    else:
        when = _(
            "Xét nghiệm ngày %(test)s làm trước ngày %(date)s nên chưa dùng được: xét "
            "nghiệm âm tính phải làm từ ngày %(date)s. Hãy xét nghiệm lại rồi khai báo."
        ) % {"test": negative_test_date.strftime("%d/%m/%Y"), "date": earliest}
    return f"{when} {_why(case)}"


@transaction.atomic
def case_request_recovery(
    *,
    case: Case,
    negative_test_date: date,
    test_type: str,
    tested_by: str,
    result_photo=None,
    remaining_symptoms: list[str] | None = None,
    submission_key: uuid.UUID | None = None,
) -> RecoveryDeclaration:
    """A citizen declares a negative test; refused before the earliest recovery date."""
    if submission_key and (receipt := SubmissionReceipt.objects.filter(key=submission_key).first()):
        return receipt.case.recovery_declarations.first()
    case = lock_case(case)
    today = timezone.localdate()
    if case.status == Status.RECOVERY_REQUESTED:
        raise ValidationError(
            _("Bạn đã khai báo khỏi bệnh; xã đang xem xét. Vui lòng chờ kết quả."),
            code="already_requested",
        )
    if case.next_status(Action.REQUEST_RECOVERY) is None:
        raise ValidationError(_not_isolating_message(case), code="not_isolating")
    if negative_test_date > today:
        raise ValidationError(
            {"negative_test_date": _("Ngày xét nghiệm không được sau ngày hôm nay.")}
        )
    if negative_test_date < case.isolation_end or today < case.isolation_end:
        message = _too_early_message(case, today=today, negative_test_date=negative_test_date)
        raise RecoveryTooEarly({"negative_test_date": message}, code="too_early")
    declaration = RecoveryDeclaration.objects.create(
        case=case,
        negative_test_date=negative_test_date,
        test_type=test_type,
        tested_by=tested_by,
        result_photo=result_photo,
        remaining_symptoms=remaining_symptoms or [],
    )
    uploads_attach(result_photo)
    transition(
        case,
        action=Action.REQUEST_RECOVERY,
        by=None,
        data={
            "recovery_declaration_id": declaration.pk,
            "negative_test_date": negative_test_date.isoformat(),
        },
    )
    if submission_key:
        SubmissionReceipt.objects.create(
            key=submission_key, kind=SubmissionReceipt.Kind.RECOVERY, case=case
        )
    return declaration


@transaction.atomic
def case_confirm_recovery(
    *, case: Case, by: User, note: str = "", request=None, seen_version: int | None = None
) -> Case:
    """Confirm recovery: on the citizen's negative test, or once the longest period is over
    (the after-transition hooks prepare the recovery confirmation). `note` is internal.

    `seen_version`: the Case.version the official decided on (the page's hidden field, the
    API's If-Match); a case changed since is refused with CaseChanged, changing nothing."""
    case = lock_case(case, seen_version)
    check_may_act(by, case)
    now = timezone.now()
    if case.status == Status.ACCEPTED and Action.CONFIRM_RECOVERY not in case.allowed_actions():
        raise ValidationError(
            _(
                "Chưa có khai báo xét nghiệm âm tính; chỉ xác nhận khi hết thời gian cách ly "
                "tối đa (ngày %(date)s)."
            )
            % {"date": case.extended_isolation_end.strftime("%d/%m/%Y")},
            code="too_early",
        )
    declaration = case.recovery_declarations.filter(state=RecoveryDeclaration.State.PENDING).first()
    if declaration:
        # Confirmed before the transition, whose hooks prepare the confirmation citing it;
        # an illegal transition rolls this back too.
        declaration.state = RecoveryDeclaration.State.CONFIRMED
        declaration.decided_at = now
        declaration.save(update_fields=["state", "decided_at"])
    transition(
        case,
        action=Action.CONFIRM_RECOVERY,
        by=by,
        reason=note,
        data={"recovery_declaration_id": declaration.pk if declaration else None},
        outcome=Outcome.RECOVERED,
        closed_at=now,
    )
    case_audit(Action.CONFIRM_RECOVERY, case, by, request)
    return case


@transaction.atomic
def case_refuse_recovery(
    *, case: Case, by: User, reason: str, request=None, seen_version: int | None = None
) -> Case:
    """Send a recovery declaration back (unreadable photo, test too early...): still isolating.
    `reason` is addressed to the citizen (status page, SMS/email): the event's `message`.

    `seen_version`: the Case.version the official decided on (the page's hidden field, the
    API's If-Match); a case changed since is refused with CaseChanged, changing nothing."""
    case = lock_case(case, seen_version)
    check_may_act(by, case)
    if not reason.strip():
        raise ValidationError({"reason": _("Vui lòng ghi lý do để người dân biết cần làm gì.")})
    declaration = case.recovery_declarations.filter(state=RecoveryDeclaration.State.PENDING).first()
    transition(
        case,
        action=Action.REFUSE_RECOVERY,
        by=by,
        message=reason.strip(),
        data={"recovery_declaration_id": declaration.pk if declaration else None},
    )
    if declaration:
        declaration.state = RecoveryDeclaration.State.REFUSED
        declaration.refusal_reason = reason.strip()
        declaration.decided_at = timezone.now()
        declaration.save(update_fields=["state", "refusal_reason", "decided_at"])
    case_audit(Action.REFUSE_RECOVERY, case, by, request)
    case_notify(case, "recovery_refused", reason=reason.strip())
    return case
