"""The dataset cache is keyed on the content of the data stage's code: no code change can serve stale numbers.

Issue 18: the key used to be a hand-kept list of files that missed the raw-CSV parser, so after a change in how
numbers are parsed a warm cache still served the old values (rounding in the parser: 10.6 from the cache, 11.0
without).  These tests edit a temporary copy of the stage, never the package in use.
"""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

import shanxi_analysis as sa
from shanxi_analysis.data import cache, raw

PACKAGE = Path(sa.__file__).resolve().parent


@pytest.fixture
def package_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the files the cache key covers (``shanxi_analysis/data/`` and the neutral modules), made the
    package whose code keys the cache, with an empty cache folder of its own."""
    dst = tmp_path / "shanxi_analysis"
    shutil.copytree(PACKAGE / cache.STAGE_DIR, dst / cache.STAGE_DIR, ignore=shutil.ignore_patterns("__pycache__"))
    for module in cache.NEUTRAL_MODULES:
        shutil.copy2(PACKAGE / module, dst / module)
    monkeypatch.setattr(cache, "PACKAGE_DIR", dst)
    monkeypatch.setenv("SHANXI_ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SHANXI_ANALYSIS_CACHE", raising=False)
    cache._code_hash.cache_clear()
    sa.data.clear_cache()
    yield dst
    cache._code_hash.cache_clear()
    sa.data.clear_cache()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_key_covers_every_module_of_the_stage_and_the_neutral_modules():
    files = {f.relative_to(PACKAGE).as_posix() for f in cache.code_files(PACKAGE)}
    modules = {f.relative_to(PACKAGE).as_posix() for f in (PACKAGE / "data").rglob("*.py")}
    assert modules <= files
    assert {"data/raw.py", "data/datasets.py", "config.py", "errors.py"} <= files
    assert not any("__pycache__" in f for f in files)


def test_the_stage_imports_no_top_level_module_outside_the_key():
    """What the data stage imports from the package is keyed: stage modules (all keyed) and the neutral ones."""
    neutral = {Path(m).stem for m in cache.NEUTRAL_MODULES} | {"__version__"}  # the version is in the key too
    outside = []
    for path in sorted((PACKAGE / "data").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:  # from .. import x / from ..x import y
                names = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                outside += [f"{path.name}: {n}" for n in names if n not in neutral]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                outside += [f"{path.name}: {m}" for m in mods if m.startswith("shanxi_analysis")]
    assert outside == [], "the data stage imports package code its cache key does not cover"


def test_changing_any_file_of_the_stage_changes_the_key_and_rebuilds(package_copy):
    """Each file of the key, edited in the copy, gives a new key; a dataset cached under the old key is then
    rebuilt, and cached under the new one."""
    builds = []

    def build() -> pd.DataFrame:
        builds.append(1)
        return sa.data.read_frame("cny_per_usd")

    def load() -> pd.DataFrame:
        return cache.load_or_build("probe", build)

    keys = {cache._code_hash()}
    load()
    load()
    assert len(builds) == 1  # the second load is served from the disk cache
    files = cache.code_files(package_copy)
    assert len(files) >= 12
    for path in files:
        path.write_bytes(path.read_bytes() + b"\n# edited\n")
        cache._code_hash.cache_clear()
        key = cache._code_hash()
        assert key not in keys, f"editing {path.relative_to(package_copy)} did not change the cache key"
        keys.add(key)
        n = len(builds)
        load()
        assert len(builds) == n + 1, f"editing {path.relative_to(package_copy)} did not rebuild the dataset"
        load()
        assert len(builds) == n + 1


def test_the_key_is_computed_once_per_process(package_copy):
    first = cache._code_hash()
    _edit(package_copy / "data" / "raw.py", "return float(value)", "return float(value)  # edited")
    assert cache._code_hash() == first  # files are hashed once, not on every load
    cache._code_hash.cache_clear()
    assert cache._code_hash() != first


def _shanxi_2020() -> float:
    fai = sa.data.fai_growth()
    return float(fai.loc[(fai["province"] == "Shanxi") & (fai["year"] == 2020), "fai_growth_pct"].iloc[0])


def test_a_parser_change_is_not_served_from_a_warm_cache(package_copy, monkeypatch):
    """The reproduction of issue 18: round numbers in the raw-CSV parser; the warm cache must not serve 10.6."""
    assert _shanxi_2020() == 10.6  # builds and warms the cache
    raw_py = package_copy / "data" / "raw.py"
    original = raw_py.read_text(encoding="utf-8")
    _edit(raw_py, "return float(value)", "return float(round(float(value)))")
    # the edited parser runs in place of the package's (imported from the copy, as the stage's own module)
    spec = importlib.util.spec_from_file_location("shanxi_analysis.data._edited_raw", raw_py)
    assert spec is not None and spec.loader is not None
    edited = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, edited)
    spec.loader.exec_module(edited)
    monkeypatch.setattr(raw, "_convert", edited._convert)
    cache._code_hash.cache_clear()  # a new process: the key is computed afresh, nothing is in memory
    sa.data.clear_cache()
    assert _shanxi_2020() == 11.0
    # with the key of the unedited code the warm cache serves the stale figure: the test sees the bug it guards
    raw_py.write_text(original, encoding="utf-8")
    cache._code_hash.cache_clear()
    sa.data.clear_cache()
    assert _shanxi_2020() == 10.6


@pytest.mark.e2e
def test_an_edit_to_the_manifests_words_alone_is_not_served_from_a_warm_cache(data_copy):
    """A dataset's ``attrs["sources"]`` carries the manifest's title (in English and Chinese) of each raw file: a
    corrected title, with the file unchanged, must reach the dataset although its numbers are cached."""
    import json

    before = sa.data.fai_growth()  # built, and cached
    titles = {s["resource"]: s["title_zh"] for s in before.attrs["sources"]}
    assert titles.get("nbs_fai_growth_by_province")
    path = data_copy.root / "datapackage.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    entry = next(r for r in manifest["resources"] if r["name"] == "nbs_fai_growth_by_province")
    entry["title_zh"] = "更正后的标题"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    sa.data.clear_cache()  # the in-memory cache only: the disk cache is warm
    after = sa.data.fai_growth()
    assert {s["resource"]: s["title_zh"] for s in after.attrs["sources"]}[
        "nbs_fai_growth_by_province"
    ] == "更正后的标题"
    pd.testing.assert_frame_equal(after, before)  # the numbers themselves unchanged
