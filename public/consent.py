"""The law the consent notice of the declaration cites, by the day it is shown.

Sources (issue 14 item 25):
- Decree 13/2023/NĐ-CP on personal data protection, in force from 1/7/2023 to 31/12/2025;
- the Law on Personal Data Protection 91/2025/QH15, in force from 1/1/2026 (Art. 39), which
  replaces the Decree; health data stays sensitive personal data under both.
Before 1/7/2023 no instrument on personal data was in force: the notice cites the Law on
Prevention and Control of Infectious Diseases of 2007, under which the data are collected.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Citation:
    valid_from: date
    text: object  # a lazy gettext string, said after "theo"


CONSENT_CITATIONS = (
    Citation(date(2008, 7, 1), _("Luật Phòng, chống bệnh truyền nhiễm năm 2007")),
    Citation(date(2023, 7, 1), _("Nghị định số 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân")),
    Citation(date(2026, 1, 1), _("Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15")),
)


def consent_citation(on: date):
    """The instrument in force on local date `on` (the latest that started by then)."""
    current = CONSENT_CITATIONS[0]
    for citation in CONSENT_CITATIONS:
        if citation.valid_from <= on:
            current = citation
    return current.text
