"""Data migrations that bring stored free text to NFC (the rule: core.text.nfc)."""

from core.text import nfc_deep


def nfc_rows(model, fields: list[str], *, batch_size: int = 1000) -> int:
    """NFC every str in `fields` (text or JSON) of every row of `model`; the rows changed.

    Only rows with a decomposed character are written, in batches of `batch_size`.
    `model` is the migration's historical model (apps.get_model).
    """
    changed, count = [], 0
    for row in model.objects.only("pk", *fields).order_by("pk").iterator(chunk_size=batch_size):
        dirty = False
        for name in fields:
            old = getattr(row, name)
            new = nfc_deep(old)
            if new != old:
                setattr(row, name, new)
                dirty = True
        if dirty:
            changed.append(row)
        if len(changed) >= batch_size:
            model.objects.bulk_update(changed, fields)
            count, changed = count + len(changed), []
    if changed:
        model.objects.bulk_update(changed, fields)
    return count + len(changed)
