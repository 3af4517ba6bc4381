"""The index page of a reports folder: its data (every report set, good or failed) and its rendering from the
Jinja2 template ``templates/index.html.j2`` with autoescaping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..templating import render
from .planning import ARTICLE, ARTICLE_DIR, BUILD_FILE, FAILED_DIR, INDEX_FILE
from .staging import lock, write_atomic

TEMPLATES = Path(__file__).with_name("templates")
INDEX_TEMPLATE = "index.html.j2"


def read_json(path: Path) -> dict | None:
    """The JSON object in ``path`` (a ``build.json``), or None when it is missing or not valid JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


Key = tuple[int, str] | str  # (year, province) for a province story, ARTICLE for the article check


def _collect(out: Path) -> tuple[dict[Key, dict], dict[Key, list[dict]]]:
    """Every published ``build.json`` (latest good per key) and every kept failed attempt, by key."""
    good: dict[Key, dict] = {}
    failed: dict[Key, list[dict]] = {}

    def key(rec: dict) -> Key:
        if rec.get("kind") == ARTICLE:
            return ARTICLE
        return int(rec["parameters"]["year"]), rec["parameters"]["province"]

    for path in [*out.glob(f"[0-9]*/*/{BUILD_FILE}"), out / ARTICLE_DIR / BUILD_FILE]:
        rec = read_json(path) if path.is_file() else None
        if rec and rec.get("status") == "ok":
            rec["_dir"] = path.parent.relative_to(out).as_posix()
            good[key(rec)] = rec
    for path in [
        *out.glob(f"{FAILED_DIR}/[0-9]*/*/*/{BUILD_FILE}"),
        *out.glob(f"{FAILED_DIR}/{ARTICLE_DIR}/*/{BUILD_FILE}"),
    ]:
        rec = read_json(path)
        if rec:
            rec["_dir"] = path.parent.relative_to(out).as_posix()
            failed.setdefault(key(rec), []).append(rec)
    return good, failed


def _pages(rec: dict) -> list[dict[str, Any]]:
    """The pages of a report: name, href of the main file, other formats, in notebook order."""
    base = rec["_dir"]
    pages = []
    for nb in rec.get("notebooks", []):
        files = nb.get("files", {})
        main = files.get("html") or files.get("ipynb")
        if not main:
            continue
        pages.append(
            {
                "name": Path(nb["notebook"]).stem,
                "href": f"{base}/{main}",
                "number": Path(nb["notebook"]).stem.split("-", 1)[0],
                "extra": [
                    {"format": k, "href": f"{base}/{files[k]}"}
                    for k in ("ipynb", "pdf")
                    if k in files and files[k] != main
                ],
            }
        )
    return pages


def _entry(key: Key, good: dict | None, fails: list[dict]) -> dict[str, Any]:
    """What the index shows for one report: status, pages of the last good build, the failed latest attempt."""
    fails = sorted(fails, key=lambda r: r.get("finished", ""))
    last_fail = (
        fails[-1] if fails and (good is None or fails[-1].get("finished", "") > good.get("finished", "")) else None
    )
    rec = last_fail or good
    assert rec is not None, key  # _collect found a good or a failed build for every key
    label = "The China Daily article check" if key == ARTICLE else f"{key[1]}, {key[0]}"
    return {
        "label": label,
        "status": "failed" if last_fail else "ok",
        "finished": str(rec.get("finished", "")).replace("T", " ").replace("+00:00", " UTC"),
        "seconds": float(rec.get("seconds") or 0),
        "pages": _pages(good) if good else [],
        "build_json": f"{good['_dir']}/{BUILD_FILE}" if good else None,
        "good_finished": str(good.get("finished", "")) if good else None,
        "errors": list(last_fail.get("failures", [])) if last_fail else [],
        "kept": last_fail["_dir"] if last_fail else None,
    }


def index_data(out_dir: Path | str) -> dict[str, Any]:
    """What ``index.html`` shows, from every ``build.json`` under ``out_dir``: the article check, the grid of
    province stories (provinces x years), failed latest attempts, and how the latest build was made."""
    out = Path(out_dir)
    good, failed = _collect(out)
    keys = set(good) | set(failed)
    article = _entry(ARTICLE, good.get(ARTICLE), failed.get(ARTICLE, [])) if ARTICLE in keys else None
    stories = {k: _entry(k, good.get(k), failed.get(k, [])) for k in keys if isinstance(k, tuple)}  # not ARTICLE
    years = sorted({k[0] for k in stories})
    provinces = sorted({k[1] for k in stories})
    grid = [{"province": p, "cells": [stories.get((y, p)) for y in years]} for p in provinces]
    failures = [e for k, e in sorted(stories.items(), key=lambda kv: (-kv[0][0], kv[0][1])) if e["status"] == "failed"]
    if article and article["status"] == "failed":
        failures.insert(0, article)
    latest = max(
        list(good.values()) + [r for rs in failed.values() for r in rs],
        key=lambda r: r.get("finished", ""),
        default=None,
    )
    return {
        "article": article,
        "years": years,
        "grid": grid,
        "failures": failures,
        "n_good": sum(1 for k in good if k != ARTICLE),
        "made": _how_made(latest, good) if latest else None,
    }


def _how_made(latest: dict, good: dict) -> dict[str, Any]:
    prov = latest.get("provenance", {})
    dm = prov.get("data_manifest", {})
    differ = [
        ("the article check" if k == ARTICLE else f"{k[1]} {k[0]}")
        for k, r in good.items()
        if r.get("provenance", {}).get("data_manifest", {}).get("sha256") != dm.get("sha256")
        or r.get("provenance", {}).get("version") != prov.get("version")
    ]
    what = (
        "the article check"
        if latest.get("kind") == ARTICLE
        else f"{latest['parameters']['province']}, {latest['parameters']['year']}"
    )
    return {
        "what": what,
        "finished": str(latest.get("finished", "")),
        "version": str(prov.get("version")),
        "command": " ".join(prov.get("command") or []) or "(called from Python)",
        "timeout": latest.get("timeout_per_cell"),
        "libraries": {"python": prov.get("python", ""), **prov.get("libraries", {})},
        "manifest_path": str(dm.get("path", "")),
        "manifest_sha256": str(dm.get("sha256", "")),
        "resources": dict(dm.get("resources", {})),
        "differ": differ,
    }


def render_index(out_dir: Path | str) -> str:
    """The HTML of ``index.html`` from every ``build.json`` under ``out_dir`` (pure apart from reading them).

    Rendered with the Jinja2 template ``templates/index.html.j2`` with autoescaping on, so no text from a
    ``build.json`` (an error message, a command line) can become markup.
    """
    return render(TEMPLATES, INDEX_TEMPLATE, **index_data(out_dir), build_file=BUILD_FILE)


def write_index(out_dir: Path | str, *, locked: bool = False) -> Path:
    """Regenerate ``index.html`` from every ``build.json``, under the lock, via a temporary file."""
    out = Path(out_dir)
    path = out / INDEX_FILE
    if locked:
        write_atomic(path, render_index(out))
    else:
        with lock(out):
            write_atomic(path, render_index(out))
    return path
