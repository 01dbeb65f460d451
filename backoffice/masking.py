"""Personal data as lists show it: enough to tell people apart, not enough to misuse."""


def mask_id_number(value: str) -> str:
    """`008190001256` -> `0081******56`; short numbers keep only their last two characters."""
    value = value or ""
    if len(value) <= 6:
        return "*" * max(0, len(value) - 2) + value[-2:]
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


def mask_phone(value: str) -> str:
    """`0912345678` -> `091****678`."""
    value = value or ""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]
