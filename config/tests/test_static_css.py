"""The built stylesheet (static/css/site.min.css, from scripts/purge-css.sh) keeps every
USWDS rule the pages use: a template that starts using a class the build dropped fails here,
and the message says to run the script."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BUILT = ROOT / "static/css/site.min.css"
SOURCES = [
    ROOT / "static/vendor/uswds/css/uswds.min.css",
    ROOT / "static/css/fonts-override.css",
]
# The same places and the same idea of a word as scripts/purgecss/purgecss.config.cjs.
CONTENT = [
    "templates/**/*.html",
    "*/templates/**/*.html",
    "*/*.py",
    "*/*/*.py",
    "static/js/*.js",
    "*/static/**/*.js",
    "static/vendor/uswds/js/uswds.min.js",
]
WORD = re.compile(r"[A-Za-z0-9_:-]+")
PRELUDE = re.compile(r"([^{}]+)\{")
CLASS = re.compile(r"\.(-?[A-Za-z_](?:[A-Za-z0-9_-]|\\:)*)")


def selectors(css: str) -> set[str]:
    """Every selector of the stylesheet (rules inside @media included), split on commas."""
    found = set()
    for prelude in PRELUDE.findall(css):
        prelude = prelude.strip()
        if prelude.startswith("@") or prelude.startswith("/*"):
            continue
        depth, current = 0, ""
        for char in prelude + ",":
            depth += (char in "([") - (char in ")]")
            if char == "," and depth == 0:
                found.add(" ".join(current.split()))
                current = ""
            else:
                current += char
    return found


ATTRIBUTE = re.compile(r"\[([A-Za-z_-]+)")


def classes_of(selector: str) -> set[str]:
    """The words a selector needs on a page: its class names and attribute names (as
    PurgeCSS reads them: `[data-indeterminate]` is dropped when no page names it)."""
    names = {name.replace("\\:", ":") for name in CLASS.findall(selector)}
    return names | set(ATTRIBUTE.findall(selector)) if names else set()


def words_used() -> set[str]:
    words: set[str] = set()
    for pattern in CONTENT:
        for path in ROOT.glob(pattern):
            if ".venv" in path.parts or "node_modules" in path.parts:
                continue
            words |= set(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def test_every_uswds_rule_the_pages_use_is_in_the_built_stylesheet():
    used = words_used()
    kept = selectors(BUILT.read_text(encoding="utf-8"))
    missing = sorted(
        selector
        for source in SOURCES
        for selector in selectors(source.read_text(encoding="utf-8"))
        if classes_of(selector) and classes_of(selector) <= used and selector not in kept
    )
    assert not missing, (
        f"{len(missing)} rule(s) for classes the project uses are not in static/css/site.min.css "
        f"(run scripts/purge-css.sh and commit the output): {', '.join(missing[:10])}"
    )


def test_the_built_stylesheet_is_a_fraction_of_the_framework():
    # What the citizen downloads: the whole framework is about 60 KB gzipped.
    assert BUILT.stat().st_size < SOURCES[0].stat().st_size / 4


def test_the_pages_link_the_built_stylesheet_not_the_whole_framework():
    for template in ("templates/base.html", "templates/503.html"):
        text = (ROOT / template).read_text(encoding="utf-8")
        assert "css/site.min.css" in text
        assert "uswds.min.css" not in text and "fonts-override.css" not in text


def test_citizen_pages_do_not_download_the_staff_scripts(client, officer_a):
    public = client.get("/").content.decode()
    assert "css/site.min.css" in public
    assert "htmx.min.js" not in public and "session.js" not in public

    client.force_login(officer_a)
    staff = client.get("/office/").content.decode()
    assert "htmx.min.js" in staff


def test_every_file_the_built_stylesheet_names_exists():
    # collectstatic (ManifestStaticFilesStorage) refuses a stylesheet naming a missing file.
    text = BUILT.read_text(encoding="utf-8")
    names = {n.strip("\"'") for n in re.findall(r"url\(([^)]+)\)", text)} - {""}
    missing = [
        n for n in names if not n.startswith("data:") and not (BUILT.parent / n).resolve().is_file()
    ]
    assert names and not missing, missing
