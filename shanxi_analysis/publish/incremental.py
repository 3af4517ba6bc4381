"""Incremental builds: what determines a notebook's output, as one key, and which notebooks need to run.

A notebook execution is keyed by the sha256 of

* the notebook **without outputs** (cell types, sources and tags, and its ``shanxi_analysis`` metadata),
* the **parameters** and the names of the notebooks of its report set (the page links to them) and the formats,
* the **data manifest** (``data/datapackage.json``: the sha256 of every raw file),
* the **package** (every file of ``shanxi_analysis``, compiled files excepted: its code, the Jinja templates
  of ``present/templates`` and ``publish/templates``, the claim rules ``claims/definitions.yml``, any package
  data), so an edit to a rule or a template is never served as "up to date",
* the **locked requirements** (``requirements.txt``; outside a checkout, every installed distribution's version),
* the **page template** (``templates/report/``).

:func:`decide` compares the keys of a report set with its last good ``build.json``: every key equal (and every
file still there) means "up to date", nothing runs; otherwise only the notebooks whose key differs run, the others
are reused from the last good build.  This is the one place that decides what runs, whatever back-end runs it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import config

PACKAGE_DIR = Path(__file__).resolve().parents[1]
PAGE_TEMPLATE_DIR = PACKAGE_DIR / "publish" / "templates" / "report"
REQUIREMENTS = config.PROJ_ROOT / "requirements.txt"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree_digest(folder: Path, patterns: Iterable[str] = ("**/*",)) -> str:
    """sha256 over the relative paths and bytes of the files under ``folder`` matching ``patterns`` (compiled
    ``__pycache__``/``*.pyc`` files excepted)."""
    h = hashlib.sha256()
    files = sorted(
        {
            p
            for pat in patterns
            for p in folder.glob(pat)
            if p.is_file() and "__pycache__" not in p.relative_to(folder).parts and p.suffix not in (".pyc", ".pyo")
        }
    )
    for p in files:
        h.update(p.relative_to(folder).as_posix().encode() + b"\0" + _sha(p.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def requirements_digest(path: Path = REQUIREMENTS) -> str:
    """The locked requirements file, or (installed without a checkout) every distribution and its version."""
    try:
        return _sha(path.read_bytes())
    except OSError:
        dists = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
        return _sha("\n".join(dists).encode())


@dataclass(frozen=True)
class Inputs:
    """The digests shared by every notebook of a batch (computed once, before anything runs)."""

    manifest: str
    code: str
    requirements: str
    template: str

    @classmethod
    def current(
        cls, *, code_dir: Path = PACKAGE_DIR, template_dir: Path = PAGE_TEMPLATE_DIR, requirements: Path = REQUIREMENTS
    ) -> Inputs:
        try:
            manifest = _sha(config.manifest_path().read_bytes())
        except OSError:
            manifest = "missing"
        return cls(manifest, tree_digest(code_dir), requirements_digest(requirements), tree_digest(template_dir))


def notebook_digest(path: Path) -> str:
    """sha256 of a notebook without outputs: cell types, sources and tags, and its report metadata."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = []
    for c in nb.get("cells", []):
        src = c.get("source", "")
        cells.append(
            [
                c.get("cell_type"),
                "".join(src) if isinstance(src, list) else src,
                sorted((c.get("metadata") or {}).get("tags", [])),
            ]
        )
    meta = (nb.get("metadata") or {}).get("shanxi_analysis")
    return _sha(json.dumps([cells, meta], sort_keys=True, ensure_ascii=False).encode())


def notebook_key(
    notebook: Path,
    parameters: dict[str, Any],
    notebooks: Sequence[Path],
    formats: Sequence[str],
    inputs: Inputs,
    digests: dict[Path, str] | None = None,
) -> str:
    """The key of one notebook execution (see the module docstring)."""
    digest = digests[notebook] if digests is not None and notebook in digests else notebook_digest(notebook)
    doc = {
        "notebook": digest,
        "name": notebook.name,
        "parameters": parameters,
        "set": [p.name for p in notebooks],
        "formats": sorted(formats),
        "manifest": inputs.manifest,
        "code": inputs.code,
        "requirements": inputs.requirements,
        "template": inputs.template,
    }
    return _sha(json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str).encode())


@dataclass
class Decision:
    """What to do with one report set: the key of every notebook and which ones the last good build provides."""

    keys: dict[str, str]
    reuse: set[str] = field(default_factory=set)

    @property
    def up_to_date(self) -> bool:
        return bool(self.keys) and self.reuse == set(self.keys)

    @property
    def to_run(self) -> list[str]:
        return [n for n in self.keys if n not in self.reuse]


def reusable(published: dict | None, folder: Path, keys: dict[str, str]) -> set[str]:
    """The notebooks whose key equals the one in a published good ``build.json`` and whose files all exist."""
    if not published or published.get("status") != "ok":
        return set()
    out = set()
    for rec in published.get("notebooks", []):
        name = rec.get("notebook")
        if (
            name in keys
            and rec.get("key") == keys[name]
            and rec.get("status") == "ok"
            and all((folder / f).is_file() for f in (rec.get("files") or {}).values())
        ):
            out.add(name)
    return out


def decide(
    jobs: Sequence[Any],
    out: Path,
    formats: Sequence[str],
    *,
    force: bool = False,
    inputs: Inputs | None = None,
    build_file: str = "build.json",
) -> list[Decision]:
    """One :class:`Decision` per job: keys of its notebooks, and (unless ``force``) what the last good build of
    the same parameters under ``out`` provides unchanged."""
    inputs = inputs or Inputs.current()
    digests = {nb: notebook_digest(nb) for job in jobs for nb in job.notebooks}
    decisions = []
    for job in jobs:
        keys = {
            nb.name: notebook_key(nb, job.notebook_parameters(nb), job.notebooks, formats, inputs, digests)
            for nb in job.notebooks
        }
        reuse: set[str] = set()
        if not force:
            folder = out / job.key
            try:
                published = json.loads((folder / build_file).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                published = None
            reuse = reusable(published, folder, keys)
        decisions.append(Decision(keys, reuse))
    return decisions
