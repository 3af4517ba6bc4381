"""The package's architecture, read from its source with ``ast``.

The stages run data -> analysis -> messages -> claims -> present -> publish: a stage imports only earlier stages and
the neutral top-level modules (``config``, ``errors``, ``handoff``, ``numbers``, ``templating``), which import no
stage. No module imports another module's ``_private`` name, package modules import each other without cycles, no
lazy machinery (module-level ``__getattr__``, ``lazy.py``, import hooks) stands between a name and its definition,
and ``import shanxi_analysis`` loads none of the heavy libraries.

Every checker takes the package folder, so the last tests show each one failing on a small made-up package.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

PKG = ROOT / "shanxi_analysis"
#: The stages in data-flow order: each may import the ones before it.
STAGES = ("data", "analysis", "messages", "claims", "present", "publish")
#: Top-level modules that belong to no stage: every stage may import them, they import no stage.
NEUTRAL = ("config", "errors", "handoff", "numbers", "templating")
#: Top-level modules that wire the stages together (the package itself and the command line).
WIRING = ("__init__", "__main__", "cli")
#: What ``import shanxi_analysis`` must not load (they are imported by the functions that need them).
# pyarrow is not listed: pandas 3 imports it on its own import, so only not importing pandas could avoid it
HEAVY = ("matplotlib", "papermill", "nbconvert", "pandera")


# ------------------------------------------------------------------------------------------ reading imports
@dataclass(frozen=True)
class Import:
    """One import of a package module: where it is, what module it loads, and the names it takes from it."""

    path: Path  # the importing file
    line: int
    target: str  # dotted name of the package module loaded (a submodule where the name is one)
    names: tuple[str, ...]  # names taken from ``target`` (empty for ``import x`` and for submodules)
    module_level: bool  # runs on import (not inside a function, not under ``if TYPE_CHECKING``)


def module_name(root: Path, path: Path) -> str:
    """Dotted name of the module in ``path`` inside the package folder ``root``."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(root: Path, dotted: str) -> bool:
    rel = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    return (root / rel).with_suffix(".py").is_file() or (root / rel / "__init__.py").is_file()


def _runtime_nodes(tree: ast.Module) -> set[int]:
    """ids of the nodes that run when the module is imported: top level, not in a function or a TYPE_CHECKING block."""
    out: set[int] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for n in child.orelse:
                    out.add(id(n))
                    visit(n)
                continue
            out.add(id(child))
            visit(child)

    visit(tree)
    return out


def imports(root: Path, path: Path) -> list[Import]:
    """Every import of a module of the package ``root`` in ``path``, at any depth, with absolute targets."""
    pkg = root.name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    runtime = _runtime_nodes(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == pkg:
                    out.append(Import(path, node.lineno, alias.name, (), id(node) in runtime))
        elif isinstance(node, ast.ImportFrom):
            source = _source(root, path, node)
            if source.split(".")[0] != pkg:
                continue
            taken = []
            for alias in node.names:
                if _is_module(root, f"{source}.{alias.name}"):  # from .. import config: the name is a module
                    out.append(Import(path, node.lineno, f"{source}.{alias.name}", (), id(node) in runtime))
                else:
                    taken.append(alias.name)
            if taken:
                out.append(Import(path, node.lineno, source, tuple(taken), id(node) in runtime))
    return sorted(out, key=lambda i: (i.line, i.target))


def _modules(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _part(dotted: str) -> str:
    """The stage or top-level module a dotted name belongs to ('' for the package itself)."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ""


def _where(root: Path, imp: Import) -> str:
    return f"{imp.path.relative_to(root.parent)}:{imp.line}"


# ------------------------------------------------------------------------------------------------- checkers
def stage_violations(root: Path, stages=STAGES, neutral=NEUTRAL, wiring=WIRING) -> list[str]:
    """Imports that break the stage order: a stage importing a later stage or the package root, a neutral module
    importing a stage, a top-level module that is none of stage, neutral or wiring."""
    bad = []
    # importing the package itself runs its __init__: allowed where everything that imports is allowed
    by_root = {_part(i.target) for i in imports(root, root / "__init__.py") if i.module_level} - {""}
    for path in _modules(root):
        rel = path.relative_to(root)
        owner = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        if owner in wiring:
            continue
        if owner in stages:
            allowed = set(stages[: stages.index(owner) + 1]) | set(neutral)
        elif owner in neutral:
            allowed = set(neutral)
        else:
            where = path.relative_to(root.parent)
            bad.append(f"{where}: neither a stage ({', '.join(stages)}) nor a neutral module ({', '.join(neutral)})")
            continue
        for imp in imports(root, path):
            part = _part(imp.target)
            if part == "" and (by_root <= allowed or (imp.names and all(n.startswith("__") for n in imp.names))):
                continue  # import shanxi_analysis in a late stage; from shanxi_analysis import __version__
            if part not in allowed:
                bad.append(
                    f"{_where(root, imp)} imports {imp.target} ({owner} may import {', '.join(sorted(allowed))})"
                )
    return bad


def _source(root: Path, path: Path, node: ast.ImportFrom) -> str:
    """The absolute dotted module an ``from ... import`` statement reads from."""
    here = module_name(root, path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    if node.level:
        return ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
    return node.module or ""


def private_imports(root: Path) -> list[str]:
    """``_private`` names a module takes from another module of the package: imported by name, or read as an
    attribute of an imported module (``loaders._frame``)."""
    bad = []
    for path in _modules(root):
        this = module_name(root, path)
        for imp in imports(root, path):
            for name in imp.names:
                if name.startswith("_") and not name.startswith("__") and imp.target != this:
                    bad.append(f"{_where(root, imp)} imports {name} from {imp.target}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound: dict[str, str] = {}  # local name -> package module it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname and alias.name.split(".")[0] == root.name:
                        bound[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                source = _source(root, path, node)
                for alias in node.names:
                    if source.split(".")[0] == root.name and _is_module(root, f"{source}.{alias.name}"):
                        bound[alias.asname or alias.name] = f"{source}.{alias.name}"
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and bound.get(node.value.id, this) != this
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                bad.append(f"{path.relative_to(root.parent)}:{node.lineno} uses {node.attr} of {bound[node.value.id]}")
    return sorted(set(bad))


def import_cycles(root: Path) -> list[list[str]]:
    """Cycles among the package's modules through imports that run on import (each as a sorted list of modules)."""
    graph: dict[str, set[str]] = {}
    for path in _modules(root):
        this = module_name(root, path)
        graph.setdefault(this, set())
        for imp in imports(root, path):
            if imp.module_level and imp.target != this:
                graph[this].add(imp.target)
    # Tarjan's strongly connected components
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(cycles)


def lazy_machinery(root: Path) -> list[str]:
    """A module-level ``__getattr__`` (PEP 562), a ``lazy.py`` module, or an import hook on ``sys.meta_path``."""
    bad = []
    for path in _modules(root):
        rel = path.relative_to(root.parent)
        if path.name == "lazy.py":
            bad.append(f"{rel}: a lazy-import module")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = (
                [node.name]
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                else [t.id for t in node.targets if isinstance(t, ast.Name)]
                if isinstance(node, ast.Assign)
                else []
            )
            if "__getattr__" in targets:
                bad.append(f"{rel}:{node.lineno} defines a module-level __getattr__")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "meta_path":
                bad.append(f"{rel}:{node.lineno} touches sys.meta_path")
    return bad


def name_collisions(root: Path, stages=STAGES) -> list[str]:
    """A stage's ``__all__``: a literal list, each name once, bound in ``__init__``, none equal to a submodule."""
    bad = []
    for stage in stages:
        init = root / stage / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        exported = [
            node.value
            for node in tree.body
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        ]
        if len(exported) != 1 or not isinstance(exported[0], (ast.List, ast.Tuple)):
            bad.append(f"{stage}: no literal __all__")
            continue
        names = [ast.literal_eval(e) for e in exported[0].elts]
        bound = {
            a.asname or a.name.split(".")[0]
            for n in tree.body
            if isinstance(n, ast.ImportFrom | ast.Import)
            for a in n.names
        }
        bound |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))}
        bound |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        bound |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
        submodules = {p.stem for p in (root / stage).glob("*.py") if p.stem != "__init__"}
        submodules |= {p.name for p in (root / stage).iterdir() if (p / "__init__.py").is_file()}
        bad += [f"{stage}: {n} twice in __all__" for n in sorted({n for n in names if names.count(n) > 1})]
        bad += [f"{stage}: {n} in __all__ is not bound in __init__.py" for n in names if n not in bound]
        bad += [f"{stage}: {n} is both a public name and a submodule" for n in sorted(set(names) & submodules)]
    return bad


def heavy_imports(root: Path, heavy=HEAVY, module: str = "") -> list[str]:
    """The ``heavy`` modules that ``import <package>`` (or ``import <package>.<module>``) loads in a fresh interpreter
    (the package read from ``root``)."""
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(root.parent)!r})\n"
        f"import {root.name}\n"
        + (f"import {root.name}.{module}\n" if module else "")
        + f"assert {root.name}.__file__.startswith({str(root)!r}), {root.name}.__file__\n"
        f"print(json.dumps(sorted(m for m in {list(heavy)!r} if m in sys.modules)))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root.parent, timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------ the real package
def test_every_stage_is_a_package_and_every_top_level_module_has_a_place():
    assert all((PKG / stage / "__init__.py").is_file() for stage in STAGES)
    folders = {p.name for p in PKG.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set(STAGES)


def test_each_stage_imports_only_earlier_stages_and_neutral_modules_import_no_stage():
    assert stage_violations(PKG) == []


def test_no_module_imports_a_private_name_from_another():
    assert private_imports(PKG) == []


def test_no_import_cycles_among_package_modules():
    assert import_cycles(PKG) == []


def test_no_lazy_machinery():
    assert lazy_machinery(PKG) == []


def test_each_stage_lists_its_public_names_once_and_none_is_a_submodule():
    assert name_collisions(PKG) == []


def test_import_package_stays_cheap():
    assert heavy_imports(PKG) == []


def test_the_builder_and_the_command_line_load_no_chart_library():
    """Starting the report command (checking its options and parameters, planning, a usage error) loads no chart
    library: the glued results the builder reads come from the neutral ``handoff``, not from ``present``, whose
    import loads matplotlib (about half a second). Exporting a page still imports ``present`` for its message
    catalog, in the export thread, once a notebook has run."""
    for module in ("publish", "cli"):
        assert heavy_imports(PKG, heavy=("matplotlib",), module=module) == [], module


# -------------------------------------------------------------------------- the checkers on a made-up package
def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    """A package ``pkg`` in ``tmp_path``: the five stages and the neutral modules, empty, plus ``files``."""
    root = tmp_path / "pkg"
    base = {f"{s}/__init__.py": "__all__ = []\n" for s in STAGES}
    base |= {f"{n}.py": "" for n in NEUTRAL} | {"__init__.py": "from . import config, errors, data, analysis, claims\n"}
    for rel, text in {**base, **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


CLEAN = {
    "data/load.py": "from .. import config\nfrom ..errors import DataError\n\ndef fai(): ...\n",
    "data/__init__.py": "from .load import fai\n\n__all__ = ['fai']\n",
    "analysis/rank.py": "from ..data import fai\nfrom ..data import load\nimport pkg.data.load as ld\nx = ld.fai\n",
    "present/charts.py": "from ..claims import __all__ as names\nimport pkg.numbers\nfrom pkg import __version__\n",
    "publish/build.py": "import pkg\ndef later():\n    from ..present import charts\n",
}


def test_the_checkers_pass_a_clean_package(tmp_path):
    root = _package(tmp_path, CLEAN)
    assert stage_violations(root) == []
    assert private_imports(root) == []
    assert import_cycles(root) == []
    assert lazy_machinery(root) == []
    assert name_collisions(root) == []


def test_the_stage_check_finds_a_later_stage_and_a_stage_in_a_neutral_module(tmp_path):
    root = _package(
        tmp_path,
        {
            "data/bad.py": "from ..present import charts\ndef f():\n    from ..publish.build import run\n"
            "import pkg.claims.ledger\nfrom .. import config\nimport pkg\n",
            "numbers.py": "from .data import fai\n",
            "extra.py": "",
            "present/charts.py": "",
        },
    )
    found = stage_violations(root)
    assert [f.split(" (")[0] for f in found] == [
        "pkg/data/bad.py:1 imports pkg.present.charts",
        "pkg/data/bad.py:3 imports pkg.publish.build",
        "pkg/data/bad.py:4 imports pkg.claims.ledger",
        "pkg/data/bad.py:6 imports pkg",
        "pkg/extra.py: neither a stage",
        "pkg/numbers.py:1 imports pkg.data",
    ]


def test_the_private_check_finds_imported_and_attribute_private_names(tmp_path):
    root = _package(
        tmp_path,
        {
            "data/loaders.py": "def _frame(): ...\ndef frame(): ...\n_REGISTRY = {}\n",
            "analysis/a.py": "from ..data.loaders import _frame, frame\n",
            "analysis/b.py": "from ..data import loaders\nx = loaders._REGISTRY\ny = loaders.frame\n",
            "analysis/c.py": "import pkg.data.loaders as ld\ndef f():\n    return ld._frame()\n",
        },
    )
    assert private_imports(root) == [
        "pkg/analysis/a.py:1 imports _frame from pkg.data.loaders",
        "pkg/analysis/b.py:2 uses _REGISTRY of pkg.data.loaders",
        "pkg/analysis/c.py:3 uses _frame of pkg.data.loaders",
    ]


def test_the_cycle_check_finds_a_cycle_through_module_level_imports_only(tmp_path):
    root = _package(
        tmp_path,
        {
            "claims/x.py": "from . import y\n",
            "claims/y.py": "from .z import thing\n",
            "claims/z.py": "from .x import other\n",
            # a function-level or type-only import is not a cycle
            "present/p.py": "from . import q\n",
            "present/q.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import p\n"
            "def f():\n    from . import p\n",
        },
    )
    assert import_cycles(root) == [["pkg.claims.x", "pkg.claims.y", "pkg.claims.z"]]


def test_the_lazy_check_finds_getattr_lazy_py_and_import_hooks(tmp_path):
    root = _package(
        tmp_path,
        {
            "lazy.py": "",
            "data/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
            "present/__init__.py": "from ..lazy import submodules\n__getattr__ = submodules(__name__)\n",
            "__init__.py": "import sys\nsys.meta_path.insert(0, object())\n",
        },
    )
    assert lazy_machinery(root) == [
        "pkg/__init__.py:2 touches sys.meta_path",
        "pkg/data/__init__.py:1 defines a module-level __getattr__",
        "pkg/lazy.py: a lazy-import module",
        "pkg/present/__init__.py:2 defines a module-level __getattr__",
    ]


def test_the_name_check_finds_duplicates_unbound_names_and_submodule_names(tmp_path):
    root = _package(
        tmp_path,
        {
            "data/cache.py": "def cache(): ...\n",
            "data/__init__.py": "from .cache import cache\n__all__ = ['cache', 'cache', 'missing']\n",
            "analysis/__init__.py": "from .x import *\n",
        },
    )
    assert name_collisions(root) == [
        "data: cache twice in __all__",
        "data: missing in __all__ is not bound in __init__.py",
        "data: cache is both a public name and a submodule",
        "analysis: no literal __all__",
    ]


def test_the_import_check_finds_a_heavy_library_loaded_on_import(tmp_path):
    root = _package(tmp_path, {"__init__.py": "from . import data\n", "data/__init__.py": "import fakeheavy\n"})
    (tmp_path / "fakeheavy.py").write_text("", encoding="utf-8")
    assert heavy_imports(root, heavy=("fakeheavy", "json_is_not_imported_either")) == ["fakeheavy"]
