"""Django's own messages reach officers in Vietnamese (issue 14 item 12): the password
rules on the password change page, and the messages of the form fields the project uses.
A message Django's Vietnamese catalogue lacks came out in English."""

import re

import pytest
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.testing import PASSWORD


def vietnamese(text: str) -> bool:
    """Vietnamese words carry diacritics; an English sentence has none."""
    return bool(re.search(r"[^\x00-\x7f]", text))


@pytest.mark.django_db
def test_the_password_change_page_states_the_rules_and_refusals_in_vietnamese(
    client, login, officer_a
):
    login(officer_a)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "Mật khẩu phải có ít nhất 12 ký tự." in page
    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "ab1", "new_password2": "ab1"},
    ).content.decode()
    assert "Mật khẩu này quá ngắn: cần ít nhất 12 ký tự." in weak
    assert "too short" not in weak and "This password" not in weak


@pytest.mark.django_db
def test_every_password_rule_speaks_vietnamese(officer_a):
    with translation.override("vi"):
        for validator in password_validation.get_default_password_validators():
            assert vietnamese(str(validator.get_help_text())), validator
            for attempt in ("ab1", "12345678901234", "password1234", officer_a.username + "1"):
                try:
                    validator.validate(attempt, officer_a)
                except ValidationError as exc:
                    assert all(vietnamese(m) for m in exc.messages), exc.messages


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (forms.CharField(), ""),
        (forms.CharField(max_length=3), "abcd"),
        (forms.CharField(min_length=3), "a"),
        (forms.IntegerField(), "x"),
        (forms.IntegerField(max_value=3), "5"),
        (forms.IntegerField(min_value=3), "1"),
        (forms.DecimalField(max_digits=3, decimal_places=1), "12.34"),
        (forms.DateField(), "x"),
        (forms.EmailField(), "x"),
        (forms.ChoiceField(choices=[("a", "a")]), "b"),
        (forms.MultipleChoiceField(choices=[("a", "a")]), ["b"]),
        (forms.FileField(), None),
    ],
)
def test_the_form_fields_messages_speak_vietnamese(field, value):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert all(vietnamese(m) for m in refused.value.messages), refused.value.messages
