"""Personal data as lists show it: enough to recognise a record, not to copy it."""


def mask_tail(value: str, keep: int = 3) -> str:
    """`0912345678` -> `*******678`; empty stays empty."""
    value = value or ""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
