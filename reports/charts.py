"""Small charts drawn as SVG on the server: no script, no CDN, readable on a 360-px phone.

Each chart is an image with a title and a one-sentence description for screen readers;
the page shows the same numbers in a table. Colours are presentation attributes (the
Content-Security-Policy forbids inline styles) and keep 3:1 contrast with white.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 360
FONT = 13
INK = "#1b1b1b"
GRID = "#dfe1e2"
COLOURS = {
    "new": "#a3181e",
    "recovered": "#00752a",
    "isolating": "#1a4480",
    "awaiting": "#b35c00",
}


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list[int]


def axis(value: int) -> tuple[int, int]:
    """A scale top and tick step: steps of 1, 2 or 5 times a power of ten, at most five
    ticks above zero, the top as close above `value` as that allows."""
    power = 1
    while True:
        for base in (1, 2, 5):
            step = base * power
            ticks = max(1, -(-value // step))
            if ticks <= 5:
                return step * ticks, step
        power *= 10


def _number(n: float) -> str:
    return f"{int(n):,}".replace(",", ".")


def _svg(height: int, title: str, description: str, body: list[str], ident: str) -> SafeString:
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Source Sans Pro, Helvetica, Arial, sans-serif" font-size="{FONT}">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>'
    )
    # Every piece of text above and below went through escape(); numbers are formatted here.
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308


def _y_axis(top: int, bottom: int, left: int, right: int, scale: int, step: int) -> list[str]:
    parts = []
    ticks = scale // step
    for i in range(ticks + 1):
        value = step * i
        y = bottom - (bottom - top) * i / ticks
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{_number(value)}</text>"
        )
    return parts


def _x_labels(days: list[date], left: float, step: float, y: float) -> list[str]:
    count = len(days)
    wanted = {0, count - 1, count // 2} if count > 2 else set(range(count))
    parts = []
    for i in sorted(wanted):
        x = left + step * (i + 0.5)
        anchor = "start" if i == 0 and count > 2 else "end" if i == count - 1 else "middle"
        if count > 2 and i == 0:
            x = left
        if count > 2 and i == count - 1:
            x = left + step * count
        parts.append(
            f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}" fill="{INK}">{days[i]:%d/%m}</text>'
        )
    return parts


def day_chart(
    *,
    ident: str,
    title: str,
    days: list[date],
    bars: Series | None,
    lines: list[Series],
    description: str | None = None,
) -> SafeString:
    """Bars (one series) and lines (any) over days, on one scale."""
    height, top, bottom, left, right = 220, 10, 190, 46, WIDTH - 8
    every = [v for s in ([bars] if bars else []) + lines for v in s.values]
    scale, tick = axis(max(every, default=0))
    step = (right - left) / max(1, len(days))
    body = _y_axis(top, bottom, left, right, scale, tick)

    def y_of(value: int) -> float:
        return bottom - (bottom - top) * value / scale

    if bars:
        width = max(1.0, step * 0.7)
        for i, value in enumerate(bars.values):
            if value:
                x = left + step * i + (step - width) / 2
                body.append(
                    f'<rect x="{x:.1f}" y="{y_of(value):.1f}" width="{width:.1f}" '
                    f'height="{bottom - y_of(value):.1f}" fill="{COLOURS[bars.key]}"/>'
                )
    for series in lines:
        points = " ".join(
            f"{left + step * (i + 0.5):.1f},{y_of(v):.1f}" for i, v in enumerate(series.values)
        )
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{COLOURS[series.key]}" '
            f'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    body.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{INK}"/>')
    body += _x_labels(days, left, step, height - 12)
    described = ([bars] if bars else []) + lines
    summary = "; ".join(
        _("%(label)s: cao nhất %(top)s, ngày cuối %(last)s")
        % {
            "label": s.label,
            "top": _number(max(s.values, default=0)),
            "last": _number(s.values[-1] if s.values else 0),
        }
        for s in described
    )
    if days:
        summary = _("Từ %(start)s đến %(end)s. %(rest)s.") % {
            "start": f"{days[0]:%d/%m/%Y}",
            "end": f"{days[-1]:%d/%m/%Y}",
            "rest": (description or summary).rstrip("."),
        }
    return _svg(height, title, summary, body, ident)


def unit_bars(*, ident: str, title: str, labels: list[str], stacks: list[Series]) -> SafeString:
    """One horizontal bar per unit, stacked from `stacks`, with the total at its end."""
    row, top, label_width = 26, 6, 118
    height = top + row * max(1, len(labels)) + 6
    totals = [sum(s.values[i] for s in stacks) for i in range(len(labels))]
    scale = max(totals, default=0) or 1
    plot = WIDTH - label_width - 52
    body = []
    for i, label in enumerate(labels):
        y = top + row * i
        short = label if len(label) <= 16 else label[:15] + "…"
        body.append(
            f'<text x="{label_width - 6}" y="{y + 17}" text-anchor="end" fill="{INK}">'
            f"{escape(short)}</text>"
        )
        x = float(label_width)
        for series in stacks:
            width = plot * series.values[i] / scale
            if width > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="{row - 8}" '
                    f'fill="{COLOURS[series.key]}"/>'
                )
                x += width
        body.append(f'<text x="{x + 4:.1f}" y="{y + 17}" fill="{INK}">{_number(totals[i])}</text>')
    top_index = max(range(len(labels)), key=lambda i: totals[i], default=None)
    description = _("So sánh %(n)s đơn vị (%(parts)s); số liệu chi tiết ở bảng bên dưới.") % {
        "n": len(labels),
        "parts": ", ".join(s.label for s in stacks),
    }
    if top_index is not None:
        description += " " + _("Cao nhất: %(name)s, %(total)s.") % {
            "name": labels[top_index],
            "total": _number(totals[top_index]),
        }
    return _svg(height, title, description, body, ident)
