"""Message texts: one SMS template and one email template per kind of message.

`notifications/<kind>.txt` is the SMS; it is written with diacritics like every other
Vietnamese text and stripped of them when rendered, because brandname SMS go out
unaccented to fit 160 GSM-7 characters. `notifications/<kind>_email.txt` is the email: its
first non-blank line is the subject, the rest is the body. Templates get only what the
message needs (tracking code, links, a reason); never pass an ID number or health detail.
"""

import logging
import re
import unicodedata
from dataclasses import dataclass

from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

SMS_MAX_LENGTH = 160

# Letters that Unicode does not decompose into a base letter plus a combining mark.
_NO_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D", "Ð": "D"})
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def sms_text(text: str) -> str:
    """The text without Vietnamese diacritics (đ becomes d), e.g. "Mã hồ sơ" -> "Ma ho so"."""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_NO_DECOMPOSITION))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


@dataclass(frozen=True)
class Message:
    """The same news told twice: unaccented for SMS, in full Vietnamese for email."""

    sms: str
    email_subject: str
    email_body: str


def message_for(kind: str, **context) -> Message:
    """Render the SMS and email texts of one kind of message from its templates."""
    sms = _SPACES.sub(" ", sms_text(render_to_string(f"notifications/{kind}.txt", context)))
    sms = sms.strip()
    if len(sms) > SMS_MAX_LENGTH:
        # Still sent (a link must not be cut), but as several billed parts.
        logger.warning("SMS text for %s is %d characters long", kind, len(sms))
    email = render_to_string(f"notifications/{kind}_email.txt", context).strip()
    email = _BLANK_LINES.sub("\n\n", email)
    subject, _, body = email.partition("\n")
    return Message(sms=sms, email_subject=subject.strip(), email_body=body.strip() + "\n")


def receipt_message(tracking_code: str, status_url: str) -> Message:
    """The message confirming that a declaration was received, with its tracking code."""
    return message_for("declaration_received", tracking_code=tracking_code, status_url=status_url)
