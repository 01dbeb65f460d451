"""`manage.py create_admin <username>` (`khaibaof0 create_admin` in an installed copy): the
first system administrator, who then creates every other account in the product."""

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import system_admin_create, system_admin_create_check

PROMPTS = 3  # attempts at typing a password before giving up


class Command(BaseCommand):
    help = (
        "Create a system administrator bound to the deployed province. Asks for the password "
        "twice, or generates a temporary one (--generate-password) printed once and changed "
        "at first sign-in. Refuses when an active system administrator exists (--another to "
        "add one on purpose) or the username is taken."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="", help="the administrator's full name")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="generate a temporary password, print it once; it must be changed at first "
            "sign-in",
        )
        parser.add_argument(
            "--another",
            action="store_true",
            help="create this administrator although an active one exists",
        )

    def handle(self, *args, username, full_name, email, generate_password, another, **options):
        # The checks that need no password come first: nobody types one for nothing.
        try:
            system_admin_create_check(username=username, another=another)
            candidate = User(username=username, full_name=full_name, email=email)
            password = None if generate_password else self._ask_password(candidate)
            user, generated = system_admin_create(
                username=username,
                password=password,
                full_name=full_name,
                email=email,
                another=another,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            _("Đã tạo quản trị hệ thống “%(username)s” của %(unit)s.")
            % {"username": user.username, "unit": user.unit}
        )
        if generated:
            self.stdout.write(
                _(
                    "Mật khẩu tạm thời (chỉ hiện một lần, phải đổi khi đăng nhập lần đầu): "
                    "%(password)s"
                )
                % {"password": generated}
            )

    def _ask_password(self, candidate: User) -> str:
        """Ask twice until both agree and AUTH_PASSWORD_VALIDATORS accept it (three tries)."""
        if not sys.stdin.isatty():
            raise CommandError(
                _(
                    "Không có bàn phím để nhập mật khẩu: chạy lệnh trong một cửa sổ dòng lệnh, "
                    "hoặc thêm --generate-password."
                )
            )
        for _attempt in range(PROMPTS):
            first = getpass.getpass(_("Mật khẩu: "))
            second = getpass.getpass(_("Nhập lại mật khẩu: "))
            if first != second:
                self.stderr.write(_("Hai lần nhập mật khẩu không khớp nhau."))
            else:
                try:
                    validate_password(first, candidate)
                except ValidationError as error:
                    self.stderr.write(" ".join(error.messages))
                else:
                    return first
        raise CommandError(_("Chưa tạo tài khoản: mật khẩu không được nhập đúng."))
