"""What a leader sees before signing: each document with its person, the number it will
most likely get, the isolation period it states, and the danger and duplicate flags of
the case (issue 14 item 4: nothing is signed without this preview being confirmed).

Reads only; the numbers are provisional (the real one is taken at signing, under the
series' lock, documents.numbering) and marked so on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from accounts.models import User
from cases.hints import Hint, duplicate_hints
from cases.models import Case
from documents import composition
from documents.models import Document, DocumentCounter
from documents.selectors import wording_for
from documents.services import preview_data


@dataclass
class SigningRow:
    document: Document
    case: Case
    number_label: str  # provisional, e.g. "13/QĐ-UBND"
    isolation_start: date
    isolation_end: date
    hints: list[Hint]

    @property
    def flagged(self) -> bool:
        """Danger signs, risk flags or a possible duplicate: worth a second look."""
        return bool(self.case.has_danger_signs or self.case.risk_flags or self.hints)


def signing_preview(user: User, documents: list[Document]) -> list[SigningRow]:
    """One row per document, in the order given (the order they will be numbered in).

    `documents` are prepared documents of one commune with `case` and `commune` loaded.
    Queries: one for the counters, one per kind of duplicate hint, and what rendering
    the period of a recovery confirmation reads (its isolation decision).
    """
    if not documents:
        return []
    commune = documents[0].commune
    wording = wording_for(commune)
    year = timezone.localdate().year
    last = dict(
        DocumentCounter.objects.filter(commune=commune, year=year).values_list(
            "kind", "last_number"
        )
    )
    hints = duplicate_hints(user, [document.case for document in documents])
    rows = []
    for document in documents:
        last[document.kind] = last.get(document.kind, 0) + 1
        data = preview_data(document, document.case)
        rows.append(
            SigningRow(
                document=document,
                case=document.case,
                number_label=composition.number_label(
                    last[document.kind], wording.symbol_for(document.kind)
                ),
                isolation_start=data.isolation_start,
                isolation_end=data.isolation_end,
                hints=hints.get(document.case.pk, []),
            )
        )
    return rows
