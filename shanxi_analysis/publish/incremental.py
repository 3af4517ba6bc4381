"""Incremental builds: what determines a notebook's output, as one key, and which notebooks need to run.

A notebook execution is keyed by the sha256 of

* the notebook **without outputs** (cell types, sources and tags, and its ``shanxi_analysis`` metadata),
* the **parameters** and the names of the notebooks of its report set (the page links to them) and the formats,
* the **package** (every file of ``shanxi_analysis``, compiled files excepted: its code, the Jinja templates
  of ``present/templates`` and ``publish/templates``, the claim rules ``claims/definitions.yml``, any package
  data), so an edit to a rule or a template is never served as "up to date",
* the **locked requirements** (``requirements.txt``; outside a checkout, every installed distribution's version),
* the **page template** (``templates/report/``).

and, apart from the key, by the **raw data files the notebook read** when it last ran, each with its
:func:`~shanxi_analysis.data.resource_key` (the file's sha256 in the manifest and a digest of its manifest record):
the engine asks the kernel after each notebook (:data:`INPUTS_KEY` in ``build.json``), so a corrected raw file
rebuilds only the notebooks that read it, not every report set.  A notebook that declares it reads a dataset only
through some of its parts (metadata ``shanxi_analysis.reads``, :mod:`shanxi_analysis.analysis.views`) is rebuilt
when one of those parts changed, not whenever a raw file behind the dataset did: the kernel also answers with the
parts' keys and the raw files it read other than through them (:data:`VIEWS_KEY`, :func:`session_inputs`), so a
corrected value of Hubei's 2020 growth rebuilds the pages of 2020, of Hubei and of those whose record it moves.

:func:`decide` compares the keys of a report set with its last good ``build.json``: every key equal, every input
unchanged (and every file still there) means "up to date", nothing runs; otherwise only the notebooks whose key or
inputs differ run, the others are reused from the last good build, and :attr:`Decision.reasons` says why each runs
(``report --explain`` prints them).  This is the one place that decides what runs, whatever back-end runs it.
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

#: The key under which a notebook's record in ``build.json`` (and the executed notebook's metadata) lists the raw
#: files it read, ``{name: resource key}``.
INPUTS_KEY = "shanxi_analysis_inputs"
#: The key under which a notebook's record lists the parts of datasets it declared it reads, with their keys
#: (``views``), and the raw files whose change reruns it whatever those parts (``watched``): see :func:`session_inputs`.
VIEWS_KEY = "shanxi_analysis_views"

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

    code: str
    requirements: str
    template: str

    @classmethod
    def current(
        cls, *, code_dir: Path = PACKAGE_DIR, template_dir: Path = PAGE_TEMPLATE_DIR, requirements: Path = REQUIREMENTS
    ) -> Inputs:
        return cls(tree_digest(code_dir), requirements_digest(requirements), tree_digest(template_dir))


def session_inputs(reads: dict[str, list[str]], province: Any = None, year: Any = None) -> dict[str, Any]:
    """What the code run in this process since :func:`shanxi_analysis.data.forget_session_reads` read (the engine
    asks a kernel after each notebook): ``files``, every raw file read, with its resource key; ``views``, each part
    of a dataset of ``reads`` (a notebook's declaration, with its parameters ``province`` and ``year``) the code
    read, with its :func:`~shanxi_analysis.analysis.view_key`; ``watched``, the raw files whose change reruns the
    notebook whatever its parts: those read directly (a province's name looked up) or through a dataset not in
    ``reads``."""
    from .. import analysis, data

    files, datasets, watched = data.session_reads(), data.session_datasets(), dict.fromkeys(data.direct_reads())
    for dataset, used in datasets.items():
        if dataset not in reads:
            watched.update(dict.fromkeys(used))
    declared = {d: parts for d, parts in reads.items() if d in datasets}
    frames: dict[str, Any] = {}
    views = {}
    for name in analysis.view_names(declared, province, year):
        # the same part of the same data, asked again by a later notebook in this kernel: computed once
        memo = (name, tuple(data.resource_key(f) for f in (*datasets[name.split("[", 1)[0]], *PROVINCE_FILES)))
        if memo not in _VIEW_MEMO:
            if len(_VIEW_MEMO) >= VIEW_MEMO_SIZE:
                _VIEW_MEMO.clear()
            _VIEW_MEMO[memo] = analysis.view_key(name, _frames_for(name, frames))
        views[name] = _VIEW_MEMO[memo]
    return {"files": files, "views": views, "watched": list(watched)}


def _frames_for(name: str, frames: dict[str, Any]) -> dict[str, Any]:
    """``frames`` with the dataset of the part ``name`` and the provinces loaded (once), for
    :func:`~shanxi_analysis.analysis.view_key`."""
    from .. import data

    dataset = name.split("[", 1)[0]
    if dataset not in frames:
        frames[dataset] = data.LOADERS[dataset]()
    if "provinces" not in frames:
        frames["provinces"] = data.provinces()
    return frames


#: The raw files a part's rows depend on besides its dataset's: the provinces and their regions.
PROVINCE_FILES = ("provinces", "province_aliases")
#: Keys of parts already computed in this process, by part and the resource keys of the files it was made from.
_VIEW_MEMO: dict[tuple[str, tuple[str, ...]], str] = {}
#: At most this many remembered (about 200 bytes each); then forgotten all at once.
VIEW_MEMO_SIZE = 20_000


def merged_inputs(shared: dict[str, Any] | None, metadata: dict[str, Any]) -> dict[str, Any]:
    """A notebook's record of what it read (:data:`INPUTS_KEY`, :data:`VIEWS_KEY`), from an executed notebook's
    ``metadata``, with what the run it continued from read (``shared``: that run's record, or None); parts are
    recorded only if both runs recorded them (otherwise every raw file read counts)."""
    out: dict[str, Any] = {INPUTS_KEY: {**(shared or {}).get(INPUTS_KEY, {}), **dict(metadata.get(INPUTS_KEY) or {})}}
    mine, theirs = metadata.get(VIEWS_KEY), {} if shared is None else shared.get(VIEWS_KEY)
    if mine is not None and theirs is not None:
        out[VIEWS_KEY] = {
            "views": {**dict(theirs.get("views") or {}), **dict(mine.get("views") or {})},
            "watched": list(dict.fromkeys([*(theirs.get("watched") or []), *(mine.get("watched") or [])])),
        }
    return out


class ViewKeys:
    """The keys of parts of datasets in the data as it is now, each computed once (for every set of a build)."""

    def __init__(self) -> None:
        self.frames: dict[str, Any] = {}
        self.keys: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        """The key of the part ``name``, or None if it cannot be computed (the data is broken: the notebook runs and
        says why)."""
        if name not in self.keys:
            from .. import analysis

            try:
                self.keys[name] = analysis.view_key(name, _frames_for(name, self.frames))
            except Exception:  # noqa: BLE001 - as for a raw file whose key cannot be read
                self.keys[name] = None
        return self.keys[name]


def data_changes(
    recorded: dict[str, str], views: dict[str, Any] | None = None, view_keys: ViewKeys | None = None
) -> list[str]:
    """What a notebook read that is now different, in words: the raw files among ``recorded`` (name -> resource key
    when the notebook ran) whose key changed, or that the manifest no longer lists or cannot be read for.  With
    ``views`` (its :data:`VIEWS_KEY` record), only its ``watched`` raw files count, and each part of ``views`` whose
    key (``view_keys``) changed."""
    from .. import analysis
    from ..data import resource_key

    watched = recorded if views is None else {n: recorded.get(n) for n in views.get("watched", [])}
    changed = []
    for name, key in watched.items():
        try:
            now = resource_key(name)
        except Exception:  # noqa: BLE001 - a broken or missing manifest entry: the notebook runs and says why
            now = None
        if now != key:
            changed.append(name)
    if views is not None:
        view_keys = view_keys or ViewKeys()
        changed += [analysis.describe_view(n) for n, key in views.get("views", {}).items() if view_keys(n) != key]
    return changed


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


#: What each part of a key is, in the words ``--explain`` uses when it changed.
KEY_PARTS = {
    "notebook": "the notebook's cells changed",
    "name": "the notebook was renamed",
    "parameters": "its parameters changed",
    "set": "the notebooks of its set changed",
    "formats": "the formats changed",
    "code": "the package's code, templates or rules changed",
    "requirements": "the locked requirements changed",
    "template": "the page template changed",
}


def key_parts(
    notebook: Path,
    parameters: dict[str, Any],
    notebooks: Sequence[Path],
    formats: Sequence[str],
    inputs: Inputs,
    digests: dict[Path, str] | None = None,
) -> dict[str, Any]:
    """What one notebook execution's key is made of (the keys of :data:`KEY_PARTS`)."""
    digest = digests[notebook] if digests is not None and notebook in digests else notebook_digest(notebook)
    return {
        "notebook": digest,
        "name": notebook.name,
        "parameters": parameters,
        "set": [p.name for p in notebooks],
        "formats": sorted(formats),
        "code": inputs.code,
        "requirements": inputs.requirements,
        "template": inputs.template,
    }


def parts_key(parts: dict[str, Any]) -> str:
    """The key of one notebook execution: sha256 of its :func:`key_parts`."""
    return _sha(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode())


def notebook_key(
    notebook: Path,
    parameters: dict[str, Any],
    notebooks: Sequence[Path],
    formats: Sequence[str],
    inputs: Inputs,
    digests: dict[Path, str] | None = None,
) -> str:
    """The key of one notebook execution (see the module docstring)."""
    return parts_key(key_parts(notebook, parameters, notebooks, formats, inputs, digests))


@dataclass
class Decision:
    """What to do with one report set: the key of every notebook and which ones the last good build provides."""

    keys: dict[str, str]
    reuse: set[str] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)
    """Why each notebook that is not reused runs, in words (``report --explain``)."""
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each notebook's :func:`key_parts`, recorded in ``build.json`` for the next build's reasons."""

    @property
    def up_to_date(self) -> bool:
        return bool(self.keys) and self.reuse == set(self.keys)

    @property
    def to_run(self) -> list[str]:
        return [n for n in self.keys if n not in self.reuse]


def why_not_reusable(
    rec: dict | None, folder: Path, key: str, parts: dict[str, Any], view_keys: ViewKeys | None = None
) -> str:
    """Why a notebook's last good record cannot be reused ("" when it can): what differs, in words."""
    if rec is None:
        return "no earlier good build of it"
    if rec.get("status") != "ok":
        return "its last build failed"
    if rec.get("key") != key:
        before = rec.get("key_parts") or {}
        changed = [KEY_PARTS[p] for p in KEY_PARTS if before and before.get(p) != parts.get(p)]
        return "; ".join(changed) or "its key changed (recorded before --explain kept the parts)"
    if INPUTS_KEY not in rec:
        return "the raw files it read were not recorded (built before they were)"
    changed_data = data_changes(rec.get(INPUTS_KEY) or {}, rec.get(VIEWS_KEY), view_keys)
    if changed_data:
        return "data it read changed: " + ", ".join(changed_data)
    missing = [f for f in (rec.get("files") or {}).values() if not (folder / f).is_file()]
    if missing:
        return "a published file is missing: " + ", ".join(missing)
    return ""


def reusable(published: dict | None, folder: Path, keys: dict[str, str]) -> set[str]:
    """The notebooks whose key equals the one in a published good ``build.json``, whose recorded raw files are
    unchanged and whose files all exist."""
    return set(keys) - set(_reasons(published, folder, keys, {}))


def _reasons(
    published: dict | None,
    folder: Path,
    keys: dict[str, str],
    parts: dict[str, dict[str, Any]],
    view_keys: ViewKeys | None = None,
) -> dict[str, str]:
    """Why each notebook of ``keys`` runs (absent: reused)."""
    if not published or published.get("status") != "ok":
        why = "no earlier good build of this set" if not published else "the last build of this set failed"
        return dict.fromkeys(keys, why)
    records = {rec.get("notebook"): rec for rec in published.get("notebooks", [])}
    out = {}
    for name, key in keys.items():
        why = why_not_reusable(records.get(name), folder, key, parts.get(name, {}), view_keys)
        if why:
            out[name] = why
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
    view_keys = ViewKeys()
    decisions = []
    for job in jobs:
        parts = {
            nb.name: key_parts(nb, job.notebook_parameters(nb), job.notebooks, formats, inputs, digests)
            for nb in job.notebooks
        }
        keys = {name: parts_key(p) for name, p in parts.items()}
        if force:
            reasons = dict.fromkeys(keys, "--force")
        else:
            folder = out / job.key
            try:
                published = json.loads((folder / build_file).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                published = None
            reasons = _reasons(published, folder, keys, parts, view_keys)
        decisions.append(Decision(keys, set(keys) - set(reasons), reasons, parts))
    return decisions


def explanation(label: str, decision: Decision) -> str:
    """One line (``report --explain``): the set and whether it is skipped, or which notebooks run and why; notebooks
    that run for the same reason are named together."""
    if decision.up_to_date:
        return f"skip   {label}: up to date (every notebook's key and the data it read are unchanged)"
    by_reason: dict[str, list[str]] = {}
    for name in decision.to_run:
        by_reason.setdefault(decision.reasons.get(name, "its key changed"), []).append(Path(name).stem)
    n = len(decision.keys)
    parts = [
        f"{'all ' + str(n) + ' notebooks' if len(names) == n else ', '.join(names)}: {why}"
        for why, names in by_reason.items()
    ]
    reused = f" ({len(decision.reuse)} reused)" if decision.reuse else ""
    return f"build  {label}{reused}: " + "; ".join(parts)
