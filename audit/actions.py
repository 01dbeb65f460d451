"""What each audit action code means, in Vietnamese words (issue 14 item 12).

One home for the wording: the audit log page, its drop-down filter and its Excel export
read it here. `audit/tests/test_actions.py` fails when an `audit_log(action=...)` in the
code has no label below. A code without a label (an old entry) shows as the code itself.
"""

from django.utils.translation import gettext_lazy as _

# Areas, by the code's first part: the filter offers "every action of the area" too.
AREAS = {
    "auth": _("Đăng nhập"),
    "account": _("Tài khoản"),
    "api": _("API"),
    "api_token": _("Khóa API"),
    "case": _("Hồ sơ"),
    "import": _("Nhập từ Excel"),
    "job": _("Việc hàng loạt"),
    "monitoring": _("Theo dõi sức khỏe"),
    "document": _("Văn bản"),
    "outreach": _("Tài liệu tuyên truyền"),
    "rule_set": _("Quy định cách ly"),
    "report": _("Báo cáo"),
    "audit": _("Nhật ký"),
    "bench": _("Đo hiệu năng"),
}

ACTION_LABELS = {
    "auth.login": _("Đăng nhập"),
    "auth.logout": _("Đăng xuất"),
    "auth.login_failed": _("Đăng nhập không thành công"),
    "auth.two_factor": _("Xác thực hai lớp"),
    "auth.two_factor_failed": _("Mã xác thực hai lớp sai"),
    "auth.two_factor_enrolled": _("Bật xác thực hai lớp"),
    "auth.two_factor_recovery_code": _("Dùng mã dự phòng"),
    "auth.two_factor_limited": _("Tạm khóa xác thực hai lớp"),
    "account.create": _("Tạo tài khoản"),
    "account.created": _("Tạo tài khoản"),
    "account.create_admin": _("Tạo tài khoản quản trị"),
    "account.update": _("Sửa tài khoản"),
    "account.digest": _("Đổi cách nhận bản tin hằng ngày"),
    "account.disable": _("Khóa tài khoản"),
    "account.enable": _("Mở khóa tài khoản"),
    "account.disable_unit": _("Khóa tài khoản của đơn vị"),
    "account.reset_password": _("Cấp lại mật khẩu"),
    "account.change_password": _("Đổi mật khẩu"),
    "account.reset_two_factor": _("Đặt lại xác thực hai lớp"),
    "account.provision": _("Tạo tài khoản hàng loạt"),
    "account.handover_download": _("Tải biên bản bàn giao tài khoản"),
    "api.call": _("Gọi API"),
    "api_token.create": _("Tạo khóa API"),
    "api_token.revoke": _("Thu hồi khóa API"),
    "case.status_link_sent": _("Gửi lại mã hồ sơ cho người dân"),
    "case.view": _("Xem hồ sơ"),
    "case.viewed": _("Xem hồ sơ"),
    "case.photo_view": _("Xem ảnh hồ sơ"),
    "case.enrol": _("Cán bộ nhập hồ sơ"),
    "case.import": _("Nhập hồ sơ từ Excel"),
    "case.accept": _("Tiếp nhận hồ sơ"),
    "case.reject": _("Từ chối tiếp nhận hồ sơ"),
    "case.transfer": _("Chuyển hồ sơ sang xã khác"),
    "case.close": _("Kết thúc theo dõi"),
    "case.request_recovery": _("Người dân khai báo khỏi bệnh"),
    "case.confirm_recovery": _("Xác nhận khỏi bệnh"),
    "case.refuse_recovery": _("Từ chối xác nhận khỏi bệnh"),
    "case.correct": _("Sửa thông tin hồ sơ"),
    "case.called": _("Gọi điện hỏi thăm"),
    "case.export": _("Xuất danh sách hồ sơ"),
    "import.preview": _("Kiểm tra tệp Excel"),
    "job.confirm": _("Xác nhận việc hàng loạt"),
    "job.cancel": _("Hủy việc hàng loạt"),
    "monitoring.not_reporting_view": _("Xem danh sách chưa báo cáo sức khỏe"),
    "document.preview": _("Xem trước văn bản"),
    "document.issue": _("Ban hành văn bản"),
    "document.revoke": _("Thu hồi văn bản"),
    "document.download": _("Tải văn bản"),
    "document.batch_download": _("Tải văn bản (in cả đợt)"),
    "document.citizen_download": _("Người dân tải văn bản"),
    "document.settings_change": _("Sửa thiết lập văn bản"),
    "outreach.kit": _("Tải tài liệu tuyên truyền"),
    "rule_set.create": _("Tạo quy định cách ly"),
    "rule_set.update": _("Sửa quy định cách ly"),
    "report.case_list_viewed": _("Xem danh sách hồ sơ"),
    "report.export_requested": _("Yêu cầu xuất Excel"),
    "report.export_downloaded": _("Tải tệp Excel đã xuất"),
    "audit.viewed": _("Xem nhật ký"),
    "bench.insert": _("Dữ liệu đo hiệu năng"),
}


def action_label(code: str) -> str:
    """The Vietnamese words of an action code, or the code itself when it has none."""
    return str(ACTION_LABELS.get(code, code))


def action_choices() -> list:
    """The filter's drop-down: every action, grouped by area, each area led by its
    prefix ("case.": every action on cases); "" for every action."""
    groups = []
    for area, area_label in AREAS.items():
        codes = sorted(
            (c for c in ACTION_LABELS if c.split(".")[0] == area),
            key=lambda c: str(ACTION_LABELS[c]),
        )
        options = [(f"{area}.", _("%(area)s: mọi hành động") % {"area": area_label})]
        seen = set()
        for code in codes:
            # Two codes with the same words (an old and a new name) share one option
            # label; both stay choosable so that old entries can be found.
            label = str(ACTION_LABELS[code])
            options.append((code, label if label not in seen else f"{label} ({code})"))
            seen.add(label)
        groups.append((area_label, options))
    return [("", _("Mọi hành động")), *groups]
