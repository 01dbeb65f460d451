"""Form pieces for text at the boundary (rules in core/text.py).

- `NfcFormMixin`: every project form (a test checks it) sees its submitted text in NFC.
- `NumberField`: a phone or ID number normalised before it is checked, with no HTML
  `maxlength` to cut off a pasted "+84 (0) 912 345 678".
- `VietnameseTextField`: a name or address refused when it was typed in a legacy encoding
  (TCVN3/ABC, VNI); the form then offers the converted text in the field for the person to
  check and send again.
"""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.text import ascii_digits, compact_number, legacy_text, nfc_data

LEGACY_CODE = "legacy_encoding"


class NfcFormMixin:
    """Submitted text in NFC before any field sees it.

    The bound data (not only the cleaned values) is normalised, so every field, every
    `clean_<name>` and the form shown again after a refusal see one spelling. A field
    refused for a legacy encoding with a reliable conversion is shown again holding it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = nfc_data(self.data)

    def full_clean(self):
        super().full_clean()
        if not self._errors:
            return
        offered = {
            name: error.params["converted"]
            for name, errors in self._errors.as_data().items()
            for error in errors
            if error.code == LEGACY_CODE and (error.params or {}).get("converted")
        }
        if offered:
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            for name, converted in offered.items():
                data[self.add_prefix(name)] = converted
            self.data = data


class NumberField(forms.CharField):
    """A number typed or pasted with spaces, dots, dashes, brackets or non-ASCII digits.

    `normalize(text) -> str` turns the stripped text into the stored form or raises
    ValidationError with a message for the person (default: `core.text.compact_number`).
    Empty stays "". `max_length` checks the normalised value; the widget sets no
    `maxlength`, which would cut off a pasted number with separators.
    """

    def __init__(self, *, normalize: Callable[[str], str] = compact_number, **kwargs):
        self.normalize = normalize
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalize(value) if value else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class DecimalCommaField(forms.DecimalField):
    """A decimal as Vietnamese people type it: "38,2" or "38.2" (other scripts' digits
    too), in a text box with the phone's decimal keypad (`inputmode="decimal"`): a
    `type="number"` box drops or mangles a comma on many phones ("38,2" became 382)."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = ascii_digits(value.strip())
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for name in ("step", "min", "max"):
            attrs.pop(name, None)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs


def legacy_error(value: str) -> ValidationError | None:
    """The refusal of `value` when it was typed in a legacy encoding, with the conversion.

    The message says what happened and, where a conversion is reliable, what the text
    should read; `params["converted"]` holds it (NfcFormMixin puts it in the field).
    """
    found = legacy_text(value)
    if found is None:
        return None
    if found.converted:
        message = _(
            "«%(text)s» có vẻ được dán từ văn bản gõ bằng bảng mã cũ %(encoding)s nên bị lỗi "
            "dấu. Chữ đúng có thể là «%(converted)s»; vui lòng kiểm tra rồi gửi lại."
        )
    else:
        message = _(
            "«%(text)s» có ký tự lạ, thường gặp khi dán từ văn bản gõ bằng bảng mã cũ "
            "(TCVN3, VNI). Vui lòng gõ lại bằng bàn phím tiếng Việt Unicode."
        )
    params = {"text": value, "encoding": found.encoding, "converted": found.converted}
    return ValidationError(message, code=LEGACY_CODE, params=params)


class VietnameseTextField(forms.CharField):
    """A name or an address, refused when typed in a legacy encoding (`legacy_error`)."""

    def validate(self, value):
        super().validate(value)
        if value and (error := legacy_error(value)):
            raise error
