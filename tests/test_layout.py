"""The package's layout: which stage may import which (read from the source with ``ast``), the old flat module names
still reachable as aliases, and the size of each module."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import shanxi_analysis as sa

PKG = Path(sa.__file__).resolve().parent
ROOT = "shanxi_analysis"

#: Stage -> the parts of the package its modules may import (top-level modules by name, stages by folder).
ALLOWED = {
    "data": {"data", "config", "errors", "lazy", ""},
    "analysis": {"analysis", "data", "config", "errors", "lazy", ""},
    "claims": {"claims", "analysis", "data", "present", "config", "errors", "lazy", ""},
    "present": {"present", "analysis", "claims", "data", "config", "errors", "lazy", "templating", ""},
    "publish": {"publish", "present", "analysis", "claims", "data", "config", "errors", "lazy", "templating", ""},
}
#: Top-level modules that belong to no stage may import no stage (``cli`` and ``__init__`` may: they wire it up).
BASE = {"config.py", "errors.py", "lazy.py", "templating.py"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every ``shanxi_analysis`` module ``path`` imports (at any depth in the file), as (line, dotted name)."""
    package = ".".join((ROOT, *path.relative_to(PKG).parent.parts))
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == ROOT]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != ROOT:
                continue
            if node.module is None or module == ROOT:  # from .. import config, datasets: each name is a module
                out += [(node.lineno, f"{module}.{a.name}") for a in node.names]
            else:
                out.append((node.lineno, module))
    return sorted(out)


def _part(module: str) -> str:
    """The stage folder or top-level module a dotted name belongs to ('' for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _violations(stage: str, folder: Path) -> list[str]:
    bad = []
    for path in sorted(folder.rglob("*.py")):
        for line, module in _imports(path):
            part = _part(module)
            if part == "__version__":
                continue
            if part in sa.ALIASES:
                bad.append(f"{path.relative_to(PKG)}:{line} imports the old alias {module}")
            elif part not in ALLOWED[stage]:
                bad.append(
                    f"{path.relative_to(PKG)}:{line} imports {module} ({stage} may import "
                    f"{', '.join(sorted(p or 'the package root' for p in ALLOWED[stage]))})"
                )
    return bad


@pytest.mark.parametrize("stage", sorted(ALLOWED))
def test_each_stage_imports_only_the_stages_before_it(stage):
    assert (PKG / stage / "__init__.py").is_file()
    assert _violations(stage, PKG / stage) == []


def test_base_modules_import_no_stage():
    bad = [
        f"{name}:{line} imports {module}"
        for name in sorted(BASE)
        for line, module in _imports(PKG / name)
        if _part(module) not in ("", "__version__", "config", "errors")
    ]
    assert bad == []


def test_the_import_check_finds_a_forbidden_import(tmp_path, monkeypatch):
    # the checker itself, on a data module that imports the presentation stage three ways
    fake = tmp_path / ROOT
    (fake / "data").mkdir(parents=True)
    (fake / "data" / "bad.py").write_text(
        "from ..present import numbers\n"
        "def f():\n    from ..publish.reports import build_reports\n"
        "import shanxi_analysis.present.charts\nfrom .. import config\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "PKG", fake)
    bad = _violations("data", fake / "data")
    assert [_part(b.split(" imports ")[1].split(" (")[0]) for b in bad] == ["present", "publish", "present"]


def test_every_stage_says_what_it_may_import():
    for stage in sorted(set(ALLOWED) - {"claims"}):  # claims/__init__.py's docstring is the claims' own (README)
        doc = ast.get_docstring(ast.parse((PKG / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert "may import" in doc.lower(), stage


def test_no_module_is_over_about_400_lines():
    long = {
        str(p.relative_to(PKG)): n
        for p in PKG.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 440
    }
    assert long == {}


@pytest.mark.parametrize("old", sorted(sa.ALIASES))
def test_old_module_names_reach_the_same_objects(old):
    alias = getattr(sa, old)
    for target in sa.ALIASES[old]:
        module = importlib.import_module(f"{ROOT}.{target}")
        for name, value in vars(module).items():
            if not name.startswith("__") and getattr(module, name, None) is value:
                # first target holding the name wins (documented order)
                owner = next(
                    importlib.import_module(f"{ROOT}.{t}")
                    for t in sa.ALIASES[old]
                    if hasattr(importlib.import_module(f"{ROOT}.{t}"), name)
                )
                assert getattr(alias, name) is getattr(owner, name), (old, name)


def test_old_dotted_imports_work_and_patching_an_alias_patches_the_module():
    from shanxi_analysis.fmt import html_table, pct  # noqa: F401
    from shanxi_analysis import numbers
    from shanxi_analysis.present import tables

    assert html_table is tables.html_table and pct is numbers.pct
    fmt = sys.modules["shanxi_analysis.fmt"]
    original = numbers.pct
    fmt.pct = len
    assert numbers.pct is len
    del fmt.pct  # how pytest's monkeypatch undoes a patch of a module that lacked the name in its own __dict__
    assert numbers.pct is original


def test_import_package_stays_cheap():
    code = (
        "import sys, shanxi_analysis as sa; sa.datasets; sa.provinces; sa.claims; "
        "print(sorted(m for m in ('matplotlib', 'pandera', 'jinja2', 'papermill') if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"


def _readme_rows() -> dict[str, set[str]]:
    """The README layout table's package rows: folder -> the names in backticks in its description."""
    import re

    rows = {}
    readme = (PKG.parent / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        m = re.match(r"\| `(shanxi_analysis/(?:\w+/)?)` \| (.*) \|$", line)
        if m:
            rows[m.group(1)] = set(re.findall(r"`([\w.]+/?)`", m.group(2)))
    return rows


def test_readme_layout_table_matches_the_tree():
    rows = _readme_rows()
    folders = {"shanxi_analysis/"} | {
        f"shanxi_analysis/{d.name}/" for d in PKG.iterdir() if (d / "__init__.py").is_file()
    }
    assert set(rows) == folders
    for folder, named in rows.items():
        path = PKG.parent / folder
        modules = {p.stem for p in path.glob("*.py") if p.stem != "__init__"}
        if folder == "shanxi_analysis/":
            assert modules <= named, sorted(modules - named)
            continue
        subfolders = {f"{d.name}/" for d in path.iterdir() if d.is_dir() and d.name != "__pycache__"}
        assert named == modules | subfolders, (folder, sorted(named ^ (modules | subfolders)))


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def test_stage_modules_are_attributes_of_their_stage():
    """``sa.present.story``, ``sa.data.datasets`` ...: every module of every stage is reachable as an attribute in a
    fresh interpreter (nothing imported it before), and an unknown name is an AttributeError naming the stage."""
    # the stages whose __init__ hands out its modules lazily (claims/ imports its own and re-exports their API)
    stages = sorted(d.name for d in PKG.iterdir() if "submodules(" in _text(d / "__init__.py"))
    assert {"data", "analysis", "present", "publish"} <= set(stages)
    pairs = [(s, p.stem) for s in stages for p in sorted((PKG / s).glob("*.py")) if p.stem != "__init__"]
    code = (
        "import shanxi_analysis as sa\n"
        f"for stage, name in {pairs!r}:\n"
        "    module = getattr(getattr(sa, stage), name)\n"
        "    assert module.__name__ == f'shanxi_analysis.{stage}.{name}', (stage, name, module)\n"
        "for stage in %r:\n"
        "    try:\n"
        "        getattr(sa, stage).no_such_module\n"
        "    except AttributeError as exc:\n"
        "        assert stage in str(exc) and 'no_such_module' in str(exc), exc\n"
        "    else:\n"
        "        raise AssertionError(stage)\n"
        "print('ok')\n"
    ) % (stages,)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr
