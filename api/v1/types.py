"""Input types held to what the description says, so that a request the OpenAPI document
refuses is refused here too (pydantic's lax mode would read "0" as a date, a Unix time,
"5" as a number and "yes" as true).

JSON bodies take the Strict* types; multipart forms carry every value as text and take the
plain types (the page's form then checks them)."""

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, Field, StrictBool, StrictFloat, StrictInt

__all__ = ["GsoCode", "IsoDate", "StrictBool", "StrictFloat", "StrictInt", "UnitCode"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value):
    """A date given as YYYY-MM-DD text (JSON, a query, a form) or a date already read."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]

# A commune's GSO code (units.models.Unit.code: 5 digits).
GsoCode = Annotated[str, Field(pattern=r"^[0-9]{5}$", description="GSO code of the commune")]
# The GSO code of a unit of any level: province 2 digits, district 3, commune 5.
UnitCode = Annotated[str, Field(pattern=r"^[0-9]{2,5}$", description="GSO code of the unit")]
