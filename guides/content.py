"""The user guides as data: one guide per kind of user, each a list of steps.

A step names the real page it shows (URL name and, for a page of one record, sample
arguments that reverse) and the screenshot `make guides` takes of it
(`guides/capture.py`, from a demo run). The guide pages (`guides.views`) and the printable
PDFs render from this module alone; a test reverses every step's URL name, so a guide that
still points at a removed page fails. Texts are gettext with Vietnamese as the source.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from accounts.models import Role

# Where the screenshots and PDFs live, as static paths (guides/static/guides/...).
STATIC_DIR = "guides"
SHOT_SUFFIX = ".png"
PHONE_WIDTH = 360  # px, the citizen's phone
DESK_WIDTH = 1280  # px, an official's screen

TWO_FACTOR_NOTE = _(
    "Khi hệ thống bật xác thực hai bước, lần đăng nhập đầu tiên bạn quét mã QR bằng ứng dụng "
    "xác thực (Google Authenticator, Microsoft Authenticator...) trên điện thoại và cất giữ "
    "mười mã dự phòng; từ đó mỗi lần đăng nhập nhập thêm mã 6 chữ số của ứng dụng. Mất điện "
    "thoại: báo quản trị hệ thống để đặt lại."
)


@dataclass(frozen=True)
class Step:
    """One task of a guide.

    `url_name` (+ `args`) is the page the step shows; `args` are sample values for a page of
    one record (a case, a document), used only to check that the page still exists. `link`
    says whether the guide links to the real page: not for a page of one record or one
    moment of a flow. `shot` names the screenshot, `<guide slug>/<shot>.png` under STATIC_DIR.
    """

    shot: str
    title: str
    text: str
    url_name: str
    args: tuple = ()
    link: bool = True
    note: str = ""


@dataclass(frozen=True)
class Guide:
    """A guide for one kind of user: `role` is None for citizens (no account), `account` the
    demo account `make guides` signs in as, `width` the screen width of the screenshots (px).
    """

    slug: str
    title: str
    intro: str
    role: str | None
    account: str | None
    width: int
    steps: list[Step] = field(default_factory=list)

    def shot_path(self, step: Step) -> str:
        """Static path of a step's screenshot: 'guides/nguoi-dan/01-start.png'."""
        return f"{STATIC_DIR}/{self.slug}/{step.shot}{SHOT_SUFFIX}"

    @property
    def pdf_path(self) -> str:
        """Static path of the printable guide: 'guides/pdf/nguoi-dan.pdf' (Vietnamese)."""
        return f"{STATIC_DIR}/pdf/{self.slug}.pdf"


SIGN_IN_TEXT = _("Mở trang Cán bộ đăng nhập, nhập tên đăng nhập và mật khẩu được cấp.")


def _sign_in(text=SIGN_IN_TEXT) -> Step:
    """The first step of every official's guide, with the two-factor note."""
    return Step(
        shot="01-dang-nhap",
        title=_("Đăng nhập"),
        text=text,
        url_name="accounts:login",
        note=TWO_FACTOR_NOTE,
    )


SAMPLE_CODE = "TQ-7K3M-9QXH"
SAMPLE_TOKEN = "mau-ma-qr"  # noqa: S105 - a sample address, not a secret

CITIZEN = Guide(
    slug="nguoi-dan",
    title=_("Hướng dẫn cho người dân"),
    intro=_(
        "Khai báo nhiễm COVID-19 và khỏi bệnh trên điện thoại, không cần tài khoản, không "
        "cần cài ứng dụng. Chuẩn bị: giấy tờ tùy thân (thẻ căn cước, căn cước công dân hoặc hộ chiếu) "
        "và ảnh chụp kết quả xét nghiệm."
    ),
    role=None,
    account=None,
    width=PHONE_WIDTH,
    steps=[
        Step(
            shot="01-bat-dau",
            title=_("Mở trang khai báo và đồng ý"),
            text=_(
                "Vào trang Khai báo nhiễm, đọc thông báo về việc xử lý dữ liệu cá nhân, chọn "
                "“Tôi đồng ý” rồi bấm “Bắt đầu khai báo”. Mỗi người khai một lần; khai cho trẻ "
                "em hoặc người chưa có giấy tờ (ví dụ người cao tuổi) thì điền thêm thông tin "
                "người giám hộ hoặc người thân khai báo thay."
            ),
            url_name="public:declare_start",
        ),
        Step(
            shot="02-thong-tin",
            title=_("Điền thông tin và ảnh kết quả xét nghiệm"),
            text=_(
                "Điền họ tên, ngày sinh, số giấy tờ, số điện thoại, chọn huyện rồi xã nơi đang "
                "ở, ngày xét nghiệm dương tính và chụp ảnh kết quả (que test ghi tên và ngày). "
                "Nếu thiếu hoặc sai, lỗi hiện ngay cạnh ô cần sửa; những gì đã điền, cả ảnh, "
                "đều được giữ lại."
            ),
            url_name="public:declare_form",
            link=False,
        ),
        Step(
            shot="03-kiem-tra",
            title=_("Kiểm tra lại rồi gửi"),
            text=_(
                "Trang kiểm tra hiện lại toàn bộ thông tin. Bấm “Sửa thông tin” để chữa một mục, "
                "“Khai báo thêm người trong hộ” để khai tiếp người cùng nhà (địa chỉ và số điện "
                "thoại được giữ lại, tất cả gửi một lần, mỗi người một mã hồ sơ), hoặc “Gửi "
                "khai báo”. Bấm gửi hai lần cũng chỉ tạo hồ sơ một lần."
            ),
            url_name="public:declare_check",
            link=False,
        ),
        Step(
            shot="04-da-gui",
            title=_("Ghi lại mã hồ sơ"),
            text=_(
                "Sau khi gửi, trang xác nhận hiện mã hồ sơ (ví dụ TQ-7K3M-9QXH), mã cũng được "
                "gửi qua tin nhắn. Ghi lại hoặc chụp màn hình mã này: cần nó để tra cứu và khai "
                "báo khỏi bệnh. UBND xã xem xét khai báo, thường trong vòng 24 giờ."
            ),
            url_name="public:declare_done",
            link=False,
        ),
        Step(
            shot="05-tra-cuu",
            title=_("Tra cứu tình trạng hồ sơ"),
            text=_(
                "Vào trang Tra cứu, nhập mã hồ sơ và số giấy tờ đã khai báo (người chưa có giấy "
                "tờ: số điện thoại của người giám hộ hoặc người thân đã khai báo thay)."
            ),
            url_name="public:status",
        ),
        Step(
            shot="06-tinh-trang",
            title=_("Xem tình trạng, ngày cách ly và tải văn bản"),
            text=_(
                "Trang tình trạng cho biết hồ sơ đang ở bước nào, ngày bắt đầu cách ly, ngày "
                "sớm nhất được khai báo khỏi bệnh, lý do nếu bị từ chối, và các văn bản đã ban "
                "hành (Quyết định cách ly y tế tại nhà, Giấy xác nhận hoàn thành thời gian cách ly y tế tại nhà) để "
                "tải về."
            ),
            url_name="public:status_case",
            args=(SAMPLE_CODE,),
            link=False,
        ),
        Step(
            shot="07-khoi-benh",
            title=_("Khai báo khỏi bệnh"),
            text=_(
                "Từ ngày được ghi trên trang tình trạng, nếu xét nghiệm âm tính, vào trang Khai "
                "báo khỏi bệnh (hoặc bấm nút trên trang tình trạng), nhập mã hồ sơ, số giấy tờ, "
                "ngày xét nghiệm và ảnh kết quả. Khai trước ngày đó sẽ được báo ngày được khai."
            ),
            url_name="public:recovery",
        ),
        Step(
            shot="08-xac-minh",
            title=_("Kiểm tra một văn bản bằng mã QR"),
            text=_(
                "Mỗi văn bản có mã QR. Quét mã bằng camera điện thoại sẽ mở trang xác minh: văn "
                "bản còn hiệu lực hay đã bị thu hồi, số, ngày, xã ban hành và tên người được "
                "cấp (đã che bớt)."
            ),
            url_name="public:verify",
            args=(SAMPLE_TOKEN,),
            link=False,
        ),
    ],
)

COMMUNE_OFFICER = Guide(
    slug="can-bo-xa",
    title=_("Hướng dẫn cho cán bộ xã, trạm y tế"),
    intro=_(
        "Tiếp nhận khai báo của người dân trong xã, xử lý hồ sơ, nhập hồ sơ và xác nhận khỏi "
        "bệnh. Tài khoản do quản trị hệ thống (hoặc cấp huyện) cấp."
    ),
    role=Role.COMMUNE_OFFICER,
    account="trangda.canbo",
    width=DESK_WIDTH,
    steps=[
        _sign_in(
            _(
                "Mở trang Cán bộ đăng nhập, nhập tên đăng nhập và mật khẩu được cấp. Lần đầu "
                "dùng mật khẩu tạm, hệ thống yêu cầu đặt mật khẩu mới. Nhập sai nhiều lần, tài "
                "khoản bị tạm khóa từ máy đó 15 phút."
            )
        ),
        Step(
            shot="02-hop-ho-so",
            title=_("Hộp hồ sơ: các thẻ và dấu hiệu"),
            text=_(
                "Trang Hồ sơ liệt kê khai báo của xã, chờ lâu nhất lên đầu, kèm thời gian chờ. "
                "Các thẻ: Chờ tiếp nhận, Đang cách ly, Chờ xác nhận khỏi bệnh, Quá hạn, Dấu hiệu "
                "nguy hiểm, Tất cả. Nhãn đỏ báo dấu hiệu nguy hiểm hoặc nguy cơ cao (tuổi cao, "
                "bệnh nền): xử lý trước. Gợi ý trùng lặp báo cùng số giấy tờ, số điện thoại, ảnh "
                "hoặc họ tên và ngày sinh."
            ),
            url_name="backoffice:inbox",
        ),
        Step(
            shot="03-ho-so",
            title=_("Mở một hồ sơ"),
            text=_(
                "Bấm tên người khai để mở hồ sơ: thông tin đầy đủ, ảnh kết quả xét nghiệm, lịch "
                "sử hồ sơ. Mỗi lần xem thông tin cá nhân đều được ghi nhật ký truy cập."
            ),
            url_name="backoffice:case",
            args=(1,),
            link=False,
        ),
        Step(
            shot="04-xu-ly",
            title=_("Tiếp nhận, từ chối hoặc chuyển xã"),
            text=_(
                "Ở khung Xử lý hồ sơ: Tiếp nhận (hệ thống soạn sẵn Quyết định cách ly y tế tại "
                "nhà để lãnh đạo ban hành), Từ chối kèm lý do (người dân thấy lý do khi tra "
                "cứu), Chuyển sang xã khác nếu người khai không ở xã mình, hoặc ghi kết quả "
                "khác. Sửa thông tin sai bằng nút Sửa thông tin."
            ),
            url_name="backoffice:case",
            args=(1,),
            link=False,
        ),
        Step(
            shot="05-nhap-ho-so",
            title=_("Nhập một hồ sơ"),
            text=_(
                "Người không tự khai được (người cao tuổi, không có điện thoại): bấm “Nhập hồ "
                "sơ” trên trang Hồ sơ và điền thay."
            ),
            url_name="backoffice:enrol",
        ),
        Step(
            shot="06-nhap-excel",
            title=_("Nhập từ tệp Excel"),
            text=_(
                "Nhiều hồ sơ cùng lúc: tải tệp mẫu, điền mỗi người một dòng, tải lên. Hệ thống "
                "xem trước và báo lỗi từng dòng; xác nhận thì các dòng hợp lệ được ghi ở chế độ "
                "nền, trang hiện tiến độ."
            ),
            url_name="backoffice:import",
        ),
        Step(
            shot="07-tiep-nhan-hang-loat",
            title=_("Tiếp nhận hàng loạt"),
            text=_(
                "Ở thẻ Chờ tiếp nhận, đánh dấu các hồ sơ đã xem và bấm tiếp nhận các hồ sơ đã "
                "chọn. Hệ thống xử lý ở chế độ nền và báo hồ sơ nào chưa tiếp nhận được (kèm lý do)."
            ),
            url_name="backoffice:inbox",
        ),
        Step(
            shot="08-xac-nhan-khoi-benh",
            title=_("Xác nhận khỏi bệnh"),
            text=_(
                "Thẻ Chờ xác nhận khỏi bệnh liệt kê người đã khai báo khỏi bệnh. Mở hồ sơ, xem "
                "ảnh kết quả âm tính rồi Xác nhận khỏi bệnh (hệ thống soạn Giấy xác nhận hoàn "
                "thành cách ly) hoặc Từ chối xác nhận kèm lý do."
            ),
            url_name="backoffice:case",
            args=(1,),
            link=False,
        ),
    ],
)

COMMUNE_LEADER = Guide(
    slug="lanh-dao-xa",
    title=_("Hướng dẫn cho lãnh đạo UBND xã"),
    intro=_(
        "Ban hành (ký số) Quyết định cách ly y tế tại nhà và Giấy xác nhận hoàn thành thời gian cách ly y tế tại nhà, "
        "thu hồi và thay thế văn bản, chỉnh mẫu văn bản, in tài liệu tuyên truyền. Lãnh đạo "
        "cũng xử lý hồ sơ như cán bộ xã."
    ),
    role=Role.COMMUNE_LEADER,
    account="trangda.lanhdao",
    width=DESK_WIDTH,
    steps=[
        _sign_in(),
        Step(
            shot="02-cho-ban-hanh",
            title=_("Văn bản chờ ban hành"),
            text=_(
                "Mỗi hồ sơ cán bộ tiếp nhận hoặc xác nhận khỏi bệnh có một văn bản soạn sẵn chờ "
                "ký. Trang Văn bản chờ ban hành liệt kê chúng, lọc được theo loại."
            ),
            url_name="documents:pending",
        ),
        Step(
            shot="03-xem-truoc",
            title=_("Xem trước bản nháp"),
            text=_(
                "Bấm “Xem PDF” để mở bản dự thảo đúng thể thức Nghị định 30/2020 trước khi ký. "
                "Sai thông tin thì sửa trong hồ sơ, văn bản được soạn lại."
            ),
            url_name="documents:preview",
            args=(1,),
            link=False,
        ),
        Step(
            shot="04-ban-hanh",
            title=_("Ban hành một văn bản hoặc cả loạt"),
            text=_(
                "Chọn các dòng rồi bấm “Xem lại và ban hành các văn bản đã chọn”, hoặc “Xem lại "
                "và ban hành tất cả”: trang xem lại liệt kê từng người, số dự kiến, thời gian "
                "cách ly, dấu hiệu nguy hiểm và hồ sơ có thể trùng; bấm “Ký và ban hành” (nhập mã "
                "PIN nếu xã ký bằng USB token hoặc ký từ xa) để hệ thống ban hành ở chế độ nền. "
                "Một văn bản riêng lẻ ban hành bằng nút “Xem lại và ký ban hành” ở trang hồ sơ. "
                "Văn bản được đánh số liên tục theo xã và năm, ký số, gắn mã QR xác minh, và "
                "người dân được báo để tải về."
            ),
            url_name="documents:batch",
            args=(1,),
            link=False,
        ),
        Step(
            shot="05-thu-hoi",
            title=_("Thu hồi và thay thế"),
            text=_(
                "Văn bản đã ban hành không sửa được. Nếu sai, mở hồ sơ, bấm “Thu hồi” ở văn bản, "
                "ghi lý do: trang xác minh báo văn bản đã bị thu hồi, và một văn bản thay thế "
                "được soạn để ban hành lại."
            ),
            url_name="documents:revoke",
            args=(1,),
            link=False,
        ),
        Step(
            shot="06-mau-van-ban",
            title=_("Mẫu văn bản"),
            text=_(
                "Trang Mẫu văn bản chỉnh căn cứ pháp lý, nơi nhận, người ký và số điện thoại "
                "trạm y tế của xã; thay đổi áp dụng cho văn bản ban hành sau đó."
            ),
            url_name="documents:settings",
        ),
        Step(
            shot="07-tuyen-truyen",
            title=_("Tài liệu tuyên truyền"),
            text=_(
                "Trang Tuyên truyền tạo áp phích A4 có mã QR tới trang khai báo và bài thông báo "
                "đọc trên loa truyền thanh, để dán và phát ở mọi thôn, tổ dân phố."
            ),
            url_name="documents:outreach",
        ),
    ],
)


def _monitoring_steps(dashboard_text) -> list[Step]:
    """The monitoring pages, the same for a district and the province."""
    return [
        Step(
            shot="02-theo-doi",
            title=_("Trang theo dõi"),
            text=dashboard_text,
            url_name="reports:dashboard",
        ),
        Step(
            shot="03-chi-tiet-don-vi",
            title=_("Xem chi tiết từng đơn vị"),
            text=_(
                "Bấm tên một đơn vị trong bảng để xem số liệu của đơn vị đó, đến từng xã; dòng "
                "điều hướng phía trên để quay lại cấp trên."
            ),
            url_name="reports:unit_dashboard",
            args=(1,),
            link=False,
        ),
        Step(
            shot="04-qua-han",
            title=_("Quá hạn và mức độ phục vụ"),
            text=_(
                "Trang Mức độ phục vụ cho biết thời gian xử lý của từng xã và danh sách hồ sơ "
                "quá hạn (chờ tiếp nhận quá 24 giờ) để đôn đốc."
            ),
            url_name="reports:service_levels",
        ),
        Step(
            shot="05-danh-sach-ho-so",
            title=_("Danh sách hồ sơ"),
            text=_(
                "Từ trang của một đơn vị, mở danh sách hồ sơ: thông tin cá nhân được che bớt; "
                "cấp huyện và Sở Y tế chỉ xem, không xử lý hồ sơ."
            ),
            url_name="reports:case_list",
            args=(1,),
            link=False,
        ),
        Step(
            shot="06-xuat-excel",
            title=_("Xuất Excel"),
            text=_(
                "Trang Xuất dữ liệu tạo tệp Excel ở chế độ nền; khi xong, tải về từ trang đó. "
                "Mỗi lần xuất được ghi nhật ký truy cập."
            ),
            url_name="reports:exports",
        ),
    ]


DISTRICT = Guide(
    slug="cap-huyen",
    title=_("Hướng dẫn cho cán bộ cấp huyện"),
    intro=_(
        "Theo dõi tình hình người mắc COVID-19 của các xã trong huyện, đôn đốc hồ sơ quá hạn và xuất số liệu."
    ),
    role=Role.DISTRICT_STAFF,
    account="tptq",
    width=DESK_WIDTH,
    steps=[
        _sign_in(),
        *_monitoring_steps(
            _(
                "Trang Theo dõi cho toàn huyện: số hồ sơ theo tình trạng, biểu đồ theo ngày, "
                "bảng theo từng xã, thời điểm số liệu được cập nhật."
            )
        ),
    ],
)

PROVINCE_HEALTH = Guide(
    slug="so-y-te",
    title=_("Hướng dẫn cho Sở Y tế"),
    intro=_(
        "Theo dõi toàn tỉnh, xem nhật ký truy cập và ban hành quy định cách ly áp dụng trong tỉnh."
    ),
    role=Role.PROVINCE_HEALTH,
    account="soyte",
    width=DESK_WIDTH,
    steps=[
        _sign_in(),
        *_monitoring_steps(
            _(
                "Trang Theo dõi cho toàn tỉnh: số hồ sơ theo tình trạng, biểu đồ theo ngày, "
                "bảng theo từng huyện, thời điểm số liệu được cập nhật."
            )
        ),
        Step(
            shot="07-nhat-ky",
            title=_("Nhật ký truy cập"),
            text=_(
                "Trang Nhật ký truy cập ghi ai đã xem, sửa, xuất dữ liệu cá nhân nào và khi "
                "nào; lọc theo người, loại thao tác và thời gian, xuất ra Excel."
            ),
            url_name="reports:audit",
        ),
        Step(
            shot="08-quy-dinh",
            title=_("Quy định cách ly"),
            text=_(
                "Trang Quy định cách ly liệt kê các bộ quy định (số ngày cách ly, ngưỡng nhịp "
                "thở...). Thêm bộ mới bằng cách sao từ bộ đang áp dụng, xem trước trên các "
                "trường hợp mẫu; bộ mới có hiệu lực sớm nhất từ ngày mai."
            ),
            url_name="backoffice:rules",
        ),
    ],
)

SYSTEM_ADMIN = Guide(
    slug="quan-tri",
    title=_("Hướng dẫn cho quản trị hệ thống"),
    intro=_(
        "Cấp và quản lý tài khoản cán bộ, mẫu văn bản, tài liệu tuyên truyền và nhật ký truy "
        "cập. Quản trị hệ thống không xử lý hồ sơ."
    ),
    role=Role.SYSTEM_ADMIN,
    account="admin",
    width=DESK_WIDTH,
    steps=[
        _sign_in(),
        Step(
            shot="02-tai-khoan",
            title=_("Danh sách tài khoản"),
            text=_(
                "Trang Tài khoản liệt kê tài khoản cán bộ theo đơn vị và vai trò; tìm theo tên."
            ),
            url_name="accounts:user_list",
        ),
        Step(
            shot="03-tao-tai-khoan",
            title=_("Tạo tài khoản"),
            text=_(
                "Mỗi tài khoản gắn với một vai trò và một đơn vị đúng cấp (xã, huyện, tỉnh). Hệ "
                "thống tạo mật khẩu tạm; người dùng phải đổi ở lần đăng nhập đầu tiên."
            ),
            url_name="accounts:user_create",
        ),
        Step(
            shot="04-sua-tai-khoan",
            title=_("Khóa, đặt lại mật khẩu, đặt lại xác thực hai bước"),
            text=_(
                "Mở một tài khoản để sửa thông tin, khóa hoặc mở khóa (người nghỉ việc), cấp mật "
                "khẩu tạm mới, hoặc đặt lại xác thực hai bước khi người dùng mất điện thoại. Mọi "
                "thao tác được ghi nhật ký."
            ),
            url_name="accounts:user_edit",
            args=(1,),
            link=False,
        ),
        Step(
            shot="05-mat-khau-tam",
            title=_("Trao mật khẩu tạm"),
            text=_(
                "Mật khẩu tạm chỉ hiện một lần: trao trực tiếp cho người dùng, không gửi qua "
                "kênh công khai."
            ),
            url_name="accounts:user_reset_password",
            args=(1,),
            link=False,
        ),
        Step(
            shot="06-mau-van-ban",
            title=_("Mẫu văn bản"),
            text=_(
                "Trang Mẫu văn bản chỉnh căn cứ pháp lý, nơi nhận và người ký chung cho toàn "
                "tỉnh; lãnh đạo xã chỉnh phần của xã mình."
            ),
            url_name="documents:settings",
        ),
        Step(
            shot="07-tuyen-truyen",
            title=_("Tài liệu tuyên truyền"),
            text=_(
                "Trang Tuyên truyền tạo một lần cho mọi xã của tỉnh (hoặc của một huyện) tệp ZIP "
                "gồm áp phích có mã QR và bài thông báo của từng xã."
            ),
            url_name="documents:outreach",
        ),
        Step(
            shot="08-nhat-ky",
            title=_("Nhật ký truy cập"),
            text=_(
                "Trang Nhật ký truy cập ghi mọi lần xem, sửa, xuất dữ liệu cá nhân và mọi thao "
                "tác trên tài khoản; lọc và xuất ra Excel."
            ),
            url_name="reports:audit",
        ),
    ],
)

GUIDES: list[Guide] = [
    CITIZEN,
    COMMUNE_OFFICER,
    COMMUNE_LEADER,
    DISTRICT,
    PROVINCE_HEALTH,
    SYSTEM_ADMIN,
]
BY_SLUG = {guide.slug: guide for guide in GUIDES}
BY_ROLE = {guide.role: guide for guide in GUIDES if guide.role}


def guide_for(user) -> Guide | None:
    """The guide of a signed-in official's role (the header links to it); None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    return BY_ROLE.get(user.role)
