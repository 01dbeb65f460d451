"""The outreach kit of each commune: a printable A4 poster with the QR code of the
declaration page, and the announcement its loudspeakers read out.

Letter 1020/UBND-THCBKS (29/3/2022) asks the communes to announce the online declaration
on the local loudspeaker system and in every village. The kit is made for many communes in
one action (one PDF per commune: poster, then announcement), rendered with the same Typst
compiler and fonts as the official documents. Its wording is the province's, not a UI
string: always Vietnamese.
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from core.qr import qr_svg
from documents.rendering import in_running_text, render_template
from documents.selectors import health_station
from units.models import Unit

HEADLINE = "KHAI BÁO F0 TRỰC TUYẾN"
SUBLINE = "Người mắc COVID-19 khai báo ngay trên điện thoại, không cần đến trạm y tế"
STEPS = [
    "Quét mã QR bằng camera điện thoại (hoặc gõ địa chỉ bên dưới mã).",
    "Điền thông tin và chụp ảnh kết quả xét nghiệm dương tính, rồi bấm «Gửi».",
    "Giữ mã hồ sơ nhận được qua tin nhắn; xã sẽ xem xét và gửi quyết định cách ly.",
]
ANNOUNCEMENT_TITLE = "THÔNG BÁO TRÊN LOA TRUYỀN THANH"


@dataclass(frozen=True)
class CommuneKit:
    commune: Unit
    pdf: bytes

    @property
    def file_name(self) -> str:
        return f"{self.commune.code}-ap-phich-khai-bao-F0.pdf"


def declaration_url() -> str:
    """The public address of the declaration page, as printed and in the QR code."""
    return settings.SITE_URL.rstrip("/") + reverse("public:declare_start")


def announcement(commune: Unit) -> list[str]:
    """The paragraphs to read out, naming the commune, the address and whom to call."""
    station, phone = health_station(commune)
    place = in_running_text(commune.name)
    call = f"gọi {station}, số điện thoại {phone}" if phone else f"liên hệ {station}"
    return [
        f"Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Ủy ban nhân dân {place} thông báo: "
        "người mắc COVID-19 trên địa bàn nay khai báo trực tuyến trên điện thoại, "
        "không cần đến trạm y tế.",
        f"Cách khai báo: quét mã QR trên áp phích dán tại nhà văn hóa thôn, tổ dân phố, hoặc "
        f"vào địa chỉ {declaration_url()}, điền thông tin và chụp ảnh kết quả xét nghiệm "
        "dương tính. Trẻ em và người không có giấy tờ được người thân khai báo thay.",
        "Sau khi khai báo, người dân nhận mã hồ sơ qua tin nhắn; Ủy ban nhân dân xã xem xét "
        "và gửi quyết định cách ly y tế tại nhà. Khi xét nghiệm âm tính, người dân khai báo "
        "khỏi bệnh trên cùng trang để được xác nhận hoàn thành cách ly.",
        f"Khi có dấu hiệu khó thở, đau tức ngực, môi tím tái hoặc lơ mơ, hãy gọi ngay 115 "
        f"hoặc {call}.",
    ]


def _commune_context(commune: Unit, url: str) -> dict:
    station, phone = health_station(commune)
    help_line = (
        f"Cần giúp đỡ: {station}, điện thoại {phone}. Cấp cứu: gọi 115."
        if phone
        else f"Cần giúp đỡ: liên hệ {station}. Cấp cứu: gọi 115."
    )
    return {
        "committee": f"ỦY BAN NHÂN DÂN {commune.name.upper()}",
        "qr_svg": qr_svg(url),
        "help_line": help_line,
        "announcement": announcement(commune),
    }


def outreach_pdf(communes: list[Unit]) -> bytes:
    """One PDF with, for each commune in order, its poster page and announcement page."""
    url = declaration_url()
    context = {
        "title": "Áp phích Khai báo F0",
        "author": "Khai báo F0",
        "headline": HEADLINE,
        "subline": SUBLINE,
        "url": url,
        "steps": STEPS,
        "announcement_title": ANNOUNCEMENT_TITLE,
        "footer": "Khai báo miễn phí. Không ai được thu tiền hay hỏi mật khẩu của bạn.",
        "communes": [_commune_context(commune, url) for commune in communes],
    }
    return render_template("outreach_poster.typ", context)


def outreach_kits(communes: list[Unit]) -> list[CommuneKit]:
    """The kit of each commune as a PDF of its own (to send each commune its file)."""
    return [CommuneKit(commune=commune, pdf=outreach_pdf([commune])) for commune in communes]


def outreach_zip(communes: list[Unit]) -> bytes:
    """A ZIP of each commune's kit, and all posters in one PDF to print at once."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kit in outreach_kits(communes):
            archive.writestr(kit.file_name, kit.pdf)
        archive.writestr("tat-ca-cac-xa.pdf", outreach_pdf(communes))
    return buffer.getvalue()
