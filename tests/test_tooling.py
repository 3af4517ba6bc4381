"""Project tooling: requirements.txt follows pyproject.toml (what ``make lock`` keeps true), the version has one
home, and the nbstripout hook keeps what papermill and the report builder read from a notebook."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENTS = ROOT / "requirements.txt"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]


def _pins() -> tuple[dict[str, str], list[str]]:
    """requirements.txt as {canonical name: pinned version} and its other (non-comment) lines."""
    pins: dict[str, str] = {}
    other: list[str] = []
    for raw in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if m:
            pins[canonicalize_name(m.group(1))] = m.group(2)
        else:
            other.append(line)
    return pins, other


def _declared() -> dict[str, list[Requirement]]:
    """pyproject's dependencies by group: 'runtime' and each optional-dependencies group."""
    project = _project()
    groups = {"runtime": project["dependencies"], **project.get("optional-dependencies", {})}
    return {group: [Requirement(r) for r in reqs] for group, reqs in groups.items()}


def test_pyproject_has_the_dependency_groups_of_the_lock():
    groups = _declared()
    assert {"runtime", "lab", "test", "dev"} <= set(groups)
    for group, reqs in groups.items():
        assert reqs, f"pyproject.toml: dependency group {group!r} is empty"


def test_every_pyproject_dependency_is_pinned_in_requirements_and_the_pin_satisfies_it():
    pins, _ = _pins()
    problems = []
    for group, reqs in _declared().items():
        for req in reqs:
            name = canonicalize_name(req.name)
            if name not in pins:
                problems.append(f"{req} ({group}) is not pinned in requirements.txt")
            elif not req.specifier.contains(pins[name], prereleases=True):
                problems.append(f"{req} ({group}) is pinned as {pins[name]}, outside its range")
    assert not problems, "requirements.txt is out of date with pyproject.toml; run `make lock`:\n" + "\n".join(problems)


def test_requirements_pins_exactly_and_installs_the_package_itself():
    pins, other = _pins()
    assert len(pins) > len([r for reqs in _declared().values() for r in reqs]), "transitive pins are missing"
    # Every line is an exact pin except the editable install of this checkout, which `make venv` relies on.
    assert other == ["-e ."], f"requirements.txt lines that are not exact pins: {other}"
    assert canonicalize_name(_project()["name"]) not in pins


def test_version_is_declared_in_pyproject_only():
    project = _project()
    assert re.fullmatch(r"\d+(\.\d+)*", project["version"])
    assert "version" not in project.get("dynamic", [])
    assert not (ROOT / "setup.py").exists() and not (ROOT / "setup.cfg").exists()
    literal = re.compile(rf"""["']{re.escape(project["version"])}["']""")
    files = [*(ROOT / "shanxi_analysis").rglob("*.py"), *(ROOT / "scripts").glob("*.py"), ROOT / "Makefile"]
    hard_coded = [str(p.relative_to(ROOT)) for p in files if literal.search(p.read_text(encoding="utf-8"))]
    assert not hard_coded, f"a version literal outside pyproject.toml: {hard_coded}"


def test_installed_version_is_the_pyproject_version():
    import shanxi_analysis as sa

    assert sa.__version__ == _project()["version"]


def test_an_uninstalled_checkout_reports_an_unknown_version():
    # The package imported where no installed metadata names it (a bare checkout on sys.path).
    code = (
        "import importlib.metadata as m\n"
        "real = m.version\n"
        "def version(name):\n"
        "    if name.replace('_', '-') == 'shanxi-analysis':\n"
        "        raise m.PackageNotFoundError(name)\n"
        "    return real(name)\n"
        "m.version = version\n"
        "import shanxi_analysis as sa\n"
        "print(sa.__version__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0+unknown"]


def _nbstripout_args() -> list[str]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "nbstripout"]
    assert len(hooks) == 1, ".pre-commit-config.yaml should have one nbstripout hook"
    entry = hooks[0]["entry"].split()
    assert Path(entry[0]).name == "nbstripout"
    return entry[1:] + hooks[0].get("args", [])


@pytest.mark.e2e
def test_nbstripout_hook_returns_executed_notebooks_to_their_committed_form(tmp_path):
    targets = []
    for path in NOTEBOOKS:
        committed = json.loads(path.read_text(encoding="utf-8"))
        executed = copy.deepcopy(committed)
        executed["metadata"]["widgets"] = {"state": {}}
        n = 0
        for cell in executed["cells"]:
            if cell["cell_type"] == "code":
                n += 1
                cell["execution_count"] = n
                cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["made-up output\n"]}]
                cell["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
        assert n, f"{path.name} has no code cell"
        target = tmp_path / path.name
        target.write_text(json.dumps(executed, ensure_ascii=False, indent=1), encoding="utf-8")
        targets.append(target)

    subprocess.run(
        [sys.executable, "-m", "nbstripout", *_nbstripout_args(), *map(str, targets)], check=True, timeout=120
    )  # one run over every notebook, as the pre-commit hook is called

    for path, target in zip(NOTEBOOKS, targets, strict=True):
        committed = json.loads(path.read_text(encoding="utf-8"))
        stripped = json.loads(target.read_text(encoding="utf-8"))
        # What the report builder and papermill read: the notebook's shanxi_analysis metadata, the parameters tag,
        # the cell ids; and no outputs are left.
        assert "shanxi_analysis" in stripped["metadata"], path.name
        assert any("parameters" in (c["metadata"].get("tags") or []) for c in stripped["cells"]), path.name
        assert stripped == committed, path.name


@pytest.mark.e2e
def test_an_xdist_group_runs_on_one_worker(tmp_path):
    """``make test`` runs ``pytest -n 2 --dist loadgroup``: every test of the shared build's group must go to one
    worker, or both workers wait for the same build (pytest 9.2 with pytest-xdist 3.8 silently spread groups)."""
    (tmp_path / "test_grouped.py").write_text(
        "import pytest\n"
        "GROUP = pytest.mark.xdist_group('together')\n"
        + "".join(f"@GROUP\ndef test_in_group_{i}():\n    pass\n\n" for i in range(4))
        + "".join(f"def test_free_{i}():\n    pass\n\n" for i in range(4)),
        encoding="utf-8",
    )
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout[-2000:]
    workers = re.findall(r"\[(gw\d)\].*test_in_group_\d", res.stdout)
    assert len(workers) == 4 and len(set(workers)) == 1, res.stdout[-2000:]
