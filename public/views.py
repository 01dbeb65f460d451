"""Citizens' pages: declare infection, look up a case, declare recovery. No account."""

import uuid
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.selectors import record_openings
from cases.choices import Comorbidity, IdType, Sex, Symptom, TestType
from cases.intake import intake_answer, intake_submit
from cases.models import Case, Intake
from cases.monitoring import STATUS, link_case, link_for, link_open, monitoring_open, token_for
from cases.rules import earliest_recovery_reason
from cases.selectors import case_for_citizen, public_timeline
from cases.services import (
    HOUSEHOLD_MAX_MEMBERS,
    case_request_recovery,
    daily_report_submit,
)
from cases.services.lookup import (
    Lookup,
    case_code_resend,
    case_lookup,
    lookup_refused_for,
)
from cases.tracking import normalize_tracking_code
from core.access import public
from core.client import client_address
from core.ratelimit import hit, peek, refusal, retry_when, seconds_left
from core.text import compact_number
from documents.selectors import documents_of_case, health_station
from notifications.services import phone_code_issue, phone_code_verify
from public import session as citizen
from public.consent import consent_citation
from public.forms import (
    CodeResendForm,
    ConsentForm,
    DailyReportForm,
    DeclarationForm,
    LookupForm,
    PhoneCodeForm,
    RecoveryForm,
)
from units.models import Unit
from units.selectors import commune_of_province, deployed_province

VACCINE_LABELS = {
    0: _l("Chưa tiêm"),
    1: _l("1 mũi"),
    2: _l("2 mũi"),
    3: _l("3 mũi"),
    4: _l("4 mũi trở lên"),
}

# Pages that show what a citizen typed or their case carry no-store (never_cache): shared
# phones and caching proxies must not keep personal data shown without a login.

# Generous per-address limits: mobile carriers put many people behind one address. Each is
# (scope, attempts, window in seconds); the address is core.client.client_address.
DECLARE_LIMITS = [("declare-ip", 60, 600)]
DECLARE_PHONE_LIMIT = ("declare-phone", 10, 86_400)
# The lookups (status, recovery) count wrong tries only: cases.services.lookup.

DECLARE_REFUSED = _l("Có quá nhiều khai báo từ mạng hoặc số điện thoại này trong thời gian ngắn.")
LOOKUP_REFUSED = _l("Có quá nhiều lượt tra cứu sai từ mạng này.")
CODE_LOCKED = _l(
    "Mã hồ sơ này vừa bị tra cứu sai nhiều lần nên tạm thời không xem trực tiếp được, để "
    "bảo vệ hồ sơ. Nếu mã và số giấy tờ bạn nhập là đúng, chúng tôi đã gửi địa chỉ xem hồ "
    "sơ riêng của bạn tới số điện thoại đã khai báo (kiểm tra tin nhắn trong vài phút)."
)
RESEND_REFUSED = _l("Đã có nhiều đề nghị gửi lại mã từ mạng này hoặc cho số giấy tờ này.")


def _exhausted(request, limits, ident_extra: dict | None = None, *, count: bool) -> int | None:
    """Seconds until every exhausted limit for this client has started over, else None.

    Every limit is looked at, so that the time a refusal gives is the truth even when two
    limits refuse (the longest of their core.ratelimit.seconds_left). With `count`, the
    attempt is counted against each (the step that does the work); without, the limits are
    only looked at, so that a citizen is refused when a step starts, before typing.
    """
    check = hit if count else peek
    ip = client_address(request) or ""
    pairs = [((scope, limit, window), ip) for scope, limit, window in limits]
    pairs += list((ident_extra or {}).items())
    waits = [
        seconds_left(window)
        for (scope, limit, window), ident in pairs
        if not check(scope, ident, limit=limit, window=window)
    ]
    return max(waits) if waits else None


def _too_many(request, *, wait: int, back_url: str = "", kept: bool = False):
    """The refusal page of a declaration step; `kept` says the draft is safe on the server."""
    return refusal(
        request,
        "public/rate_limited.html",
        {"back_url": back_url, "kept": kept, "reason": DECLARE_REFUSED},
        wait=wait,
    )


def _form_refused(request, template: str, context: dict, *, wait: int, reason=LOOKUP_REFUSED):
    """Show the sent form again, everything typed kept, with why and when to try again (in
    `wait` seconds, the limiter's own: core.ratelimit.retry_when) at the top."""
    when = retry_when(wait=wait)
    again = when["retry_text"]
    context["form"].add_error(None, f"{reason} {again}")
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(when["retry_after"])
    return response


def _lookup_refused(request, *, wait: int):
    return refusal(request, "public/rate_limited.html", {"reason": LOOKUP_REFUSED}, wait=wait)


def _lookup(request, form) -> Lookup:
    """The case of the form's tracking code and ID number, through the lookup's limits."""
    return case_lookup(
        tracking_code=form.cleaned_data["tracking_code"],
        secret=form.cleaned_data["secret"],
        address=client_address(request) or "",
        request=request,
    )


def _lookup_answer(request, template: str, context: dict, found: Lookup):
    """The page for a lookup that found nothing: refused (429, when to try again), the
    code locked (429, the same answer for a right and a wrong pair), or not found."""
    if found.refused_for is not None:
        return _form_refused(request, template, context, wait=found.refused_for)
    if found.code_locked_for is not None:
        return _form_refused(
            request, template, context, wait=found.code_locked_for, reason=CODE_LOCKED
        )
    context["form"].add_error(
        None,
        _(
            "Không tìm thấy hồ sơ với mã và số giấy tờ này. Vui lòng kiểm tra lại mã hồ sơ "
            "trong tin nhắn và số giấy tờ đã khai báo."
        ),
    )
    return render(request, template, context)


def _declaration_form(request, data=None, files=None, **kwargs) -> DeclarationForm:
    return DeclarationForm(
        data,
        files,
        session=request.session,
        communes_url=reverse("public:communes"),
        **kwargs,
    )


@public
@require_http_methods(["GET", "POST"])
def declare_start(request):
    """The data-processing notice; consenting opens a new declaration."""
    if wait := _exhausted(request, DECLARE_LIMITS, count=False):
        return _too_many(request, wait=wait)
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        citizen.declaration_start(request.session)
        return redirect("public:declare_form")
    return render(
        request,
        "public/declare_start.html",
        {"form": form, "privacy_law": consent_citation(timezone.localdate())},
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def declare_form(request):
    """The form of one person: the first, or the next member of the same household."""
    state = citizen.declaration_state(request.session)
    if state is None:
        return redirect("public:declare_start")
    member = citizen.current_member(state)
    others = citizen.household_ids(state)
    if request.method == "POST":
        # The photos staged while checking the form and the session naming them: one commit.
        with citizen.committed_with(request.session):
            form = _declaration_form(request, request.POST, request.FILES, household_ids=others)
            if valid := form.is_valid():
                citizen.draft_save(request.session, request.POST, form)
        if valid:
            return redirect("public:declare_check")
    elif wait := _exhausted(request, DECLARE_LIMITS, count=False):
        # Refused now, before typing, rather than at the last step.
        return _too_many(request, wait=wait, kept=bool(member["draft"]))
    elif member["draft"]:
        form = _declaration_form(request, citizen.draft_data(member), household_ids=others)
    else:
        form = _declaration_form(request, initial=citizen.household_initial(request.session, state))
    return render(
        request,
        "public/declare_form.html",
        {
            "form": form,
            "member_number": state["current"] + 1,
            "members_done": len(citizen.complete_members(state)),
        },
    )


def _draft_summary(member: dict) -> dict:
    """What the check page shows of one member: the values with their Vietnamese labels."""
    values = citizen.draft_values(member)
    return {
        "d": values,
        "commune": commune_of_province(deployed_province(), member["commune_id"]),
        "photos": member["photos"],
        "labels": {
            "sex": Sex(values["sex"]).label,
            "id_type": IdType(values["id_type"]).label,
            "test_type": TestType(values["test_type"]).label,
            "vaccine": VACCINE_LABELS.get(values["vaccine_doses"], values["vaccine_doses"]),
            "symptoms": [Symptom(s).label for s in values.get("symptoms") or []],
            "comorbidities": [Comorbidity(c).label for c in values.get("comorbidities") or []],
        },
    }


def _member_index(request) -> int:
    value = request.POST.get("member", "")
    return int(value) if value.isdigit() else -1


@public
@never_cache
@require_http_methods(["GET", "POST"])
def declare_check(request):
    """Check your answers, then send: the one step that writes the cases.

    Every member of the household is shown; from here a member is edited or removed, or
    another member added (`action`). The values were checked when the form was sent and are
    kept in the (server-side) session, so sending does not check them again; the service
    and the database enforce what must hold at the moment of writing.
    """
    state = citizen.declaration_state(request.session)
    if state is None:
        receipt = request.session.get(citizen.LAST_RECEIPT)
        # A second click on "Gửi" after the first one went through: show its answer.
        if request.method == "POST" and receipt and receipt["key"] == request.POST.get("key"):
            return redirect("public:declare_done")
        return redirect("public:declare_start")
    citizen.members_prune(request.session, state)
    members = citizen.complete_members(state)
    if not members:
        return redirect("public:declare_form")
    province = deployed_province()
    if any(commune_of_province(province, m["commune_id"]) is None for m in members):
        return redirect("public:declare_form")
    action = request.POST.get("action", "send") if request.method == "POST" else ""
    if action == "add":
        if len(members) >= HOUSEHOLD_MAX_MEMBERS:
            messages.warning(
                request,
                _("Mỗi lần khai báo tối đa %(max)d người; hãy gửi rồi khai báo tiếp.")
                % {"max": HOUSEHOLD_MAX_MEMBERS},
            )
            return redirect("public:declare_check")
        citizen.member_add(request.session, state)
        return redirect("public:declare_form")
    if action == "edit":
        citizen.member_edit(request.session, state, _member_index(request))
        return redirect("public:declare_form")
    if action == "remove":
        citizen.member_remove(request.session, state, _member_index(request))
        return redirect("public:declare_check")
    posted = action == "send"
    if posted and settings.PHONE_VERIFICATION_REQUIRED and citizen.phones_to_verify(state):
        return redirect("public:declare_phone")
    # Looked at when the page opens, counted when it is sent: refused before "Gửi" if at all.
    phone_limit = {DECLARE_PHONE_LIMIT: members[0]["values"]["phone"]}
    if wait := _exhausted(request, DECLARE_LIMITS, phone_limit, count=posted):
        back_url = reverse("public:declare_check")
        return _too_many(request, wait=wait, back_url=back_url, kept=True)
    if posted:
        # Kept now, recorded by the worker within seconds (cases.intake): the submission and
        # the session that forgets its draft commit together. The staged photos are claimed
        # by the worker; the session names them, so they need not be read here.
        with citizen.committed_with(request.session):
            intake_submit(
                members=members,
                submission_key=uuid.UUID(state["key"]),
                consent_at=datetime.fromisoformat(state["consent_at"]),
            )
            citizen.declaration_finish(request.session, state=state)
        return redirect("public:declare_done")
    summaries = [_draft_summary(m) for m in members]
    return render(
        request,
        "public/declare_check.html",
        {
            "members": summaries,
            "key": state["key"],
            "can_add": len(members) < HOUSEHOLD_MAX_MEMBERS,
        },
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def declare_phone(request):
    """Optional step (PHONE_VERIFICATION_REQUIRED): prove the phone with a one-time code.

    A household shares its phone: one code proves it for every member; a member with
    another phone is asked for that phone's code next."""
    state = citizen.declaration_state(request.session)
    if state is None or not citizen.complete_members(state):
        return redirect("public:declare_start")
    pending = citizen.phones_to_verify(state)
    if not pending:
        return redirect("public:declare_check")
    phone = pending[0]
    form = PhoneCodeForm(request.POST if request.POST.get("action") == "verify" else None)
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            phone_code_issue(phone=phone)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã gửi mã xác nhận tới số %(phone)s.") % {"phone": phone})
        return redirect("public:declare_phone")
    if form.is_bound and form.is_valid():
        if phone_code_verify(phone=phone, code=form.cleaned_data["code"]):
            state["phones_verified"].append(phone)
            request.session.modified = True
            return redirect("public:declare_check")
        form.add_error(
            "code", _("Mã không đúng hoặc đã hết hạn. Vui lòng kiểm tra hoặc gửi lại mã.")
        )
    return render(request, "public/declare_phone.html", {"form": form, "phone": phone})


@public
@never_cache
@require_GET
def declare_done(request):
    """The answer to a submission: each member's tracking code (or that they were linked
    to an open case, whose code goes to the first declaration's phone only).

    Until the worker has recorded the submission (cases.intake, usually a second or two)
    the page says it is being recorded and looks again by itself every few seconds; if it
    could not be recorded, it says so and gives the health station's number."""
    receipt = request.session.get(citizen.LAST_RECEIPT)
    if receipt is None:
        return redirect("public:declare_start")
    intake = intake_answer(receipt["key"]) if receipt.get("intake") else None
    if receipt.get("intake") and (intake is None or intake.state != Intake.State.DONE):
        return _declare_waiting(request, intake)
    answers = citizen.receipt_members(receipt, intake)
    cases = Case.objects.select_related("commune", "rule_set").in_bulk(
        [a["case_id"] for a in answers]
    )
    rows = [
        {
            "case": cases[a["case_id"]],
            "linked": a["kind"] == "linked",
            # The lasting way back (also in the SMS): never for a declaration that joined
            # another person's open case, whose link belongs to that case's phone.
            "status_link_path": ""
            if a["kind"] == "linked"
            else _status_link_path(cases[a["case_id"]]),
        }
        for a in answers
        if a["case_id"] in cases
    ]
    if not rows:
        raise Http404
    for row in rows:
        # This browser declared them: it may see their status without typing the code.
        if not row["linked"] and not citizen.citizen_case_allowed(request.session, row["case"].pk):
            citizen.citizen_case_allow(request.session, row["case"])
    return render(
        request,
        "public/declare_done.html",
        {
            "rows": rows,
            "case": rows[0]["case"],
            "linked": all(r["linked"] for r in rows),
            "household": len(rows) > 1,
            "status_link_path": rows[0]["status_link_path"],
            "site_url": settings.SITE_URL,
            **_station_context(rows[0]["case"].commune),
        },
    )


# How often the answer page looks again while a submission is being recorded, in seconds.
WAITING_REFRESH_SECONDS = 2


def _declare_waiting(request, intake):
    """The answer page before the cases exist: being recorded, or could not be."""
    members = intake.members if intake is not None else []
    commune = commune_of_province(
        deployed_province(), members[0]["commune_id"] if members else None
    )
    failed = intake is None or intake.state == Intake.State.FAILED
    station = _station_context(commune) if commune is not None else {}
    return render(
        request,
        "public/declare_waiting.html",
        {
            "failed": failed,
            "count": len(members),
            "phone": members[0]["values"].get("phone", "") if members else "",
            "received_at": intake.created_at if intake is not None else None,
            "refresh": WAITING_REFRESH_SECONDS,
            **station,
        },
    )


@public
@require_GET
def communes(request):
    """The <option>s of the communes of one district (the form works without this)."""
    province = deployed_province()
    units = Unit.objects.filter(province=province, level=Unit.Level.COMMUNE).order_by("code")
    district = request.GET.get("district", "")
    if district.isdigit():
        units = units.filter(district_id=int(district))
    return render(request, "public/_commune_options.html", {"communes": units})


def _status_link_path(case: Case) -> str:
    """The path of the case's personal status page (cases.monitoring, made on first use)
    while it opens; "" for an ended case. Pages show it after settings.SITE_URL, as the
    SMS gives it."""
    if not link_open(case, STATUS):
        return ""
    return reverse("public:status_link", args=[token_for(link_for(case), STATUS)])


def _station_context(commune: Unit) -> dict:
    """The commune's health station: name, phone as written and as a tel: number."""
    station, station_phone = health_station(commune)
    return {
        "station": station,
        "station_phone": station_phone,
        "station_tel": compact_number(station_phone),
    }


def _status_context(case: Case) -> dict:
    today = timezone.localdate()
    return {
        "case": case,
        # The daily report's link, for a person who lost the SMS (made on first use).
        "daily_report_url": reverse("public:daily_report", args=[token_for(link_for(case))])
        if monitoring_open(case, today)
        else "",
        "status_link_path": _status_link_path(case),
        "site_url": settings.SITE_URL,
        "recovery_reason": earliest_recovery_reason(
            rule_set=case.rule_set, positive_test_date=case.positive_test_date
        ),
        "timeline": public_timeline(case),
        "openings": record_openings([case, *documents_of_case(case)]),
        "today": today,
        "can_declare_recovery": case.status == "accepted" and today >= case.isolation_end,
        **_station_context(case.commune),
    }


@public
@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    """Look a case up with its tracking code and the ID number declared (the limits:
    cases.services.lookup)."""
    form = LookupForm(
        request.POST if request.method == "POST" else None,
        initial={"tracking_code": request.GET.get("code", "")[:20]},
    )
    address = client_address(request) or ""
    if request.method == "GET" and (wait := lookup_refused_for(address=address)):
        return _lookup_refused(request, wait=wait)
    if request.method == "POST" and form.is_valid():
        found = _lookup(request, form)
        if found.case is None:
            return _lookup_answer(request, "public/status_lookup.html", {"form": form}, found)
        citizen.citizen_case_allow(request.session, found.case)
        return redirect("public:status_case", code=found.case.tracking_code)
    return render(request, "public/status_lookup.html", {"form": form})


@public
@never_cache
@require_GET
def status_case(request, code: str):
    """The status of a case this browser has proven it may see; another browser (or this
    one after it was closed) is sent to the lookup with the code filled in."""
    case = (
        Case.objects.select_related("commune", "rule_set")
        .filter(tracking_code=normalize_tracking_code(code))
        .first()
    )
    if case is None or not citizen.citizen_case_allowed(request.session, case.pk):
        messages.info(
            request,
            _(
                "Để xem hồ sơ, vui lòng nhập số giấy tờ đã khai báo, hoặc mở địa chỉ riêng "
                "trong tin nhắn đã gửi cho bạn."
            ),
        )
        return redirect(reverse("public:status") + "?" + urlencode({"code": code[:20]}))
    return render(request, "public/status.html", _status_context(case))


@public
@never_cache
@require_GET
def status_link(request, token: str):
    """The personal status page of the link in the SMS, email and confirmation page
    (cases.monitoring, STATUS): no code or ID number to type, while the case is open. The
    browser is then allowed the case, for its document downloads."""
    case = link_case(token, page=STATUS)
    if case is None:
        return render(request, "public/status_link_closed.html", status=404)
    citizen.citizen_case_allow(request.session, case)
    return render(request, "public/status.html", _status_context(case))


@public
@never_cache
@require_http_methods(["GET", "POST"])
def code_resend(request):
    """Forgot the tracking code: send it, with the personal link, to the declared phone;
    never shown on screen, and the same answer whether anything matched
    (cases.services.lookup.case_code_resend)."""
    form = CodeResendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wait = case_code_resend(
            secret=form.cleaned_data["secret"],
            phone=form.cleaned_data["phone"],
            address=client_address(request) or "",
            request=request,
        )
        if wait is not None:
            context = {"form": form}
            return _form_refused(
                request, "public/code_resend.html", context, wait=wait, reason=RESEND_REFUSED
            )
        return render(request, "public/code_resend.html", {"form": form, "sent": True})
    return render(request, "public/code_resend.html", {"form": form})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def recovery(request):
    """Declare a negative test at the end of isolation."""
    key = request.POST.get("key") or str(uuid.uuid4())
    try:
        uuid.UUID(key)
    except ValueError:
        key = str(uuid.uuid4())
    address = client_address(request) or ""
    if request.method == "GET" and (wait := lookup_refused_for(address=address)):
        return _lookup_refused(request, wait=wait)
    case = None
    if request.method == "POST":
        form = RecoveryForm(request.POST, request.FILES, session=request.session)
        if form.is_valid():
            case = _proven_case(request, form)
            if case is None:
                found = _lookup(request, form)
                if found.case is None:
                    context = {"form": form, "key": key}
                    return _lookup_answer(request, "public/recovery.html", context, found)
                case = found.case
                # The pair is proven, as on the lookup: the status page opens in this browser.
                citizen.citizen_case_allow(request.session, case)
            try:
                case_request_recovery(
                    case=case,
                    negative_test_date=form.cleaned_data["negative_test_date"],
                    test_type=form.cleaned_data["test_type"],
                    tested_by=form.cleaned_data["tested_by"],
                    result_photo=form.cleaned_data["result_photo"],
                    remaining_symptoms=form.cleaned_data["remaining_symptoms"],
                    submission_key=uuid.UUID(key),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                citizen.citizen_case_allow(request.session, case)
                messages.success(
                    request,
                    _(
                        "Đã gửi khai báo khỏi bệnh. Trạm Y tế xã kiểm tra và đề nghị, Ủy ban nhân dân xã "
                        "xác nhận và cấp giấy xác nhận hoàn thành cách ly; bạn sẽ nhận tin "
                        "nhắn khi có kết quả."
                    ),
                )
                return redirect("public:status_case", code=case.tracking_code)
    else:
        code = request.GET.get("code", "")[:20]
        form = RecoveryForm(initial={"tracking_code": code}, session=request.session)
        case = _session_case(request, code)
    context = {"form": form, "key": key, "case": case}
    if case is not None:
        # Known: say before the photo is taken from which date, and why; and whom to call.
        context.update(_station_context(case.commune))
        context["too_early"] = timezone.localdate() < case.isolation_end
        context["recovery_reason"] = earliest_recovery_reason(
            rule_set=case.rule_set, positive_test_date=case.positive_test_date
        )
    return render(request, "public/recovery.html", context)


def _session_case(request, code: str) -> Case | None:
    """The case of `code` if this browser has proven it may see it (public.session)."""
    code = normalize_tracking_code(code)
    case = (
        Case.objects.select_related("commune", "rule_set").filter(tracking_code=code).first()
        if code
        else None
    )
    if case is None or not citizen.citizen_case_allowed(request.session, case.pk):
        return None
    return case


def _proven_case(request, form) -> Case | None:
    """The form's case without the lookup's limits, for a browser that has already proven
    it (through the personal link or a lookup) and typed the right ID number again: its
    owner is never locked out by somebody else's wrong tries."""
    case = _session_case(request, form.cleaned_data["tracking_code"])
    if case is None:
        return None
    return case_for_citizen(tracking_code=case.tracking_code, secret=form.cleaned_data["secret"])


def _add_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal next to the field it is about, or at the top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# Daily self-monitoring --------------------------------------------------------------------

# Per address as the other forms; per link, more than anyone reports in a day.
MONITOR_LIMITS = [("monitor-ip", 60, 600)]
MONITOR_LINK_LIMIT = ("monitor-link", 30, 86_400)
MONITOR_REFUSED = _l("Có quá nhiều báo cáo từ mạng này hoặc cho hồ sơ này trong thời gian ngắn.")


def _daily_context(case: Case, form: DailyReportForm) -> dict:
    today = timezone.localdate()
    latest = case.daily_reports.filter(reported_on=today).order_by("-created_at", "-pk").first()
    station, station_phone = health_station(case.commune)
    return {
        "case": case,
        "form": form,
        "today": today,
        "latest": latest,
        "danger_today": case.daily_reports.filter(reported_on=today, escalated=True).exists(),
        "station": station,
        "station_phone": station_phone,
        "station_tel": compact_number(station_phone),
    }


@public
@never_cache
@require_http_methods(["GET", "POST"])
def daily_report(request, token: str):
    """The daily self-monitoring page of the personal link (cases.monitoring): "fine" in
    one tap, or symptoms and measures; a danger sign shows what to do now."""
    posted = request.method == "POST"
    limits = {MONITOR_LINK_LIMIT: token[:64]} if posted else None
    if wait := _exhausted(request, MONITOR_LIMITS, limits, count=posted):
        return refusal(request, "public/rate_limited.html", {"reason": MONITOR_REFUSED}, wait=wait)
    case = link_case(token)
    if case is None:
        return render(request, "public/daily_report_closed.html", status=404)
    form = DailyReportForm(request.POST if request.POST.get("action") == "details" else None)
    if posted:
        fine = request.POST.get("action") == "fine"
        if fine or form.is_valid():
            values = {} if fine else form.cleaned_data
            try:
                daily_report_submit(
                    case=case,
                    feeling_fine=fine,
                    symptoms=values.get("symptoms") or [],
                    temperature=values.get("temperature"),
                    breathing_rate=values.get("breathing_rate"),
                    spo2=values.get("spo2"),
                    request=request,
                )
            except ValidationError as exc:
                if fine:
                    messages.error(request, " ".join(exc.messages))
                    return redirect(request.path)
                _add_errors(form, exc)
            else:
                return redirect(request.path)
    return render(request, "public/daily_report.html", _daily_context(case, form))
