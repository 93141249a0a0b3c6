"""Dependencies honest (issue 21): every package chitieu's code imports is declared in
pyproject.toml, and every declared package is used by that code. The imports are read from
the source (every `import` and `from … import`, at any depth, lazy ones included), and mapped
to their distributions by the installed metadata."""
from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib

from conftest import ROOT

PACKAGES = ("chitieu", "pipeline", "parsers", "normalizers")
# A package whose data (not code) chitieu reads, located with importlib.util.find_spec.
DATA_USE = re.compile(r"""find_spec\(\s*["']([\w.]+)["']\s*\)""")


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_name(r) for r in project["dependencies"]}


def imported() -> dict[str, set[str]]:
    """Top-level module → the files that import it (or find its data), outside the standard
    library and chitieu itself."""
    found: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            names = set(DATA_USE.findall(source))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module)
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in PACKAGES and top != "__future__":
                    found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_every_import_is_declared_and_every_declared_package_used():
    distributions = importlib.metadata.packages_distributions()
    used: dict[str, set[str]] = {}
    unknown = []
    for module, files in imported().items():
        names = distributions.get(module)
        if not names:
            unknown.append(f"{module} (imported by {', '.join(sorted(files))}) is not installed")
            continue
        for name in names:
            used.setdefault(name.lower().replace("_", "-"), set()).update(files)
    assert unknown == []
    undeclared = {name: sorted(files) for name, files in used.items() if name not in declared()}
    assert undeclared == {}, "imported but not declared in pyproject.toml"
    unused = declared() - set(used)
    assert unused == set(), "declared in pyproject.toml but never imported"


def test_the_check_sees_lazy_and_nested_imports():
    """The scan reads imports inside functions (the readers import their libraries lazily)."""
    modules = imported()
    assert "pypdfium2" in modules and "openpyxl" in modules and "lxml" in modules
    assert any(f.startswith("parsers/formats/") for f in modules["pypdfium2"])
