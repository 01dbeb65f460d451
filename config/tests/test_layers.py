"""The floors of the house: every app imports only from its own floor or below.

Lower floors offer extension points (after-transition hooks, job kinds, maintenance jobs,
navigation entries) that upper floors fill in their `AppConfig.ready()`, instead of being
imported by them. The test reads the imports of every module, tests and function bodies
included, the way test_access_rules walks the URL configuration.
"""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# 0 is the ground: it imports no project app above it. `config` is the composition root
# (settings and URLs put every app together) and may import any app.
FLOORS = {
    "core": 0,
    "jobs": 0,
    "units": 0,
    "accounts": 1,
    "uploads": 1,
    "notifications": 1,
    "audit": 1,
    "cases": 2,
    "documents": 3,
    "reports": 4,
    "public": 5,
    "backoffice": 5,
    "guides": 5,
    "api": 5,
    "demo": 6,
    "bench": 6,
}
COMPOSITION_ROOT = "config"


def project_packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if not path.parent.name.startswith(".")
    }


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in the module, wherever it is."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def app_imports() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> the places, for imports between project apps."""
    packages = project_packages()
    edges = defaultdict(list)
    for app in packages:
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, target in imports_of(path):
                if target in packages and target != app:
                    edges[(app, target)].append(f"{path.relative_to(ROOT)}:{line}")
    return edges


def test_every_app_has_a_floor():
    assert project_packages() - {COMPOSITION_ROOT} == set(FLOORS)


def test_no_app_imports_from_a_floor_above_its_own():
    upward = [
        f"{app} (floor {FLOORS[app]}) imports {target} (floor {FLOORS[target]}) at {place}"
        for (app, target), places in sorted(app_imports().items())
        if app != COMPOSITION_ROOT and target != COMPOSITION_ROOT
        for place in places
        if FLOORS[target] > FLOORS[app]
    ]
    assert upward == []


def test_no_import_loop_between_apps():
    edges = defaultdict(set)
    for app, target in app_imports():
        if COMPOSITION_ROOT not in (app, target):
            edges[app].add(target)

    def reaches(start, goal, seen):
        for nxt in edges[start]:
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    loops = sorted(app for app in list(edges) if reaches(app, app, {app}))
    assert loops == []


def test_core_imports_no_other_project_app():
    packages = project_packages()
    offending = [
        f"core/{path.relative_to(ROOT / 'core')}:{line} imports {target}"
        for path in sorted((ROOT / "core").rglob("*.py"))
        for line, target in imports_of(path)
        if target in packages and target != "core"
    ]
    assert offending == []


def test_the_walker_sees_an_upward_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("def later():\n    from documents.services import document_issue\n")
    assert imports_of(module) == [(2, "documents")]
