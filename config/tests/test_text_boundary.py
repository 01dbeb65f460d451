"""Text at the boundary, for every module: rules in core/text.py, form pieces in core/forms.py.

- Every form of the project normalises its submitted text to NFC (`NfcFormMixin`), so no
  decomposed spelling reaches a field, a search or the database.
- No regular expression of the project says `\\d` (which matches the digits of every
  script: "０９" and "٠٩" too) where it means ASCII digits: `[0-9]`. An ID stored with
  other digits would miss a duplicate check or the link to an open case.
"""

import ast
import importlib

from django import forms

from config.tests.test_layers import ROOT, project_packages
from core.forms import NfcFormMixin


def _modules():
    for package in sorted(project_packages()):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield path, ".".join(parts)


def _defines_a_form(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.ClassDef)
        and any(ast.unparse(base).endswith(("Form", "FormMixin")) for base in node.bases)
        for node in ast.walk(tree)
    )


def test_every_form_normalises_its_text_to_nfc():
    checked, missing = 0, []
    for path, module_name in _modules():
        if not _defines_a_form(ast.parse(path.read_text(encoding="utf-8"))):
            continue
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module_name
            ):
                checked += 1
                if not issubclass(value, NfcFormMixin):
                    missing.append(f"{module_name}.{value.__name__}")
    assert checked > 20
    assert missing == [], f"forms without NfcFormMixin: {missing}"


def test_no_regular_expression_says_backslash_d():
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for path, _ in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\\d" in node.value
    ]
    assert found == [], "use [0-9] for ASCII digits:\n" + "\n".join(found)
