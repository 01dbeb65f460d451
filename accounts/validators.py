from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """A password must mix letters with digits or symbols."""

    def validate(self, password, user=None):
        has_letter = any(c.isalpha() for c in password)
        has_other = any(not c.isalpha() for c in password)
        if not (has_letter and has_other):
            raise ValidationError(
                _("Mật khẩu phải có cả chữ cái và chữ số hoặc ký hiệu."),
                code="password_character_classes",
            )

    def get_help_text(self):
        return _("Mật khẩu phải có cả chữ cái và chữ số hoặc ký hiệu.")
