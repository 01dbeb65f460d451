"""Every audit action the code writes has its Vietnamese words in audit.actions (issue 14
item 12: the audit log page showed codes such as `case.accept`). The test reads every
`audit_log(action=...)` of the project the way test_layers reads imports; the case
actions written through cases.lifecycle.case_audit are `case.<Action>`."""

import ast

from audit.actions import ACTION_LABELS, AREAS, action_choices
from cases.choices import Action
from config.tests.test_layers import ROOT
from config.tests.test_local_dates import project_modules


def written_actions() -> set[str]:
    found = set()
    for path in project_modules():
        if path.relative_to(ROOT).parts[0] in ("bench",):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name != "audit_log":
                continue
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "action" and isinstance(value, ast.Constant):
                    found.add(value.value)
    return found


def test_every_action_written_has_its_words():
    written = written_actions() | {f"case.{action}" for action in Action.values}
    assert len(written) > 40
    assert sorted(written - set(ACTION_LABELS)) == []
    assert {code.split(".")[0] for code in ACTION_LABELS} <= set(AREAS)


def test_the_filter_offers_each_area_and_action():
    values = {value for _group, options in action_choices()[1:] for value, _label in options}
    assert set(ACTION_LABELS) <= values and "case." in values
