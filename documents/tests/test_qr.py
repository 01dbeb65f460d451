from core.qr import qr_svg
from documents import samples
from documents.rendering import render_isolation_decision, render_recovery_confirmation
from documents.tests.pdf import pdf_text, qr_payloads


def test_qr_svg_is_a_standalone_svg():
    svg = qr_svg(samples.VERIFICATION_URL)
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg


def test_printed_decision_qr_code_opens_its_verification_page(tmp_path):
    pdf = render_isolation_decision(samples.ISOLATION_DECISION)
    assert qr_payloads(pdf, tmp_path) == [samples.VERIFICATION_URL]
    assert samples.VERIFICATION_URL in pdf_text(pdf).replace(" ", "")


def test_printed_confirmation_qr_code_opens_its_verification_page(tmp_path):
    data = samples.RECOVERY_CONFIRMATION
    assert qr_payloads(render_recovery_confirmation(data), tmp_path) == [data.verification_url]
