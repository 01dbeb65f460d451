"""The `khaibaof0` command of an installed copy: Django's management commands, as
`python manage.py` runs them in the source tree (`khaibaof0 migrate`, `khaibaof0 create_admin`).
Settings come from the environment (config.settings, see .env.example)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
