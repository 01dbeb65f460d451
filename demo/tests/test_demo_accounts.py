"""The demo accounts of the README sign in and land on their pages."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from demo.loading import DEMO_PASSWORD, demo_accounts_load


def post_login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "landing_path", "landing_text"),
    [
        ("admin", "/accounts/users/", "Tài khoản cán bộ"),
        ("soyte", "/reports/", "Tỉnh Tuyên Quang"),
        ("tptq", "/reports/", "Thành phố Tuyên Quang"),
        ("sonduong", "/reports/", "Huyện Sơn Dương"),
        ("phanthiet.canbo", "/office/", "Phường Phan Thiết"),
        ("phanthiet.lanhdao", "/office/", "Phường Phan Thiết"),
        ("trangda.canbo", "/office/", "Xã Tràng Đà"),
        ("trangda.lanhdao", "/office/", "Xã Tràng Đà"),
        ("ttsonduong.canbo", "/office/", "Thị trấn Sơn Dương"),
        ("ttsonduong.lanhdao", "/office/", "Thị trấn Sơn Dương"),
    ],
)
def test_each_demo_account_signs_in_and_lands_on_its_page(
    client, units, username, landing_path, landing_text
):
    demo_accounts_load()
    response = post_login(client, username, DEMO_PASSWORD)
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True)
    assert page.status_code == 200
    assert page.redirect_chain[-1][0] == landing_path
    assert landing_text in page.content.decode()
    assert AuditEntry.objects.filter(action="auth.login", actor__username=username).exists()
