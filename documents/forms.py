from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NfcFormMixin
from documents.models import DocumentTemplateSettings, Kind


class LinesField(forms.CharField):
    """A list of strings edited as one item per line."""

    widget = forms.Textarea

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class RevokeForm(NfcFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Người dân và cán bộ xem được lý do này, ví dụ: «Sai ngày sinh»."),
        error_messages={"required": _("Vui lòng ghi lý do thu hồi văn bản.")},
    )
    prepare_replacement = forms.BooleanField(
        label=_("Dự thảo ngay văn bản thay thế (theo thông tin hiện tại của hồ sơ)"),
        required=False,
        initial=True,
    )


class BatchForm(NfcFormMixin, forms.Form):
    """The prepared documents to issue, among those offered on the page."""

    documents = forms.TypedMultipleChoiceField(
        label=_("Văn bản"), coerce=int, required=False, choices=()
    )
    all_pending = forms.BooleanField(required=False)
    # A decision whose isolation period is over is issued only when confirmed (issue 14).
    confirm_past_period = forms.BooleanField(required=False)

    def __init__(self, *args, pending_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(pk, pk) for pk in pending_ids]
        self.pending_ids = list(pending_ids)

    def selected_ids(self) -> list[int]:
        if self.cleaned_data.get("all_pending"):
            return self.pending_ids
        return self.cleaned_data["documents"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("all_pending") and not cleaned.get("documents"):
            raise forms.ValidationError(_("Vui lòng chọn ít nhất một văn bản để ban hành."))
        return cleaned


class SignConfirmForm(NfcFormMixin, forms.Form):
    """The leader's confirmation before signing, with the PIN (and, for a remote signer, the
    one-time code) when the commune's signer needs one. The PIN is never shown back."""

    confirm = forms.CharField(widget=forms.HiddenInput, initial="1")

    def __init__(self, *args, signer_kind: str = "", needs_pin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_pin:
            return
        remote = signer_kind == "csc"
        self.fields["pin"] = forms.CharField(
            label=_("Mã PIN ký số") if remote else _("Mã PIN của USB token"),
            required=not remote,
            max_length=64,
            strip=False,
            widget=forms.PasswordInput(
                attrs={"autocomplete": "off", "inputmode": "numeric", "class": "usa-input"}
            ),
            help_text=_("Mã PIN chỉ dùng cho lần ký này, không được lưu lại."),
            error_messages={"required": _("Vui lòng nhập mã PIN để ký số.")},
        )
        if remote:
            self.fields["otp"] = forms.CharField(
                label=_("Mã OTP (nếu nhà cung cấp gửi qua tin nhắn hoặc ứng dụng)"),
                required=False,
                max_length=16,
                widget=forms.TextInput(
                    attrs={
                        "autocomplete": "one-time-code",
                        "inputmode": "numeric",
                        "class": "usa-input",
                    }
                ),
            )

    def clean(self):
        cleaned = super().clean()
        if "otp" in self.fields and not (cleaned.get("pin") or cleaned.get("otp")):
            self.add_error("pin", _("Vui lòng nhập mã PIN hoặc mã OTP để ký số."))
        return cleaned

    def secrets(self) -> dict[str, str]:
        return {
            "pin": self.cleaned_data.get("pin", ""),
            "otp": self.cleaned_data.get("otp", ""),
        }


class KindFilterForm(NfcFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại văn bản"),
        required=False,
        choices=[("", _("Tất cả"))] + list(Kind.choices),
    )


class UnitChoiceForm(NfcFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: (
            _("%(name)s (mặc định cho toàn tỉnh)") % {"name": unit.name}
            if unit.level == "province"
            else unit.name
        )


class WordingForm(NfcFormMixin, forms.ModelForm):
    legal_bases = LinesField(
        label=_("Căn cứ ban hành quyết định"),
        help_text=_(
            "Mỗi dòng một căn cứ, bắt đầu bằng «Căn cứ», không cần dấu chấm phẩy cuối. Có thể "
            "dùng {huyen}, {tinh}, {xa} để in tên huyện, tỉnh, xã."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Vui lòng ghi ít nhất một căn cứ ban hành.")},
    )
    decision_recipients = LinesField(
        label=_("Nơi nhận quyết định"),
        help_text=_(
            "Mỗi dòng một nơi nhận; «Lưu: VT.» được thêm tự động. Có thể dùng {huyen}, {tinh}, "
            "{xa} để in tên huyện, tỉnh, xã."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Vui lòng ghi ít nhất một nơi nhận, ví dụ «Như Điều 3».")},
    )
    confirmation_recipients = LinesField(
        label=_("Nơi nhận giấy xác nhận hoàn thành cách ly"),
        required=False,
        help_text=_("Để trống: người được xác nhận và trạm y tế xã."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = DocumentTemplateSettings
        fields = [
            "signer_title",
            "signer_name",
            "leader_must_issue",
            "legal_bases",
            "decision_recipients",
            "confirmation_recipients",
            "decision_symbol",
            "confirmation_symbol",
            "health_station",
            "health_station_phone",
            "social_insurance_note",
            "signer_kind",
        ]
        widgets = {"signer_title": forms.RadioSelect, "signer_kind": forms.RadioSelect}


class OutreachForm(NfcFormMixin, forms.Form):
    """Which communes' outreach kits to make: all of the province, or one district's."""

    district = forms.ModelChoiceField(
        label=_("Các xã của"),
        queryset=None,
        required=False,
        empty_label=_("Tất cả các xã trong tỉnh"),
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        if districts.exists():
            self.fields["district"].queryset = districts
        else:
            del self.fields["district"]  # a commune leader: his own commune only
