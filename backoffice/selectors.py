"""Reads of the commune back office: the inbox, transfers out, jobs, a case's photos.

Lists are paged by seeking on (submitted_at, id), which the (unit, status, submitted_at)
and (unit, submitted_at, id) indexes of Case serve: a page costs the same on the first
day and at a million cases.
"""

import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.choices import AWAITING_REVIEW, ISOLATING, OPEN_STATUSES, Status
from cases.hints import HINT_KINDS, Hint, HintCase, duplicate_hints
from cases.models import Case, CaseEvent, SubmissionReceipt
from cases.name_search import MATCHES_LISTED, listed_ids_q, name_contains_q
from cases.selectors import cases_visible_to
from cases.tracking import normalize_tracking_code
from cases.validators import name_key, normalize_phone
from core.text import compact_number
from jobs.models import BulkJob

PAGE_SIZE = 50
# Counts on the tabs stop here: counting every row of a province would grow without bound.
COUNT_CAP = 999


def review_sla() -> timedelta:
    return timedelta(hours=getattr(settings, "REVIEW_OVERDUE_HOURS", 24))


class Tab:
    REVIEW = "review"
    ISOLATING = "isolating"
    RECOVERY = "recovery"
    OVERDUE = "overdue"
    DANGER = "danger"
    ALL = "all"

    CHOICES = [
        (REVIEW, _("Chờ tiếp nhận")),
        (ISOLATING, _("Đang cách ly")),
        (RECOVERY, _("Chờ xác nhận khỏi bệnh")),
        (OVERDUE, _("Quá hạn")),
        (DANGER, _("Dấu hiệu nguy hiểm")),
        (ALL, _("Tất cả")),
    ]
    COUNTED = (REVIEW, RECOVERY, OVERDUE, DANGER)
    NEWEST_FIRST = (ALL,)


def tab_q(tab: str, *, now: datetime) -> Q:
    """Which cases a tab lists."""
    if tab == Tab.REVIEW:
        return Q(status__in=AWAITING_REVIEW)
    if tab == Tab.ISOLATING:
        return Q(status__in=ISOLATING)
    if tab == Tab.RECOVERY:
        return Q(status=Status.RECOVERY_REQUESTED)
    if tab == Tab.OVERDUE:
        # Waiting for review past the service level, or still isolating after the
        # longest isolation period: both need the commune now.
        return Q(status__in=AWAITING_REVIEW, submitted_at__lt=now - review_sla()) | Q(
            status=Status.ACCEPTED, extended_isolation_end__lt=timezone.localdate(now)
        )
    if tab == Tab.DANGER:
        return Q(status__in=OPEN_STATUSES, has_danger_signs=True)
    return Q()


def tab_parts(tab: str, *, now: datetime) -> list[Q] | None:
    """A status tab as one condition per status, each an equality the (unit, status,
    submitted_at) indexes seek on in order; None for the tab of every status."""
    overdue_review = Q(submitted_at__lt=now - review_sla())
    parts = {
        Tab.REVIEW: [Q(status=s) for s in AWAITING_REVIEW],
        Tab.ISOLATING: [Q(status=s) for s in ISOLATING],
        Tab.RECOVERY: [Q(status=Status.RECOVERY_REQUESTED)],
        Tab.OVERDUE: [Q(status=s) & overdue_review for s in AWAITING_REVIEW]
        + [Q(status=Status.ACCEPTED, extended_isolation_end__lt=timezone.localdate(now))],
        Tab.DANGER: [Q(status=s, has_danger_signs=True) for s in OPEN_STATUSES],
    }
    return parts.get(tab)


def search_q(text: str) -> Q | None:
    """Name (without diacritics), phone, ID number or tracking code; None for no search."""
    text = (text or "").strip()
    if not text:
        return None
    compact = compact_number(text)
    conditions = []
    if code := normalize_tracking_code(text):
        conditions.append(Q(tracking_code=code))
    if re.fullmatch(r"\+?[0-9]{6,13}", compact):
        conditions.append(Q(id_number=compact.lstrip("+")))
        with contextlib.suppress(ValidationError):
            conditions.append(Q(phone=normalize_phone(compact)))
    elif re.fullmatch(r"[A-Za-z0-9]{6,12}", compact):
        conditions.append(Q(id_number=compact.upper()))
    if (key := name_key(text)) and not re.fullmatch(r"[0-9+]+", compact):
        conditions.append(name_contains_q(key))
    if not conditions:
        return Q(pk__in=[])
    return _matches_listed(conditions)


def _matches_listed(conditions: list[Q]) -> Q:
    """The cases matching any of `conditions`, found once through each one's own index and
    given to the page's queries as a list of ids (up to MATCHES_LISTED; beyond, the
    conditions themselves). Planners do not combine OR'ed lookups with the unit's index
    well: with `code = ? OR id_number = ? OR name ...` SQLite walked every case of the
    province in date order (24 s at a million cases), and PostgreSQL matched the name
    again in each of the page's twenty queries (17 s at 10 million)."""
    ids: set[int] = set()
    for condition in conditions:
        room = MATCHES_LISTED + 1 - len(ids)
        ids.update(Case.objects.filter(condition).values_list("pk", flat=True)[:room])
        if len(ids) > MATCHES_LISTED:
            return reduce(or_, conditions)
    return listed_ids_q(sorted(ids))


def exact_match(user: User, text: str) -> Case | None:
    """The one case a whole tracking code or ID number names among the user's cases, on
    whatever tab it sits (issue 14 item 9); None for any other search, or when the number
    names several cases with no single open one among them (then the tabs list them).

    An ID number is a whole number in the forms cases.validators accepts (CMND 9 digits,
    CCCD 12, a passport's letters and digits); a phone number is not one, since a family
    shares a phone."""
    text = (text or "").strip()
    compact = compact_number(text)
    if code := normalize_tracking_code(text):
        condition = Q(tracking_code=code)
    elif re.fullmatch(r"[0-9]{9}|[0-9]{12}", compact) or (
        # A passport number (cases.validators): letters and digits, both present.
        re.fullmatch(r"[A-Z0-9]{6,12}", compact)
        and re.search(r"[A-Z]", compact)
        and re.search(r"[0-9]", compact)
    ):
        condition = Q(id_number=compact)
    else:
        return None
    found = list(cases_visible_to(user).filter(condition).order_by("-submitted_at", "-pk")[:20])
    if len(found) > 1:
        found = [case for case in found if case.status in OPEN_STATUSES]
    return found[0] if len(found) == 1 else None


# Keyset cursors: "<microseconds since epoch>.<id>", opaque to users, cheap to check.


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def make_cursor(moment: datetime, pk: int) -> str:
    return f"{(moment - EPOCH) // MICROSECOND}.{pk}"


def encode_cursor(case: Case) -> str:
    return make_cursor(case.submitted_at, case.pk)


def decode_cursor(raw: str | None) -> tuple[datetime, int] | None:
    match = re.fullmatch(r"([0-9]{1,17})\.([0-9]{1,18})", raw or "")
    if not match:
        return None
    return EPOCH + int(match[1]) * MICROSECOND, int(match[2])


@dataclass
class CasePage:
    rows: list[Case]
    next_cursor: str | None = None
    prev_cursor: str | None = None
    hints: dict[int, list[Hint]] = field(default_factory=dict)


def inbox_queryset(user: User, *, tab: str, search: str = "") -> QuerySet[Case]:
    """The user's cases on a tab, filtered by the search text; not yet ordered or paged."""
    cases = cases_visible_to(user).filter(tab_q(tab, now=timezone.now()))
    if (condition := search_q(search)) is not None:
        cases = cases.filter(condition)
    return cases


def inbox_page(
    user: User,
    *,
    tab: str,
    search: str = "",
    after: str | None = None,
    before: str | None = None,
    page_size: int = PAGE_SIZE,
    condition: Q | None = None,
) -> CasePage:
    """One page of the inbox, seeking from a cursor; a fixed number of queries.

    A tab of several statuses reads each status's next rows through its own index range
    and merges them: the work per page stays the same at any number of cases, where one
    query over `status IN (...)` would walk the unit's cases in date order.

    `condition`: search_q(search) when the caller has it already (the page and its tab
    counts match a name once).
    """
    cases = cases_visible_to(user).select_related("commune", "test_photo")
    if condition is None:
        condition = search_q(search)
    if condition is not None:
        cases = cases.filter(condition)
    ascending = tab not in Tab.NEWEST_FIRST
    backwards = before is not None and after is None
    cursor = decode_cursor(before if backwards else after)
    # Walking backwards is walking the other way and turning the page round.
    forward = ascending != backwards
    if cursor:
        moment, pk = cursor
        if forward:
            cases = cases.filter(Q(submitted_at__gt=moment) | Q(submitted_at=moment, pk__gt=pk))
        else:
            cases = cases.filter(Q(submitted_at__lt=moment) | Q(submitted_at=moment, pk__lt=pk))
    order = ("submitted_at", "pk") if forward else ("-submitted_at", "-pk")
    parts = tab_parts(tab, now=timezone.now()) or [tab_q(tab, now=timezone.now())]
    # The page's ids first, each part through its own index (covering, no join), then its
    # rows by id with their commune and photo: joined in the same query, SQLite's planner
    # walked the commune's cases in date order instead (18 ms for 51 rows at 1 million).
    keys = []
    for part in parts:
        keys.extend(
            cases.filter(part).order_by(*order).values_list("submitted_at", "pk")[: page_size + 1]
        )
    keys.sort(reverse=not forward)
    keys = keys[: page_size + 1]
    by_pk = cases.in_bulk([pk for _at, pk in keys]) if keys else {}
    rows = [by_pk[pk] for _at, pk in keys if pk in by_pk]
    more = len(rows) > page_size
    rows = rows[:page_size]
    if backwards:
        rows.reverse()
    page = CasePage(rows=rows)
    if rows:
        if more or backwards:
            page.next_cursor = encode_cursor(rows[-1])
        if (more and backwards) or (cursor and not backwards):
            page.prev_cursor = encode_cursor(rows[0])
    page.hints = duplicate_hints(user, rows)
    return page


@dataclass
class HouseholdGroup:
    """The members of one household declared together (Case.household_key) that the user
    sees: `size` in all, `awaiting` the ids of those still awaiting review (what "accept
    the household" accepts, through the bulk accept job)."""

    key: str
    size: int
    awaiting: list[int]


def household_groups(user: User, rows: list[Case]) -> dict[str, HouseholdGroup]:
    """{household key (str): HouseholdGroup} for the households of `rows`; one query."""
    keys = {case.household_key for case in rows if case.household_key}
    if not keys:
        return {}
    groups: dict[str, HouseholdGroup] = {}
    members = (
        cases_visible_to(user)
        .filter(household_key__in=keys)
        .order_by("submitted_at", "pk")
        .values_list("household_key", "pk", "status")
    )
    for key, pk, status in members:
        group = groups.setdefault(str(key), HouseholdGroup(key=str(key), size=0, awaiting=[]))
        group.size += 1
        if status in AWAITING_REVIEW:
            group.awaiting.append(pk)
    return groups


def household_rows_together(rows: list[Case]) -> list[Case]:
    """The page's rows with the members of a household moved up behind the first of them
    (they were sent together, so they are seldom apart); the order is otherwise kept."""
    placed: dict[str, list[Case]] = {}
    ordered: list[list[Case]] = []
    for case in rows:
        key = str(case.household_key) if case.household_key else None
        if key and key in placed:
            placed[key].append(case)
            continue
        group = [case]
        if key:
            placed[key] = group
        ordered.append(group)
    return [case for group in ordered for case in group]


def tab_counts(user: User, *, search: str = "", condition: Q | None = None) -> dict[str, int]:
    """How many cases wait on the tabs that need action, each count capped; with a search,
    how many match on every tab, so that the page says which tabs hold results.
    `condition`: search_q(search), when the caller has it already."""
    tabs = [code for code, _label in Tab.CHOICES] if search.strip() else Tab.COUNTED
    now = timezone.now()
    cases = cases_visible_to(user)
    if condition is None:
        condition = search_q(search)
    if condition is not None:
        cases = cases.filter(condition)
    counts = {}
    for tab in tabs:
        # One capped count per status, each a range of a (unit, status, ...) index, as the
        # pages read them (inbox_page): one count over `status IN (...)`, or over an OR of
        # statuses and dates, walks every row of the unit on some databases.
        n = 0
        for part in tab_parts(tab, now=now) or [tab_q(tab, now=now)]:
            n += cases.filter(part)[: COUNT_CAP + 1 - n].count()
            if n > COUNT_CAP:
                break
        counts[tab] = n
    return counts


# Transfers out -------------------------------------------------------------------------


def transfers_out(user: User, *, after: str | None = None, page_size: int = PAGE_SIZE):
    """Transfers the user's commune made, newest first; no personal data is read."""
    if not user.may_act_for(user.unit_id):
        return [], None
    events = CaseEvent.objects.filter(
        kind="transferred", data__from_commune_id=user.unit_id
    ).select_related("case")
    if cursor := decode_cursor(after):
        moment, pk = cursor
        events = events.filter(Q(at__lt=moment) | Q(at=moment, pk__lt=pk))
    rows = list(
        events.order_by("-at", "-pk").only(
            "at", "reason", "data", "actor_label", "case__tracking_code"
        )[: page_size + 1]
    )
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        next_cursor = make_cursor(rows[-1].at, rows[-1].pk)
    return rows, next_cursor


# Jobs ----------------------------------------------------------------------------------


def jobs_for_user(user: User) -> QuerySet[BulkJob]:
    """The jobs of the user's commune (commune officers and leaders only)."""
    if not user.may_act_for(user.unit_id):
        return BulkJob.objects.none()
    return BulkJob.objects.filter(commune_id=user.unit_id)


def get_job_for_user(user: User, pk: int) -> BulkJob:
    job = jobs_for_user(user).select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@dataclass
class DecisionRow:
    """One case of a bulk decision awaiting confirmation, as the confirmation shows it."""

    case: Case
    held: bool
    hints: list[Hint]


def decision_preview(user: User, job: BulkJob) -> list[DecisionRow] | None:
    """The cases of a bulk decision awaiting confirmation, held ones first, each with the
    danger signs and duplicate hints found when it was prepared; None for another kind of
    job. Only the user's own cases are read (the job is the commune's)."""
    if job.kind not in ("accept_cases", "reject_cases"):
        return None
    cases = cases_visible_to(user).in_bulk([item["case"] for item in job.items])
    rows = []
    for item in job.items:
        if (case := cases.get(item["case"])) is None:
            continue
        hints = [
            Hint(
                kind=h["kind"],
                label=HINT_KINDS[h["kind"]][0],
                css=HINT_KINDS[h["kind"]][1],
                others=[HintCase(**other) for other in h["others"]],
            )
            for h in item.get("hints", [])
        ]
        rows.append(DecisionRow(case=case, held=bool(item.get("hold")), hints=hints))
    rows.sort(key=lambda row: not row.held)
    return rows


@dataclass
class Touched:
    """A person a finished item of a bulk job touched, as the job's results list them."""

    case: Case
    ref: str


def job_people(user: User, job: BulkJob) -> list[Touched]:
    """The cases the job's done items touched, in the job's order, with their names (the
    commune's own cases: its staff read full names, as on the case list; a case since
    transferred away is left out). Decisions name their case in each item; an import finds
    the case each row declared or joined through the row's submission receipt."""
    failed = {error["ref"] for error in job.errors}
    done = job.items[: job.cursor]
    if job.kind in ("accept_cases", "reject_cases"):
        refs = {item["case"]: item["code"] for item in done if item["code"] not in failed}
    elif job.kind == "import_cases":
        from backoffice.imports import import_item_ref, submission_key_for

        keys = {
            submission_key_for(job, item["row"]): import_item_ref(job, item)
            for item in done
            if import_item_ref(job, item) not in failed
        }
        receipts = SubmissionReceipt.objects.filter(key__in=keys).values_list("key", "case_id")
        refs = {case_id: keys[key] for key, case_id in receipts}
    else:
        return []
    cases = cases_visible_to(user).filter(commune_id=job.commune_id).in_bulk(list(refs))
    return [Touched(case=cases[pk], ref=ref) for pk, ref in refs.items() if pk in cases]


# Case page -----------------------------------------------------------------------------


def case_photo_ids(case: Case) -> set[int]:
    """Every upload that belongs to a case: its photos, recovery and linked declarations'."""
    ids = {case.test_photo_id, case.id_photo_id}
    ids.update(case.recovery_declarations.values_list("result_photo_id", flat=True))
    for data in case.events.filter(kind="declaration_linked").values_list("data", flat=True):
        ids.update((data.get("test_photo_id"), data.get("id_photo_id")))
    ids.discard(None)
    return ids
