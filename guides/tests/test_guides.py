"""The guides: every step still points at a real page, its screenshot and the printed guide
exist and match the content, the pages render for everyone, and each official's header
links to the guide of his role."""

from pathlib import Path
from unicodedata import normalize

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from guides.content import BY_ROLE, GUIDES

STEPS = [(guide, step) for guide in GUIDES for step in guide.steps]
STEP_IDS = [f"{guide.slug}/{step.shot}" for guide, step in STEPS]
PERSONA_OF_ROLE = {
    "commune_officer": "officer_a",
    "commune_leader": "leader_a",
    "district_staff": "district_staff",
    "province_health": "province_health",
    "system_admin": "sysadmin",
}


def test_there_is_a_guide_for_citizens_and_for_every_role():
    assert [g for g in GUIDES if g.role is None] == [GUIDES[0]]
    assert set(BY_ROLE) == set(PERSONA_OF_ROLE)


@pytest.mark.parametrize(("guide", "step"), STEPS, ids=STEP_IDS)
def test_every_step_shows_a_page_that_exists(guide, step):
    # A removed or renamed page (or one that now needs other arguments) fails here.
    assert reverse(step.url_name, args=step.args).startswith("/")


@pytest.mark.parametrize(("guide", "step"), STEPS, ids=STEP_IDS)
def test_every_step_has_its_screenshot_at_the_guides_width(guide, step):
    found = finders.find(guide.shot_path(step))
    assert found, f"{guide.shot_path(step)} is missing: run `make guides`"
    with Image.open(found) as image:
        assert image.format == "PNG"
        assert image.width == guide.width


@pytest.mark.parametrize("guide", GUIDES, ids=[g.slug for g in GUIDES])
def test_every_guide_is_printed_with_all_its_steps(guide):
    found = finders.find(guide.pdf_path)
    assert found, f"{guide.pdf_path} is missing: run `make guides`"
    with open(found, "rb") as pdf:
        pages = PdfReader(pdf).pages
        # NFKC: Chromium's fonts print "ffi" in "/office/" as one ligature.
        text = normalize("NFKC", " ".join(" ".join(page.extract_text().split()) for page in pages))
        # Printed from a throwaway server: a link would lead nowhere.
        assert not [page for page in pages if page.get("/Annots")]
    # The PDF is printed from the page: a step added or retitled since then is missing.
    assert str(guide.title) in text
    for step in guide.steps:
        assert " ".join(str(step.title).split()) in text, step.shot
        if step.link:
            # The path is printed as text; a line may break inside it.
            assert f"({reverse(step.url_name)})" in text.replace(" ", ""), step.shot


def test_the_index_lists_every_guide_for_anyone(client, db):
    response = client.get(reverse("guides:index"))
    assert response.status_code == 200
    for guide in GUIDES:
        assert reverse("guides:guide", args=[guide.slug]) in response.content.decode()


@pytest.mark.parametrize("guide", GUIDES, ids=[g.slug for g in GUIDES])
def test_a_guide_page_shows_each_step_with_its_picture_and_the_pdf(client, db, guide):
    response = client.get(reverse("guides:guide", args=[guide.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    for number, step in enumerate(guide.steps, start=1):
        assert f"Bước {number}. {step.title}" in html
        assert f'src="/static/{guide.shot_path(step)}"' in html
        assert f'alt="Ảnh chụp màn hình: {step.title}"' in html
    assert f'href="/static/{guide.pdf_path}"' in html


def test_a_guide_links_to_the_real_pages_that_stand_on_their_own(client, db):
    html = client.get(reverse("guides:guide", args=["nguoi-dan"])).content.decode()
    assert f'href="{reverse("public:declare_start")}"' in html
    assert f'href="{reverse("public:recovery")}"' in html
    # A confirmation page is one moment of the flow: shown, not linked.
    assert f'href="{reverse("public:declare_done")}"' not in html


def test_officials_guides_mention_two_factor_sign_in(client, db):
    html = client.get(reverse("guides:guide", args=["can-bo-xa"])).content.decode()
    assert "xác thực hai bước" in html


def test_an_unknown_guide_is_not_found(client, db):
    assert client.get("/huong-dan/khong-co/").status_code == 404


@pytest.mark.parametrize("role", sorted(PERSONA_OF_ROLE))
def test_the_header_of_a_signed_in_page_links_to_the_guide_of_the_users_role(
    request, client, login, role
):
    login(request.getfixturevalue(PERSONA_OF_ROLE[role]))
    html = client.get(reverse("accounts:workspace")).content.decode()
    own = reverse("guides:guide", args=[BY_ROLE[role].slug])
    assert f'href="{own}" data-testid="guide-link"' in html
    # The guide opens for him too, and its own real pages open for his role.
    assert client.get(own).status_code == 200
    for step in BY_ROLE[role].steps:
        if step.link and step.url_name != "accounts:login":
            assert client.get(reverse(step.url_name)).status_code == 200, step.url_name


def test_anonymous_visitors_find_the_guides_in_the_menu_and_no_role_guide(client, db):
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("guides:index")}"' in html
    assert 'data-testid="guide-link"' not in html


def test_no_picture_or_pdf_is_left_over_from_a_removed_step():
    folder = Path(finders.find("guides/guide.css")).parent
    shipped = {
        str(path.relative_to(folder.parent))
        for path in [*folder.rglob("*.png"), *folder.rglob("*.pdf")]
    }
    expected = {g.shot_path(s) for g, s in STEPS} | {g.pdf_path for g in GUIDES}
    assert shipped == expected


def test_the_screenshots_stay_small():
    # The whole set ships in the repository.
    total = sum(Path(finders.find(guide.shot_path(step))).stat().st_size for guide, step in STEPS)
    assert total < 4_000_000
