"""One name per thing, in the register of the official documents, across every text a user reads.

Scanned: every template (pages, SMS and email under any `templates/` folder), every typst
template, and every gettext source string of the project's Python (the msgids that
`locale/en/LC_MESSAGES/django.po` lists). Tests and migrations are not scanned; unit names
from the GSO data keep their own spelling and live in `units/data`, not here.

The glossary (issue 14, items 24-26):
- the person: "người mắc COVID-19" (short "người mắc"); "người khai báo" only for whoever
  filled the form for someone else; "F0" only in the product's name "Khai báo F0";
- the second document: "Giấy xác nhận hoàn thành thời gian cách ly y tế tại nhà" (short
  "giấy xác nhận hoàn thành cách ly");
- a refusal: "từ chối" ("từ chối tiếp nhận", "từ chối xác nhận");
- the tracking code: "mã hồ sơ";
- tone marks in the old style of the official documents ("Cộng hòa", "khỏe", "thủy");
- "tỉnh", "huyện", "xã" in lower case inside a sentence; no "thị trấn" in the two-level set;
- Vietnamese words where they exist ("xét nghiệm nhanh", not "test nhanh");
- the commune People's Committee confirms recovery; its health station only proposes.
"""

import ast
import re

import pytest

from config.tests.test_layers import ROOT

GETTEXT_NAMES = {
    "_",
    "_l",
    "_lazy",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
}
SKIPPED_FOLDERS = {"tests", "migrations", "locale", "static", "node_modules"}


def _scanned_files():
    for path in sorted(ROOT.rglob("*")):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or SKIPPED_FOLDERS & set(parts) or not path.is_file():
            continue
        if path.suffix == ".typ" or (path.suffix in (".html", ".txt") and "templates" in parts):
            yield path


def _python_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or SKIPPED_FOLDERS & set(parts):
            continue
        yield path


# Modules whose plain strings are printed on documents and posters (Vietnamese only, no
# gettext: a document is in the language of the State).
PRINTED_MODULES = ("documents/composition.py", "documents/rendering.py", "documents/outreach.py")


def user_facing_strings():
    """Yields (`path:line`, text) for each template line, each gettext source string and
    each string of the modules that print documents (docstrings left out)."""
    for path in _scanned_files():
        rel = path.relative_to(ROOT)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if path.suffix == ".typ":
                line = line.split("//", 1)[0] if "://" not in line else line
            yield f"{rel}:{number}", line
    for path in _python_files():
        rel = path.relative_to(ROOT)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name not in GETTEXT_NAMES:
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield f"{rel}:{arg.lineno}", arg.value
    for name in PRINTED_MODULES:
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and id(node) not in docstrings:
                yield f"{name}:{node.lineno}", node.value


VOWEL_AFTER = r"(?![a-zà-ỹđA-ZÀ-ỸĐ])"
# (rule, forbidden pattern, allowed: texts where the variant is right, see `_allows`)
RULES = [
    (
        "the person is «người mắc COVID-19» / «người mắc»",
        r"(?i)người nhiễm|người bệnh|người được cách ly|người cách ly",
        (),
    ),
    (
        "«người khai báo» only for whoever filled the form for someone else",
        r"(?i)người khai báo(?! thay)",
        (),
    ),
    (
        "«F0» only in the product's name «Khai báo F0»",
        r"(?<!Khai báo )F0|(?<!Khai báo )f0\b",
        # ASCII staff SMS of 160 characters: "KB F0" is the product's name abbreviated.
        # and the demo accounts' password, the site's address, the poster's headline
        ("KB F0 %(day)s", "demo-F0-2022", "khaibaof0.", "khai-bao-F0", "KHAI BÁO F0"),
    ),
    (
        "a refusal is «từ chối»",
        r"(?i)không tiếp nhận|bác bỏ|trả lại|chưa được chấp nhận|chưa chấp nhận|"
        r"không xác nhận|chưa xác nhận khỏi|chưa được xác nhận",
        (),
    ),
    (
        "the tracking code is «mã hồ sơ»",
        r"(?i)mã theo dõi|mã tra cứu|khai báo mã|mã khai báo",
        (),
    ),
    (
        "the second document is «Giấy xác nhận hoàn thành thời gian cách ly y tế tại nhà»"
        " or «giấy xác nhận hoàn thành cách ly»",
        r"(?i)giấy xác nhận(?! hoàn thành (thời gian )?cách ly)|xác nhận hoàn thành cách ly, khỏi",
        # Inside the document itself ("Giấy xác nhận này có hiệu lực") and its kind line,
        # printed above its subject "Hoàn thành thời gian cách ly y tế tại nhà".
        ("Mã xác nhận", "Giấy xác nhận này", "=giấy xác nhận"),
    ),
    (
        "tone marks in the old style of the official documents (hòa, khỏe, thủy)",
        r"(?<![qQ])(?:[oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ])" + VOWEL_AFTER,
        (),
    ),
    (
        "«tỉnh», «huyện», «xã», «phường» in lower case inside a sentence",
        r"(?<=[a-zà-ỹđ] )(?:Tỉnh|Huyện|Xã|Phường)\b",
        (),
    ),
    (
        "no «thị trấn» in the two-level set of units",
        r"(?i)thị trấn",
        # The unit level's name also covers the 2021 three-level set, which has towns.
        ("Xã/Phường/Thị trấn",),
    ),
    ("Vietnamese words where they exist", r"(?i)\btest nhanh|>\s*Menu\s*<|\"Menu\"", ()),
    (
        "a document is issued by the commune's chairman, not by the software",
        r"(?i)(?:do|bởi) (?:hệ thống|phần mềm)[^.«]{0,40}ban hành",
        (),
    ),
    (
        "the commune People's Committee confirms recovery; the health station proposes",
        r"(?i)trạm y tế xã (?:sẽ |đã )?(?:kiểm tra và )?(?:cấp|xác nhận)|"
        r"để trạm y tế xã cấp|gửi tới trạm y tế xã|trạm y tế xã đã xem",
        (),
    ),
]


def _hits(pattern, allowed):
    compiled = re.compile(pattern)
    return [
        f"{where}: {text.strip()[:160]}"
        for where, text in user_facing_strings()
        if compiled.search(text) and not any(_allows(a, text) for a in allowed)
    ]


def _allows(allowed: str, text: str) -> bool:
    """An allowed variant: a substring of the text, or "=..." the whole text."""
    return text == allowed[1:] if allowed.startswith("=") else allowed in text


def test_the_scan_reads_templates_typst_and_gettext_strings():
    wheres = [where for where, _ in user_facing_strings()]
    assert any(w.startswith("notifications/templates/") for w in wheres)
    assert any(w.startswith("documents/typst/") for w in wheres)
    assert any(w.startswith("cases/choices.py") for w in wheres)
    assert any(w.startswith("guides/content.py") for w in wheres)


@pytest.mark.parametrize(("rule", "pattern", "allowed"), RULES, ids=[r[0][:40] for r in RULES])
def test_no_user_facing_text_breaks_the_glossary(rule, pattern, allowed):
    assert _hits(pattern, allowed) == [], rule


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Vui lòng liên hệ người bệnh", 0),
        ("Người nhiễm", 0),
        ("Hồ sơ F0", 2),
        ("Lý do không tiếp nhận", 3),
        ("Tải giấy xác nhận", 5),
        ("Cộng hoà xã hội", 6),
        ("sức khoẻ", 6),
        ("Ủy ban nhân dân Tỉnh Tuyên Quang", 7),
        ("xã, phường, thị trấn", 8),
        ("Test nhanh kháng nguyên", 9),
        ("Văn bản này do hệ thống Khai báo F0 ban hành", 10),
        ("để Trạm Y tế xã cấp giấy", 11),
    ],
)
def test_each_rule_catches_its_example(text, rule):
    assert re.search(RULES[rule][1], text)


@pytest.mark.parametrize(
    "text",
    ["Khai báo F0", "Cộng hòa", "khỏe", "Quý", "hoàn thành", "Ủy ban nhân dân tỉnh Tuyên Quang"],
)
def test_the_right_forms_pass(text):
    assert not any(re.search(pattern, text) for _, pattern, _ in RULES)
