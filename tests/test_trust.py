"""Trust: no wrong number, no live HTML, no traceback, whatever the cache, the data or the user does (issue 9).

Every fault is provoked for real on a private copy of ``data/`` (the ``data_copy`` fixture) with a private disk
cache: the cached files are forged, bit-flipped, truncated, swapped and replaced; raw files are given loose
number formats, cut short, re-encoded, replaced by folders; the manifest is pointed outside the data folder; the
command line is given bad timeouts, corrupt notebooks, a full and a read-only disk, SIGTERM and a concurrent run.
Expected values are read from the raw CSV files here, never from the code under test.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pickle
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import (
    GUARD,
    ROOT,
    alive,
    descendants,
    popen_cli,
    raw_rows,
    restore_env,
    run_cli,
    run_main,
    snapshot,
    write_notebook,
)

import shanxi_analysis as sa
from shanxi_analysis import publish
from shanxi_analysis.data import cache
from shanxi_analysis.errors import DataError, ParameterError

FAI = "nbs_fai_growth_by_province.csv"


# --------------------------------------------------------------------------------------------------- helpers
def raw_shanxi_2020(folder: Path) -> float:
    """Shanxi's 2020 FAI growth as written in the raw CSV."""
    hits = [r for r in raw_rows(FAI, folder) if r["indicator_name"].startswith("山西:") and r["year"] == "2020"]
    assert len(hits) == 1
    return float(hits[0]["fai_growth_pct"])


def shanxi_2020(df: pd.DataFrame) -> float:
    return float(df.loc[(df["province"] == "Shanxi") & (df["year"] == 2020), "fai_growth_pct"].iloc[0])


def warnings_in(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("shanxi-analysis: warning:")]


def cached_file(name: str) -> tuple[Path, Path]:
    """(index entry, Parquet file) of a cached dataset in the cache folder in use."""
    index = cache._index_path(name)
    meta = json.loads(index.read_text(encoding="utf-8"))
    return index, sa.data.cache_dir() / meta["file"]


def fresh(name: str) -> pd.DataFrame:
    """The dataset built without any disk cache (the reference)."""
    old = os.environ.get("SHANXI_ANALYSIS_CACHE")
    os.environ["SHANXI_ANALYSIS_CACHE"] = "0"
    try:
        sa.data.clear_cache()
        return getattr(sa.data, name)()
    finally:
        if old is None:
            del os.environ["SHANXI_ANALYSIS_CACHE"]
        else:
            os.environ["SHANXI_ANALYSIS_CACHE"] = old
        sa.data.clear_cache()


def load(name: str) -> pd.DataFrame:
    """A load through the disk cache (the memory cache cleared first)."""
    sa.data.clear_cache()
    return getattr(sa.data, name)()


def assert_same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a.attrs == b.attrs


def flip_random_bit(path: Path, seed: int) -> None:
    data = bytearray(path.read_bytes())
    bit = random.Random(seed).randrange(len(data) * 8)
    data[bit // 8] ^= 1 << (bit % 8)
    path.write_bytes(bytes(data))


def short_error(res: subprocess.CompletedProcess, max_lines: int = 3) -> list[str]:
    """The stderr of a failed command: no traceback, at most ``max_lines`` lines."""
    assert "Traceback" not in res.stderr, res.stderr
    lines = [x for x in res.stderr.splitlines() if x.strip() and not x.startswith("Building ")]
    assert 1 <= len(lines) <= max_lines, res.stderr
    return lines


# ============================================================================================ the disk cache
def test_cache_holds_parquet_and_json_only_and_no_pickle_anywhere(data_copy):
    for name in sa.data.available():
        load(name)
    files = sorted(sa.data.cache_dir().iterdir())
    assert {p.suffix for p in files} == {".parquet", ".json"}
    assert len([p for p in files if p.suffix == ".parquet"]) == len(sa.data.available())
    for p in files:
        if p.suffix == ".parquet":
            data = p.read_bytes()
            assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    for src in (ROOT / "shanxi_analysis").glob("*.py"):
        assert not re.search(
            r"^\s*(import|from)\s+(c?pickle|dill|joblib|shelve)\b", src.read_text(encoding="utf-8"), re.M
        ), src


def test_cached_frames_equal_fresh_builds_with_dtypes_and_sources(data_copy):
    for name in sa.data.available():
        ref = fresh(name)
        load(name)  # writes the cache
        again = load(name)  # read back from disk
        if name == "province_shapes":  # arrays inside cells: compare polygon by polygon
            assert list(again.columns) == list(ref.columns) and again.attrs == ref.attrs
            for a, b in zip(again["rings"], ref["rings"], strict=True):
                assert len(a) == len(b) and all(
                    x.dtype == y.dtype and (x == y).all() for x, y in zip(a, b, strict=True)
                )
            continue
        assert_same(again, ref)
        assert again.attrs["sources"] and again.attrs["sources"][0]["sha256"]
    assert str(load("fai_growth")["rank"].dtype) == "Int64"


def test_object_columns_with_none_nullable_ints_and_arrays_survive(data_copy):
    import numpy as np

    def build():
        sa.data.read_bytes("provinces")  # an input, so the frame is cached
        df = pd.DataFrame(
            {
                "obj": pd.Series(["a", None, "<b>"], dtype=object),
                "nint": pd.array([1, None, 3], dtype="Int64"),
                "f": [1.5, float("nan"), -0.0],
                "b": [True, False, True],
                "arr": pd.Series([[np.arange(4.0).reshape(2, 2)], None, [np.array([1, 2])]], dtype=object),
            }
        )
        df.attrs = {"sources": [{"resource": "provinces", "sha256": "x"}], "unit": "%"}
        return df

    first = sa.data.load_or_build("synthetic", build)
    calls = []
    second = sa.data.load_or_build("synthetic", lambda: calls.append(1) or build())
    assert not calls, "served from disk"
    assert list(second.dtypes.astype(str)) == ["object", "Int64", "float64", "bool", "object"]
    assert second["obj"].tolist() == ["a", None, "<b>"] and second["nint"].isna().tolist() == [False, True, False]
    assert second["arr"][1] is None and (second["arr"][0][0] == first["arr"][0][0]).all()
    assert second["arr"][0][0].shape == (2, 2) and second["arr"][2][0].dtype == first["arr"][2][0].dtype
    assert second.attrs == first.attrs


def test_value_swap_in_the_cached_file_never_reaches_a_result(data_copy, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    truth = raw_shanxi_2020(data_copy.raw)
    load("fai_growth")
    _, path = cached_file("fai_growth")
    table = pq.read_table(path)
    df = table.to_pandas()
    forged_value = truth + 9.0  # the 10.6 -> 19.6
    df.loc[(df["province"] == "Shanxi") & (df["year"] == 2020), "fai_growth_pct"] = forged_value
    forged = pa.Table.from_pandas(df, preserve_index=None).replace_schema_metadata(table.schema.metadata)
    pq.write_table(forged, path)  # a well-formed Parquet file with the original metadata
    assert shanxi_2020(pq.read_table(path).to_pandas()) == forged_value
    capsys.readouterr()
    got = load("fai_growth")
    assert shanxi_2020(got) == truth
    err = capsys.readouterr().err
    assert len(warnings_in(err)) == 1 and "fai_growth" in err and "checksum" in err
    assert_same(got, fresh("fai_growth"))
    capsys.readouterr()
    load("fai_growth")  # rebuilt and re-cached: no further warning
    assert warnings_in(capsys.readouterr().err) == []


def test_random_bit_flips_in_the_cached_file_are_never_served(data_copy, capsys):
    ref = fresh("fai_growth")
    load("fai_growth")
    for seed in range(40):
        flip_random_bit(cached_file("fai_growth")[1], seed)
        capsys.readouterr()
        got = load("fai_growth")
        assert_same(got, ref)
        assert len(warnings_in(capsys.readouterr().err)) == 1, f"seed {seed}"


def test_random_bit_flips_in_the_index_are_never_served(data_copy, capsys):
    ref = fresh("exchange_rates")
    load("exchange_rates")
    for seed in range(30):
        index, _ = cached_file("exchange_rates")
        flip_random_bit(index, 1000 + seed)
        capsys.readouterr()
        assert_same(load("exchange_rates"), ref)
        assert len(warnings_in(capsys.readouterr().err)) <= 1, f"seed {seed}"
        if not index.exists() or cache._read_index(index, cache.secret_key()) is None:
            load("exchange_rates")


@pytest.mark.parametrize(
    "attack",
    [
        "truncated",
        "empty",
        "garbage",
        "other dataset's file",
        "other dataset's index and file",
        "index {}",
        "index not JSON",
        "index points outside",
        "file missing",
        "file is a folder",
    ],
)
def test_broken_cache_entries_are_discarded_with_one_warning_and_rebuilt(data_copy, capsys, attack):
    ref = fresh("fai_growth")
    load("fai_growth")
    load("gdp")
    index, path = cached_file("fai_growth")
    gdp_index, gdp_path = cached_file("gdp")
    data = path.read_bytes()
    if attack == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif attack == "empty":
        path.write_bytes(b"")
    elif attack == "garbage":
        path.write_bytes(random.Random(7).randbytes(len(data)))
    elif attack == "other dataset's file":
        shutil.copyfile(gdp_path, path)
    elif attack == "other dataset's index and file":
        fai_inputs = json.loads(index.read_text())["inputs"]
        meta = json.loads(gdp_index.read_text())  # checksum consistent with gdp's file ...
        meta["inputs"] = fai_inputs  # ... and inputs that match fai_growth's: only the file's content tells
        index.write_text(json.dumps(meta))
    elif attack == "index {}":
        index.write_text("{}")
    elif attack == "index not JSON":
        index.write_bytes(b"\x80\x04garbage")
    elif attack == "index points outside":
        meta = json.loads(index.read_text())
        meta["file"] = "../../../../etc/passwd"
        index.write_text(json.dumps(meta))
    elif attack == "file missing":
        path.unlink()
    elif attack == "file is a folder":
        path.unlink()
        path.mkdir()
    capsys.readouterr()
    got = load("fai_growth")
    assert_same(got, ref)
    assert shanxi_2020(got) == raw_shanxi_2020(data_copy.raw)
    err = capsys.readouterr().err
    assert len(warnings_in(err)) == 1, err
    assert "fai_growth" in warnings_in(err)[0] and "rebuilt it from data/raw" in warnings_in(err)[0]
    capsys.readouterr()
    assert_same(load("fai_growth"), ref)  # the rebuilt entry is good again
    assert warnings_in(capsys.readouterr().err) == []


def test_a_malicious_pickle_in_the_cache_folder_is_never_loaded(data_copy, tmp_path):
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (Path.write_text, (marker, "ran"))

    load("fai_growth")
    index, path = cached_file("fai_growth")
    evil = pickle.dumps(Evil())
    for target in (path, path.with_suffix(".pkl"), index.with_suffix(".pkl")):
        target.write_bytes(evil)
    got = load("fai_growth")
    assert not marker.exists()
    assert shanxi_2020(got) == raw_shanxi_2020(data_copy.raw)
    assert not list(sa.data.cache_dir().glob("*.pkl"))  # legacy pickles are removed when the cache is written


def test_an_unwritable_cache_folder_is_not_fatal(data_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SHANXI_ANALYSIS_CACHE_DIR", str(blocker / "cache"))
    assert shanxi_2020(load("fai_growth")) == raw_shanxi_2020(data_copy.raw)


# =================================================================================== loader: number formats
def _set_cell(data_copy, name: str, pred, column: str, value: str) -> int:
    """Set one cell (row chosen by ``pred``), record the checksum; returns the row's line number."""
    rows = raw_rows(name, data_copy.raw)
    lines = [i for i, r in enumerate(rows, start=2) if pred(r)]
    assert len(lines) == 1

    def change(rs):
        rs[lines[0] - 2][column] = value

    data_copy.edit_csv(name, change)
    return lines[0]


@pytest.mark.parametrize(
    "value",
    [
        "1_06",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e1",
        "+10.6",
        " 10.6",
        "10.6 ",
        "10.",
        ".6",
        "010.6",
        "١٠.٦",
        "10,6",
        "0x1A",
        "10.6%",
    ],
)
def test_loose_number_formats_are_refused(data_copy, value):
    line = _set_cell(
        data_copy,
        FAI,
        lambda r: r["indicator_name"].startswith("山西:") and r["year"] == "2020",
        "fai_growth_pct",
        value,
    )
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert f"data/raw/{FAI}" in msg and f"line {line}, column fai_growth_pct: {value!r}" in msg
    assert "is not a valid number" in msg and "empty means not published" in msg


@pytest.mark.parametrize("value", ["2_020", "2020.0", "+2020", "02020", "2020 "])
def test_loose_integer_formats_are_refused(data_copy, value):
    line = _set_cell(
        data_copy,
        "provincial_fai_crosschecks.csv",
        lambda r: r["province"] == "Shanxi" and r["year"] == "2020",
        "year",
        value,
    )
    with pytest.raises(DataError, match=rf"line {line}, column year: {re.escape(repr(value))} is not a valid integer"):
        sa.data.fai_crosschecks()


@pytest.mark.parametrize("value", ["True", "1", "yes", "FALSE"])
def test_loose_booleans_are_refused(data_copy, value):
    first = raw_rows("independent_figures.csv", data_copy.raw)[0]
    line = _set_cell(data_copy, "independent_figures.csv", lambda r: r == first, "comparable", value)
    with pytest.raises(DataError, match=rf"line {line}, column comparable: '{value}' is not a valid boolean"):
        sa.data.independent_figures()


def test_the_sources_own_formats_still_load(data_copy):
    rows = raw_rows(FAI, data_copy.raw)
    shown = {r["fai_growth_pct"] for r in rows}
    assert "" in shown and any(v.startswith("-") for v in shown)  # gaps and negatives exist in the source
    df = sa.data.fai_growth()
    wind = df[df["source"].str.startswith("NBS via Wind")]  # the years after the Wind export come from the yearbook
    assert len(wind) == len(rows)
    assert wind["fai_growth_pct"].isna().sum() == sum(1 for r in rows if r["fai_growth_pct"] == "")


# ====================================================================================== loader: truncation
def _half(data_copy, name: str) -> tuple[int, int]:
    text = (data_copy.raw / name).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    n = len(lines) - 1
    keep = n // 2
    (data_copy.raw / name).write_text("".join(lines[: keep + 1]), encoding="utf-8")
    return n, keep


def test_truncation_is_refused_by_the_manifest_refresh(data_copy):
    n, keep = _half(data_copy, FAI)
    with pytest.raises(DataError) as info:
        list(sa.data.refresh_manifest(data_copy.root))
    msg = str(info.value)
    assert f"raw/{FAI}: {n} -> {keep} rows" in msg and "--accept-shape" in msg
    pkg = json.loads((data_copy.root / "datapackage.json").read_text(encoding="utf-8"))
    entry = next(r for r in pkg["resources"] if r["path"] == f"raw/{FAI}")
    new_hash = "sha256:" + hashlib.sha256((data_copy.raw / FAI).read_bytes()).hexdigest()
    assert entry["hash"] != new_hash  # nothing was written


def test_truncation_with_a_refreshed_checksum_is_caught_on_load(data_copy):
    n, keep = _half(data_copy, FAI)
    path = data_copy.root / "datapackage.json"
    pkg = json.loads(path.read_text(encoding="utf-8"))
    data = (data_copy.raw / FAI).read_bytes()
    for r in pkg["resources"]:
        if r["path"] == f"raw/{FAI}":  # a checksum refreshed by hand (or by an older script)
            r["hash"], r["bytes"] = "sha256:" + hashlib.sha256(data).hexdigest(), len(data)
    path.write_text(json.dumps(pkg, indent=2, ensure_ascii=False), encoding="utf-8")
    sa.data.clear_cache()
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert f"data/raw/{FAI}" in msg and f"it has {keep} data rows, the manifest records {n}" in msg
    assert "git checkout" in msg and "--accept-shape" in msg


def test_a_province_cut_out_is_caught_by_key_coverage_even_with_row_count_kept(data_copy):
    rows = raw_rows(FAI, data_copy.raw)
    beijing = [r for r in rows if r["indicator_name"].startswith("北京:")]
    others = [r for r in rows if not r["indicator_name"].startswith("北京:")]
    # same row count: Beijing's rows replaced by duplicates of Shanxi's rows with other ids
    shanxi = [r for r in rows if r["indicator_name"].startswith("山西:")]
    filler = [dict(r) for r in shanxi[: len(beijing)]]
    data_copy.edit_csv(FAI, lambda rs: others + filler, record_checksum=False)
    path = data_copy.root / "datapackage.json"
    pkg = json.loads(path.read_text(encoding="utf-8"))
    data = (data_copy.raw / FAI).read_bytes()
    for r in pkg["resources"]:
        if r["path"] == f"raw/{FAI}":
            r["hash"], r["bytes"] = "sha256:" + hashlib.sha256(data).hexdigest(), len(data)
    path.write_text(json.dumps(pkg), encoding="utf-8")
    sa.data.clear_cache()
    distinct = len({r["indicator_name"] for r in rows})
    with pytest.raises(
        DataError,
        match=rf"column \w+ covers distinct {distinct - 1}, the manifest "
        rf"records distinct {distinct}",
    ):
        sa.data.fai_growth()


@pytest.mark.e2e
def test_update_manifest_script_refuses_then_records_a_deliberate_change(data_copy):
    n, keep = _half(data_copy, "nbs_gdp_by_province.csv")
    script = [sys.executable, str(ROOT / "scripts" / "update_manifest.py"), str(data_copy.root)]
    refused = subprocess.run(script, capture_output=True, text=True, timeout=GUARD)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"nbs_gdp_by_province.csv: {n} -> {keep} rows" in refused.stderr
    accepted = subprocess.run(script + ["--accept-shape"], capture_output=True, text=True, timeout=GUARD)
    assert accepted.returncode == 0, accepted.stderr
    pkg = json.loads((data_copy.root / "datapackage.json").read_text(encoding="utf-8"))
    entry = next(r for r in pkg["resources"] if r["path"] == "raw/nbs_gdp_by_province.csv")
    assert entry["rows"] == keep
    sa.data.clear_cache()
    raw = raw_rows("nbs_gdp_by_province.csv", data_copy.raw)
    assert (sa.data.gdp()["vintage"] == "revised").sum() == len(raw) == keep


# ============================================================================ loader: encodings and file kinds
def test_header_only_file(data_copy):
    header = (data_copy.raw / "cny_per_usd.csv").read_text(encoding="utf-8").splitlines()[0]
    data_copy.write_text("cny_per_usd.csv", header + "\n")
    with pytest.raises(DataError, match=r"data/raw/cny_per_usd\.csv has a header but no data rows"):
        sa.data.exchange_rates()


def test_gbk_encoded_file_is_named(data_copy):
    text = (data_copy.raw / FAI).read_text(encoding="utf-8")
    (data_copy.raw / FAI).write_bytes(text.encode("gbk"))
    data_copy.record_checksums()
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert f"data/raw/{FAI} is not UTF-8 text" in msg and "GBK" in msg and "line 2" in msg


def test_byte_order_mark_is_named(data_copy):
    text = (data_copy.raw / "cny_per_usd.csv").read_text(encoding="utf-8")
    (data_copy.raw / "cny_per_usd.csv").write_bytes(text.encode("utf-8-sig"))
    data_copy.record_checksums()
    with pytest.raises(DataError, match=r"data/raw/cny_per_usd\.csv starts with a UTF-8 byte-order mark"):
        sa.data.exchange_rates()


def test_binary_file_is_named(data_copy):
    (data_copy.raw / "cny_per_usd.csv").write_bytes(b"period,measure\x00\x00\x01\x02")
    data_copy.record_checksums()
    with pytest.raises(DataError, match=r"data/raw/cny_per_usd\.csv contains NUL bytes"):
        sa.data.exchange_rates()


def test_folder_in_place_of_a_file(data_copy):
    (data_copy.raw / "cny_per_usd.csv").unlink()
    (data_copy.raw / "cny_per_usd.csv").mkdir()
    sa.data.clear_cache()
    with pytest.raises(DataError) as info:
        sa.data.exchange_rates()
    msg = str(info.value)
    assert "data/raw/cny_per_usd.csv is a folder, not a regular file" in msg and "git checkout" in msg


@pytest.mark.parametrize("bad", ["../../outside.csv", "/etc/passwd", "raw/../../outside.csv", ""])
def test_manifest_paths_stay_inside_the_data_folder(data_copy, bad):
    outside = data_copy.root.parent / "outside.csv"
    shutil.copyfile(data_copy.raw / "cny_per_usd.csv", outside)
    path = data_copy.root / "datapackage.json"
    pkg = json.loads(path.read_text(encoding="utf-8"))
    next(r for r in pkg["resources"] if r["name"] == "cny_per_usd")["path"] = bad
    path.write_text(json.dumps(pkg), encoding="utf-8")
    sa.data.clear_cache()
    with pytest.raises(DataError) as info:
        sa.data.exchange_rates()
    msg = str(info.value)
    assert "'cny_per_usd'" in msg and repr(bad) in msg and "inside the data folder" in msg


def test_markup_in_identifier_columns_is_refused(data_copy):
    def rename(rows):
        next(r for r in rows if r["name_en"] == "Shanxi")["name_en"] = "Shanxi<script>alert(1)</script>"

    data_copy.edit_csv("provinces.csv", rename)
    with pytest.raises(DataError, match=r"data/raw/provinces\.csv: province name\(s\) that are not plain names"):
        sa.data.fai_growth()


# ============================================================================== command line: expected failures
def test_checksum_mismatch_ends_in_one_message_and_exit_3(data_copy, tmp_path):
    _set_cell(
        data_copy,
        FAI,
        lambda r: r["indicator_name"].startswith("山西:") and r["year"] == "2020",
        "fai_growth_pct",
        "19.6",
    )
    (data_copy.raw / FAI).write_text((data_copy.raw / FAI).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-a.ipynb", ["print(1)"])
    env = {"SHANXI_ANALYSIS_DATA_DIR": str(data_copy.root), "SHANXI_ANALYSIS_CACHE_DIR": str(tmp_path / "c")}
    args = ("--notebooks", str(nbs), "--out", str(tmp_path / "out"))
    res = run_main(*args, env=env)
    assert res.returncode == 3
    lines = short_error(res)
    assert f"Checksum mismatch for data/raw/{FAI}" in lines[0] and "update_manifest.py" in lines[0]
    assert not (tmp_path / "out").exists()
    debug = run_main(*args, "--debug", env=env)
    assert debug.returncode == 3 and "Traceback" in debug.stderr and "DataError" in debug.stderr


@pytest.mark.parametrize("content", [b"{not json", b'{"cells": 3}', b"\xff\xfe\x00garbage", b""])
def test_check_notebooks_names_a_corrupt_notebook(tmp_path, content):
    good = write_notebook(tmp_path, "01-good.ipynb", ["print(1)"])
    bad = tmp_path / "02-broken.ipynb"
    bad.write_bytes(content)
    publish.check_notebooks([good])
    with pytest.raises(
        ParameterError,
        match=rf"Notebook {re.escape(str(bad))} (is not a valid notebook|cannot be "
        rf"read).*git checkout",
    ):
        publish.check_notebooks([good, bad])


@pytest.mark.parametrize("content", [b"{not json", b'{"cells": 3}'])
def test_corrupt_notebook_is_refused_before_any_kernel_starts(tmp_path, content):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-good.ipynb", ["print(1)"])
    (nbs / "02-broken.ipynb").write_bytes(content)
    res = run_main("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    lines = short_error(res, 1)
    assert "02-broken.ipynb" in lines[0] and "git checkout" in lines[0]
    assert not (tmp_path / "out").exists()  # nothing started, nothing written


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "2.5", "-1", "1e400", "ten"])
def test_bad_timeout_is_refused_before_any_kernel_starts(tmp_path, value):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-a.ipynb", ["print(1)"])
    res = run_main(f"--timeout={value}", "--notebooks", str(nbs), "--out", str(tmp_path / "out"))
    assert res.returncode == 2
    assert "--timeout must be a whole number of seconds" in short_error(res, 1)[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value,expected", [(600, 600), ("30", 30), (30.0, 30), (0, None), (None, None)])
def test_check_timeout_accepts_whole_seconds(value, expected):
    assert publish.check_timeout(value) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1, 2.5, True, "2.5", "nan"])
def test_build_set_refuses_bad_timeouts_from_python_too(tmp_path, value):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-a.ipynb", ["print(1)"])
    job = publish.ReportJob("Hubei", 2019, (nbs / "01-a.ipynb",))
    with pytest.raises(ParameterError, match="whole number of seconds"):
        publish.build_set([job], tmp_path / "out", timeout=value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "exc,code,first",
    [
        (
            DataError("data/raw/x.csv is broken. Restore it."),
            3,
            "shanxi-analysis: data error: data/raw/x.csv is broken",
        ),
        (
            OSError(28, "No space left on device", "/full/disk/01-a.html"),
            4,
            "shanxi-analysis: error: cannot write /full/disk/01-a.html: No space left on device.",
        ),
        (RuntimeError("boom"), 70, "shanxi-analysis: internal error: RuntimeError: boom"),
    ],
)
def test_every_error_during_a_build_ends_in_a_short_message_and_its_exit_code(
    tmp_path, monkeypatch, capsys, exc, code, first
):
    from shanxi_analysis import cli

    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-a.ipynb", ["print(1)"])

    def fail(*args, **kwargs):
        raise exc

    monkeypatch.setattr(publish, "build_reports", fail)
    argv = [
        "report",
        "--no-progress",
        "--province",
        "Hubei",
        "--year",
        "2019",
        "--notebooks",
        str(nbs),
        "--out",
        str(tmp_path / "out"),
    ]
    assert cli.main(argv) == code
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.strip() and not x.startswith("Building ")]
    assert "Traceback" not in err and len(lines) == 2 and lines[0].startswith(first), err
    assert cli.main([*argv, "--debug"]) == code
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and first in err


@pytest.mark.e2e
def test_a_damaged_cache_costs_one_warning_line_on_the_terminal_and_none_in_the_report(data_copy, tmp_path):
    load("gdp")
    flip_random_bit(cached_file("gdp")[1], 3)
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-gdp.ipynb", ["import shanxi_analysis as sa\nprint('rows', len(sa.data.gdp()))"])
    env = {"SHANXI_ANALYSIS_DATA_DIR": str(data_copy.root), "SHANXI_ANALYSIS_CACHE_DIR": str(sa.data.cache_dir())}
    res = run_cli(
        "--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(tmp_path / "out"), env=env
    )
    assert res.returncode == 0, res.stderr
    assert len(warnings_in(res.stderr)) == 1 and "gdp" in warnings_in(res.stderr)[0]
    page = (tmp_path / "out" / "2019" / "hubei" / "01-gdp.html").read_text(encoding="utf-8")
    n = len(raw_rows("nbs_gdp_by_province.csv", data_copy.raw)) + len(raw_rows("gdp_first_release.csv", data_copy.raw))
    assert f"rows {n}" in page and "shanxi-analysis: warning" not in page and "discarded the cached" not in page


# ====================================================================== the reports folder: full, read-only
def _mount_tmpfs(where: Path, options: str) -> None:
    """Mount a small tmpfs at ``where`` (root only), or skip the test with the reason."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; run the suite as root (e.g. in the container) to test this")
    if shutil.which("mount") is None:
        pytest.skip("no mount command on this system")
    where.mkdir(parents=True, exist_ok=True)
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({res.stderr.strip() or res.returncode}), e.g. an unprivileged container"
        )


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.mark.e2e
def test_full_disk_ends_in_one_message_and_keeps_the_last_good_report(tmp_path):
    out = tmp_path / "small-disk"
    _mount_tmpfs(out, "size=3m")
    try:
        nbs = tmp_path / "nbs"
        write_notebook(nbs, "01-a.ipynb", ["print('small', province)"])
        first = run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
        assert first.returncode == 0, first.stderr
        before = snapshot(out / "2019" / "hubei")
        index_before = (out / "index.html").read_bytes()
        write_notebook(nbs, "01-a.ipynb", ["print('x' * 8_000_000)"])  # more than the disk holds
        res = run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
        assert res.returncode == 4, res.stderr
        lines = short_error(res, 3)
        assert "No space left on device" in lines[0] and "--out DIR" in lines[-1]
        assert snapshot(out / "2019" / "hubei") == before
        assert (out / "index.html").read_bytes() == index_before
        assert not any((out / ".staging").iterdir())
        assert not list(out.glob(".*.tmp"))
    finally:
        _umount(out)


def test_read_only_output_folder_is_refused_before_any_kernel_starts(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-a.ipynb", ["print(1)"])
    out = tmp_path / "ro"
    if os.geteuid() == 0:  # root ignores permission bits: a read-only file system is the honest test
        _mount_tmpfs(out, "ro,size=1m")
        reason = "Read-only file system"
    else:
        out.mkdir()
        out.chmod(0o555)
        reason = "Permission denied"
    try:
        res = run_main("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
        assert res.returncode == 2
        line = short_error(res, 1)[0]
        assert f"Cannot write reports to {out}" in line and reason in line and "--out DIR" in line
        assert not list(out.iterdir())
    finally:
        if os.geteuid() == 0:
            _umount(out)
        else:
            out.chmod(0o755)


# ============================================================================== signals and concurrent runs
def start_slow_build(tmp_path: Path, workers: int, sleep: float = 120) -> tuple[subprocess.Popen, Path, set[int]]:
    """A build of two sets whose notebook sleeps, returned once every worker runs a notebook in its kernel; with
    the processes the command started by then (workers, kernels, the resource tracker)."""
    nbs, started = tmp_path / "nbs", tmp_path / "started"
    started.mkdir()
    write_notebook(
        nbs,
        "01-slow.ipynb",
        [f"open({str(started)!r} + '/' + province, 'w').close()", f"import time\ntime.sleep({sleep})"],
    )
    out = tmp_path / "out"
    sets = ("--province", "Hubei", "--province", "Hunan", "--year", "2019")
    proc = popen_cli(*sets, "--workers", str(workers), "--notebooks", str(nbs), "--out", str(out))
    end = time.monotonic() + GUARD
    while time.monotonic() < end:  # each worker runs the notebook's cells (they have left a file each)
        assert proc.poll() is None, proc.communicate()
        running = len(list(started.iterdir()))
        family = descendants(proc.pid)
        if running == workers and len(family) >= (2 * workers if workers > 1 else 1):  # workers and kernels
            return proc, out, descendants(proc.pid)
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"the workers and their kernels never all started ({len(descendants(proc.pid))} processes)")


@pytest.mark.e2e
@pytest.mark.parametrize(
    "signum, workers", [(signal.SIGTERM, 2), (signal.SIGTERM, 1), (signal.SIGINT, 1)], ids=["term-2", "term-1", "int-1"]
)
def test_sigterm_or_sigint_stops_everything_and_publishes_nothing(tmp_path, signum, workers):
    # one worker (the default) runs nbclient in the command's own process: its signal handlers must not replace
    # the builder's, or SIGTERM kills the process without clean-up (issue 23)
    proc, out, family = start_slow_build(tmp_path, workers)
    try:
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=GUARD)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signum, err
    assert "Interrupted" in err and "Traceback" not in err
    assert not any((out / ".staging").iterdir())
    assert not (out / "2019").exists() and not (out / "_failed").exists()
    end = time.monotonic() + 60
    while any(alive(p) for p in family) and time.monotonic() < end:  # kernels notice their parent is gone
        time.sleep(0.5)
    assert not [p for p in family if alive(p)], "workers or kernels left running"


@pytest.mark.e2e
def test_sigkill_of_a_two_worker_build_leaves_no_process_and_publishes_nothing_after(tmp_path):
    # the notebooks end 6 s after they start: workers that outlived the command would publish within seconds
    proc, out, family = start_slow_build(tmp_path, 2, sleep=6)
    assert len(family) >= 4
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=GUARD)
    killed = time.monotonic()
    while [p for p in family if alive(p)] and time.monotonic() < killed + 10:
        time.sleep(0.2)
    assert not [p for p in family if alive(p)], "processes the command started are alive 10 s after SIGKILL"
    assert not (out / "2019").exists(), "a set was published after the command was killed"
    # the notebooks began before the kill and end 6 s after they began: wait past that, and past their export
    time.sleep(max(0.0, killed + 9 - time.monotonic()))
    assert not (out / "2019").exists() and not [p for p in family if alive(p)]


@pytest.mark.e2e
def test_the_same_report_built_by_two_concurrent_runs(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-a.ipynb", ["print('report for', province, year)"])
    write_notebook(nbs, "02-b.ipynb", ["print('second page', province)"])
    out = tmp_path / "out"
    procs = [
        popen_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out)) for _ in range(2)
    ]
    results = [p.communicate(timeout=GUARD) for p in procs]
    # each run's whole stderr (pytest shortens a long repr, not a message): it failed twice, most likely a kernel port
    # race (kernels now use Unix sockets; see publish.kernels)
    stderrs = "\n---\n".join(f"exit {p.returncode}:\n" + r[1] for p, r in zip(procs, results, strict=True))
    assert [p.returncode for p in procs] == [0, 0], stderrs
    folder = out / "2019" / "hubei"
    rec = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    assert rec["status"] == "ok" and rec["parameters"] == {"province": "Hubei", "year": 2019}
    listed = {f for n in rec["notebooks"] for f in n["files"].values()}
    # one complete build, not a mixture (datapackage.json: the set's data package, written with the html pages)
    assert listed | {"build.json", "datapackage.json"} == {p.name for p in folder.iterdir()}
    assert "report for Hubei 2019" in (folder / "01-a.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('href="provinces/hubei.html"') == 1  # one entry in the list of provinces
    assert index.count("Hubei, 2019</a>") == 1  # one story among the latest built
    assert index.count('href="2019/hubei/01-a.html"') == 2  # the story links its first page: its title and the page
    province = (out / "provinces" / "hubei.html").read_text(encoding="utf-8")
    assert province.count('href="../2019/hubei/01-a.html"') == 2  # one year on the province's page, listed once
    assert not any((out / ".staging").iterdir()) and not list(out.glob(".*.tmp"))
    assert not (out / "_failed").exists()


# ======================================================================================= escaping at render
TRICKY = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[a](javascript:alert(1))",
    "![i](javascript:alert(1))",
    "<https://evil.example>",
    "**bold** _em_ `code` ~~s~~",
    "# heading",
    "| a | b |",
    "a\n\n<b>para</b>",
    "&lt;script&gt; &amp; &#60;",
    "'\"><svg onload=alert(1)>",
    "www.example.com user@example.com https://x.example",
    "1. list",
    "> quote",
    "\\*not em\\*",
    "<!-- c -->",
    "$x$ and \\(y\\)",
    "plain 10.6% growth, 山西省",
]


@pytest.mark.parametrize("s", TRICKY)
def test_md_renders_data_text_as_the_same_characters(s):
    """present.md escapes each value once, on insertion: rendered (mistune, as nbconvert does), the data text
    opens no element and reads as the characters it is; the template's own Markdown stays Markdown."""
    from bs4 import BeautifulSoup
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from shanxi_analysis import present

    for template, shown in (("{x}", "{}"), ("- **Note:** {x} (end)", "Note: {} (end)"), ("> {x}", "{}")):
        rendered = markdown2html_mistune(present.md(template, x=s).data)
        soup = BeautifulSoup(rendered, "html.parser")
        assert {el.name for el in soup.find_all(True)} <= {"p", "ul", "li", "strong", "blockquote"}, rendered
        assert " ".join(soup.get_text().split()) == " ".join(shown.format(s).split()), rendered
    assert present.escape(None) == "" and present.escape(float("nan")) == ""


@pytest.mark.parametrize(
    "value,ok",
    [
        ("https://www.stats.gov.cn/sj/?a=1&b=2", True),
        ("http://x.example/p", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,<script>", False),
        ("//evil.example/x", False),
        ('https://x.example/"onmouseover=alert(1)', False),
        ("https://", False),
        ("ftp://x.example/f", False),
        (" https://x.example/a b", False),
        (None, False),
        (float("nan"), False),
    ],
)
def test_safe_url_and_link_allow_only_http_links(value, ok):
    from bs4 import BeautifulSoup

    from shanxi_analysis import present

    assert (present.safe_url(value) == value) if ok else (present.safe_url(value) is None)
    soup = BeautifulSoup(present.link(value, "source"), "html.parser")
    links = soup.find_all("a")
    if ok:
        assert [a["href"] for a in links] == [value] and soup.get_text() == "source"
    else:
        assert links == [] and soup.get_text() == "source"


# ================================================================ markup in every text column of every raw table
MARK = "XSSMARK9"
PAYLOAD = (
    f'<script>alert("{MARK}")</script><img src=x onerror=alert("{MARK}")>"><svg onload=alert("{MARK}")>'
    f'[link](javascript:alert("{MARK}"))![img](javascript:alert("{MARK}"))'
    f"<a href=\"javascript:alert('{MARK}')\">x</a><iframe src=\"javascript:alert('{MARK}')\"></iframe>"
)
# Names, identifiers and categories: markup there must stop the build with a DataError (a wrong name would
# silently drop or mislabel rows); every other text column must load and be shown inert.
IDENTIFIERS = (
    {("provinces", c) for c in ("name_en", "name_zh", "name_zh_full", "region")}
    | {("province_aliases", c) for c in ("province", "alias", "kind")}
    | {
        ("fai_growth_annotations", "province"),
        ("nbs_gdp_by_province", "region"),
        ("gdp_first_release", "region"),
        ("gdp_first_release", "vintage"),
        ("national_fai_growth", "scope"),
        ("fai_2020_monthly_cumulative", "region"),
        ("fai_2020_monthly_cumulative", "status"),
        ("census2020_population", "name_zh"),
        ("census2020_population", "kind"),
        ("cny_per_usd", "kind"),
        ("provincial_fai_crosschecks", "province"),
        ("shanxi_investment_2020", "breakdown"),
        ("article_claims", "claim_id"),
        ("independent_figures", "claim_id"),
    }
)


def _text_columns(root: Path) -> list[tuple[str, str, str]]:
    """(resource, file, column) for every string column of every CSV in the manifest."""
    pkg = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return [
        (r["name"], r["path"], f["name"])
        for r in pkg["resources"]
        if r.get("format") == "csv"
        for f in r["schema"]["fields"]
        if f.get("type", "string") == "string"
    ]


def _inject(root: Path, path: str, columns: list[str]) -> None:
    file = root / path
    with open(file, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        for col in columns:
            row[col] += PAYLOAD
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    file.write_text(out.getvalue(), encoding="utf-8")


def _injection_build(tmp_path_factory) -> dict:
    """Markup injected into each text column in turn (loaded in-process), then into every column that loads,
    all at once, followed by one real build of the project's notebooks for Shanxi 2020 (shared by the tests)."""
    from shanxi_analysis import claims

    tmp = tmp_path_factory.mktemp("injection")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    env = {"SHANXI_ANALYSIS_DATA_DIR": str(data), "SHANXI_ANALYSIS_CACHE_DIR": str(tmp / "cache")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    verdicts: dict[tuple[str, str], str] = {}
    try:
        sa.data.clear_cache()

        def verdict(path: str, cols: list[str]) -> str:
            """Every dataset and the ledger loaded with markup in ``cols`` of ``path``: "loads" or the error."""
            original = (data / path).read_bytes()
            _inject(data, path, cols)
            list(sa.data.refresh_manifest(data, accept_shape=True))
            sa.data.clear_cache()
            try:
                for loader in sa.data.available():
                    getattr(sa.data, loader)()
                claims.ledger()
                return "loads"
            except DataError as exc:
                return f"DataError: {exc}"
            except Exception as exc:  # noqa: BLE001 - reported by the test, never expected
                return f"{type(exc).__name__}: {exc}"
            finally:
                (data / path).write_bytes(original)

        # each column in turn; the free-text columns of a file first all at once (one load instead of one per
        # column), each in turn only when that does not load
        by_file: dict[tuple[str, str], list[str]] = {}
        for name, path, col in _text_columns(data):
            if (name, col) in IDENTIFIERS:
                verdicts[(name, col)] = verdict(path, [col])
            else:
                by_file.setdefault((name, path), []).append(col)
        for (name, path), cols in by_file.items():
            together = verdict(path, cols) if len(cols) > 1 else None
            for col in cols:
                verdicts[(name, col)] = "loads" if together == "loads" else verdict(path, [col])
        for path in dict.fromkeys(p for _, p, _ in _text_columns(data)):
            cols = [c for n, p, c in _text_columns(data) if p == path and verdicts[(n, c)] == "loads"]
            if cols:
                _inject(data, path, cols)
        list(sa.data.refresh_manifest(data, accept_shape=True))
    finally:
        restore_env(saved)
        sa.data.clear_cache()
    out = tmp / "out"
    res = run_cli("--province", "Shanxi", "--year", "2020", "--out", str(out), env=env, timeout=900)
    return {"verdicts": verdicts, "res": res, "out": out, "pages": sorted(out.rglob("*.html"))}


def _check_identifier_columns_stop_the_build(injection: dict) -> None:
    verdicts = injection["verdicts"]
    assert len(verdicts) == len(_text_columns(ROOT / "data"))
    for (name, col), verdict in verdicts.items():
        if (name, col) in IDENTIFIERS:
            # the message names a raw file (for gdp_first_release.csv the loader names nbs_gdp_by_province.csv,
            # the table it is merged into: reported to the owner of sa.data.gdp)
            assert verdict.startswith("DataError: ") and "data/raw/" in verdict, (name, col, verdict[:300])
        else:  # free text loads (and is shown inert, below); a column a loader checks may refuse it cleanly
            assert verdict == "loads" or (verdict.startswith("DataError: ") and "data/raw/" in verdict), (
                name,
                col,
                verdict[:300],
            )
    for free_text in [
        ("article_claims", "quote"),
        ("article_claims", "unit"),
        ("shanxi_devzones", "finding"),
        ("independent_figures", "what"),
        ("fai_growth_annotations", "note"),
        ("fai_growth_scope", "scope"),
        ("shanxi_investment_2020", "name_en"),
        ("shanxi_devzones", "source_url"),
    ]:
        assert verdicts[free_text] == "loads", free_text


ACTIVE_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "base",
    "form",
    "frame",
    "frameset",
    "meta",
    "link",
    "style",
    "template",
}
URL_ATTRS = {"href", "src", "action", "formaction", "srcdoc", "xlink:href", "data", "poster", "background"}


DATA_SCRIPT_TYPES = ("application/ld+json", "application/json")


def _active_markup(html_text: str) -> list[str]:
    """Elements or attributes that could run something and carry the marker or a script URL."""
    from bs4 import BeautifulSoup

    found = []
    for el in BeautifulSoup(html_text, "html.parser").find_all(True):
        content = el.get_text() if el.name in ("script", "style", "template") else ""
        if el.name == "script" and str(el.get("type", "")).lower() in DATA_SCRIPT_TYPES and not el.get("src"):
            # data a browser never runs (the pages' ClaimReview JSON-LD): active only if the text broke out of it
            try:
                json.loads(content)
            except ValueError:
                found.append(str(el)[:120])
            continue
        if el.name in ACTIVE_TAGS and (MARK in content or MARK in str(el.attrs)):
            found.append(str(el)[:120])
        for attr, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            low = value.strip().lower()
            if attr.lower().startswith("on") and MARK in value:
                found.append(f"<{el.name} {attr}={value[:80]!r}>")
            if attr.lower() in URL_ATTRS and (
                low.startswith(("javascript:", "vbscript:", "data:text/html")) or MARK in value
            ):
                found.append(f"<{el.name} {attr}={value[:80]!r}>")
    return found


def _check_markup_is_shown_as_text_never_as_html(injection: dict) -> None:
    from bs4 import BeautifulSoup

    res, out = injection["res"], injection["out"]
    assert res.returncode == 0, res.stderr[-3000:]
    names = {p.name for p in injection["pages"]}
    assert {"index.html", "00-overview.html", "04-business-climate.html", "05-claims.html"} <= names
    for page in injection["pages"]:
        assert _active_markup(page.read_text(encoding="utf-8")) == [], page
    # not vacuous: the injected text reached the pages, as visible characters
    for name in ("04-business-climate.html", "05-claims.html", "03-projects-zones-industries.html"):
        soup = BeautifulSoup((out / "article-check" / name).read_text(encoding="utf-8"), "html.parser")
        assert f'<script>alert("{MARK}")</script>' in soup.get_text(), name
    quote = raw_rows("article_claims.csv", ROOT / "data" / "raw")
    approval = next(r["quote"] for r in quote if r["claim_id"] == "approval_procedures")
    page = BeautifulSoup(
        (out / "article-check" / "04-business-climate.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert (approval + PAYLOAD) in page.get_text()  # exactly the characters of the raw file, escaped once
    # the figures still show the data: the build used the injected copy and still states the raw numbers
    overview = (out / "2020" / "shanxi" / "00-overview.html").read_text(encoding="utf-8")
    assert f"grew {raw_shanxi_2020(ROOT / 'data' / 'raw')}%" in overview


def _check_pages_run_no_script_in_chromium(injection: dict, tmp_path: Path) -> None:
    chromium, chromedriver = "/usr/bin/chromium", "/usr/bin/chromedriver"
    if not (Path(chromium).exists() and Path(chromedriver).exists()):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is needed under CI: make browser-deps")
        pytest.skip("chromium/chromedriver not installed; install with: make browser-deps")
    assert injection["res"].returncode == 0, injection["res"].stderr[-3000:]
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument",
            {
                "source": (
                    "window.__calls = []; for (const f of ['alert', 'confirm', 'prompt']) "
                    "{ window[f] = function (m) { window.__calls.push(f + ':' + String(m)); }; }"
                )
            },
        )

        def visit(page: Path) -> tuple[list[str], list[str]]:
            driver.get(page.as_uri())
            assert driver.execute_script("return document.readyState") == "complete"
            calls = driver.execute_script("return window.__calls")
            scripts = driver.execute_script(  # scripts a browser runs: not the data of the ClaimReview JSON-LD
                f"return Array.from(document.scripts).filter(s => s.text.includes('{MARK}')"
                f" && !{list(DATA_SCRIPT_TYPES)!r}.includes(s.type.toLowerCase())).length"
            )
            logs = [e["message"] for e in driver.get_log("browser") if MARK in e["message"]]
            assert scripts == 0 or calls or logs or page.name == "control.html", page
            return calls, logs

        # positive control: the listener does see a live injection
        control = tmp_path / "control.html"
        control.write_text(
            f'<!DOCTYPE html><html><body><img src=x onerror=alert("{MARK}")>'
            f'<script>console.log("{MARK}")</script></body></html>',
            encoding="utf-8",
        )
        calls, logs = visit(control)
        assert calls == [f"alert:{MARK}"] and logs, (calls, logs)
        for page in injection["pages"]:
            calls, logs = visit(page)
            assert calls == [] and logs == [], (page, calls, logs)
            driver.find_element("tag name", "body")
    finally:
        driver.quit()


@pytest.mark.notebooks
@pytest.mark.browser
def test_markup_injected_into_every_text_column(tmp_path_factory, tmp_path):
    """One test, so the real build is made once whatever the scheduler does (xdist groups are not honoured by
    every pytest/xdist combination)."""
    injection = _injection_build(tmp_path_factory)
    _check_identifier_columns_stop_the_build(injection)
    _check_markup_is_shown_as_text_never_as_html(injection)
    _check_pages_run_no_script_in_chromium(injection, tmp_path)


# ================================================================================================ make lab
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.e2e
@pytest.mark.parametrize("who", ["this user", "an unprivileged user"])
def test_make_lab_starts_jupyterlab(tmp_path, who):
    """`make lab` serves JupyterLab as root (adding --allow-root) and as a normal user (without it)."""
    import tempfile
    import urllib.request

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    prefix: list[str] = []
    if who == "an unprivileged user":
        if os.geteuid() != 0:
            pytest.skip("the suite runs as a normal user: covered by the 'this user' case")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        probe = subprocess.run(prefix + ["sh", "-c", ".venv/bin/jupyter --version"], cwd=ROOT, capture_output=True)
        if shutil.which("setpriv") is None or probe.returncode != 0:
            pytest.skip(
                "the project's .venv interpreter is not executable by an unprivileged user here (it lives "
                "in root's home), so `make lab` cannot be tried as one"
            )
    home = Path(tempfile.mkdtemp(prefix="shanxi-lab-"))  # outside root's private tmp: the user must reach it
    home.chmod(0o777)
    port = _free_port()
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_RUNTIME_DIR": str(home / "rt"),
        "JUPYTER_CONFIG_DIR": str(home / "cfg"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "ws"),
    }
    cmd = prefix + [
        "make",
        "-s",
        "-o",
        ".venv/.installed",
        "lab",
        f"LAB_ARGS=--no-browser --ip=127.0.0.1 --port={port} --ServerApp.token=",
    ]
    with open(tmp_path / "lab.log", "w+") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            end = time.monotonic() + GUARD
            status = None
            while time.monotonic() < end and proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=5) as r:
                        status = r.status
                        break
                except OSError:
                    time.sleep(0.5)
            log.seek(0)
            assert status == 200, f"JupyterLab did not serve (exit {proc.poll()}): {log.read()[-2000:]}"
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            shutil.rmtree(home, ignore_errors=True)


# ------------------------------------------------------------------------------- issue 23: trust, round two
DOLLAR = "software & IT services (US$1bn to US$5bn)"
ALERT = r"$\alert{x}$ sector"


def svg_of(fig) -> str:
    import matplotlib as mpl

    from shanxi_analysis import present

    buf = io.BytesIO()
    with mpl.rc_context({"svg.fonttype": "none"}):  # text stays text in the SVG: what is drawn can be read back
        present.save(fig, buf, format="svg")
    return buf.getvalue().decode()


@pytest.mark.parametrize("parse_math", [False, True], ids=["theme", "rcparams-reset"])
def test_data_text_with_dollar_signs_is_drawn_verbatim_in_charts(parse_math):
    from xml.sax.saxutils import escape

    import matplotlib as mpl
    import matplotlib.pyplot as plt

    from shanxi_analysis import present

    present.set_theme()
    table = pd.DataFrame({"name_en": [DOLLAR, ALERT], "growth_pct": [5.0, -2.0]})
    with mpl.rc_context({"text.parse_math": parse_math}):  # True: a notebook that reset matplotlib's defaults
        fig, ax = present.figure()
        present.breakdown_bars(
            ax, table, reference=3.0, reference_label=f"legend {DOLLAR}", title="US$5bn", xlabel=f"axis {ALERT}"
        )
        svg = svg_of(fig)  # `$\alert{x}$` parsed as math would raise here
    plt.close(fig)
    drawn = " ".join(re.findall(r"<text[^>]*>([^<]*)", svg))  # a long label may be wrapped over several lines
    for text in (DOLLAR, ALERT, f"legend {DOLLAR}", "US$5bn", f"axis {ALERT}"):
        assert escape(text) in drawn, text

    # the control: matplotlib left alone parses the label as math, and the test above would see it
    with mpl.rc_context({"text.parse_math": True, "svg.fonttype": "none"}):
        fig, ax = plt.subplots()
        ax.set_title(DOLLAR)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg")
        plt.close(fig)
    assert f">{escape(DOLLAR)}<" not in buf.getvalue().decode()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_error(res: subprocess.CompletedProcess, code: int = 2) -> str:
    """The command's answer is ``code`` with one or two lines on stderr and no traceback; returns those lines."""
    lines = [x for x in res.stderr.splitlines() if x.strip()]
    assert res.returncode == code, res.stderr
    assert 1 <= len(lines) <= 2 and "Traceback" not in res.stderr and "This is a bug" not in res.stderr, res.stderr
    return res.stderr


@pytest.mark.parametrize(
    "args, says",
    [
        (("--kernel-memory-mb", "nan"), "--kernel-memory-mb"),
        (("--kernel-memory-mb", "-5"), "--kernel-memory-mb"),
        (("--kernel-memory-mb", "inf"), "--kernel-memory-mb"),
        (("--kernel-memory-mb", "0"), "--kernel-memory-mb"),
        (("--year", "٢٠٢٠"), "--year"),  # Arabic-Indic digits: int() would read 2020
        (("--year", "٢٠١٥-٢٠٢٠"), "--year"),
        (("--timeout", "٦٠٠"), "--timeout"),
        (("--workers", "٢"), "--workers"),
        (("--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"), "not both"),
        (("--scheduler", "tcp://127.0.0.1:{free}"), "nothing accepts connections"),
        (("--scheduler", "tcp://no-such-host.invalid:8786"), "unknown host"),
        (("--scheduler", "tcp://127.0.0.1:99999"), "port"),
        (("--scheduler", "tcp://"), "--scheduler"),
        (("--scheduler", "tcp://[::1"), "--scheduler"),
        (("--scheduler", "127.0.0.1:8786"), "tcp://"),
    ],
)
def test_bad_options_are_refused_in_one_line_before_any_data_loads(tmp_path, args, says):
    # the data folder does not exist: an option checked after the data loaded would end in a data error (exit 3)
    args = tuple(a.format(free=free_port()) for a in args)
    env = {"SHANXI_ANALYSIS_DATA_DIR": str(tmp_path / "no-data"), "SHANXI_ANALYSIS_CACHE": "0"}
    out = tmp_path / "out"
    t0 = time.monotonic()
    err = one_error(run_main(*args, "--out", str(out), env=env))
    assert says.lower() in err.lower()
    assert time.monotonic() - t0 < 15
    assert not out.exists()


@pytest.mark.parametrize("where", ["/", "/usr/share/shanxi-reports", "/tmp", "home", "project", "data", "full"])
def test_an_output_folder_that_is_not_safe_to_build_into_is_refused(tmp_path, where):
    full = tmp_path / "full"
    full.mkdir()
    (full / "thesis.tex").write_text("mine", encoding="utf-8")
    folder = {
        "home": str(Path.home()),
        "project": str(ROOT),
        "data": str(ROOT / "data" / "reports"),
        "full": str(full),
    }.get(where, where)
    before = sorted(os.listdir(Path(folder).parent if Path(folder).parent.exists() else "/"))
    err = one_error(run_main("--out", folder))
    assert "Will not write reports to" in err
    assert not Path(folder, "index.html").exists() or where == "project"
    assert not Path(folder, ".lock").exists() and not Path(folder, ".staging").exists()
    assert sorted(os.listdir(Path(folder).parent if Path(folder).parent.exists() else "/")) == before
    assert (full / "thesis.tex").read_text(encoding="utf-8") == "mine" and os.listdir(full) == ["thesis.tex"]


def test_a_reports_folder_and_a_new_folder_are_accepted(tmp_path):
    ok = tmp_path / "reports"
    ok.mkdir()
    (ok / ".lock").touch()
    (ok / "index.html").write_text("old index", encoding="utf-8")
    assert publish.check_output_location(ok) == ok.resolve()
    assert publish.check_output_location(tmp_path / "new" / "reports") == (tmp_path / "new" / "reports").resolve()
    assert publish.check_output_location(ROOT / "reports") == (ROOT / "reports").resolve()


def forge_shanxi_2020(path: Path, value: float) -> None:
    """Rewrite a cached Parquet file with Shanxi's 2020 growth replaced, keeping the file's own metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    df = table.to_pandas()
    df.loc[(df["province"] == "Shanxi") & (df["year"] == 2020), "fai_growth_pct"] = value
    pq.write_table(pa.Table.from_pandas(df, preserve_index=None).replace_schema_metadata(table.schema.metadata), path)


def test_a_forged_entry_with_its_index_checksum_recomputed_is_not_served(data_copy, capsys):
    import stat

    truth = raw_shanxi_2020(data_copy.raw)
    load("fai_growth")
    index, path = cached_file("fai_growth")
    forge_shanxi_2020(path, truth + 9.0)  # the "grew 19.6% in 2020"
    meta = json.loads(index.read_text(encoding="utf-8"))
    meta.update(sha256=hashlib.sha256(path.read_bytes()).hexdigest(), bytes=path.stat().st_size)
    index.write_text(json.dumps(meta), encoding="utf-8")  # what anyone who can write the cache folder can do
    capsys.readouterr()
    assert shanxi_2020(load("fai_growth")) == truth
    err = capsys.readouterr().err
    assert len(warnings_in(err)) == 1 and "not signed" in err

    # the key that makes the difference lives outside the cache folder, readable by its owner only
    key = cache.key_path()
    assert not key.resolve().is_relative_to(sa.data.cache_dir().resolve())
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_uid == os.geteuid()

    # the exact limit (README, Reliability): whoever can read the key can sign a forgery, and it is served
    index, path = cached_file("fai_growth")
    forge_shanxi_2020(path, truth + 9.0)
    meta = json.loads(index.read_text(encoding="utf-8"))
    meta.update(sha256=hashlib.sha256(path.read_bytes()).hexdigest(), bytes=path.stat().st_size)
    meta["hmac"] = cache._sign(cache.secret_key(), meta)
    index.write_text(json.dumps(meta), encoding="utf-8")
    assert shanxi_2020(load("fai_growth")) == truth + 9.0


def test_the_cache_key_is_created_private_and_an_unsafe_key_turns_the_cache_off(data_copy, monkeypatch, capsys):
    import stat

    key = data_copy.root.parent / "config" / "cache.key"
    monkeypatch.setenv(cache.KEY_ENV, str(key))
    cache._secret.cache_clear()
    try:
        load("exchange_rates")
        assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text().strip()) == 64
        assert list(sa.data.cache_dir().glob("exchange_rates.*.json"))  # cached with the new key
        capsys.readouterr()
        for unsafe, says in [
            (lambda: key.chmod(0o644), "mode 0600"),
            (lambda: monkeypatch.setenv(cache.KEY_ENV, str(sa.data.cache_dir() / "cache.key")), "inside the cache"),
        ]:
            unsafe()
            cache._secret.cache_clear()
            cache._key_warned.clear()
            calls: list[int] = []

            def build(calls=calls):
                calls.append(1)
                return pd.DataFrame({"a": [1]})

            sa.data.load_or_build("synthetic", build)
            df = sa.data.load_or_build("synthetic", build)
            assert calls == [1, 1] and df["a"].tolist() == [1]  # built each time: nothing served from the disk
            err = capsys.readouterr().err
            assert len(warnings_in(err)) == 1 and says in err and "the disk cache is off" in err
    finally:
        cache._secret.cache_clear()


def alarm(seconds: int):
    """A guard against a hang (a FIFO read): the test fails with a message instead of blocking the suite."""

    def fire(signum, frame):
        raise AssertionError(f"hung for {seconds} s")

    signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_cached_file_that_is_a_fifo_or_an_endless_device_is_discarded_in_bounded_time(data_copy, capsys, kind):
    ref = fresh("fai_growth")
    load("fai_growth")
    index, path = cached_file("fai_growth")
    path.unlink()
    os.mkfifo(path) if kind == "fifo" else path.symlink_to("/dev/zero")
    capsys.readouterr()
    alarm(30)
    try:
        got = load("fai_growth")
    finally:
        signal.alarm(0)
    assert_same(got, ref)
    err = capsys.readouterr().err
    assert len(warnings_in(err)) == 1 and ("FIFO" in err if kind == "fifo" else "device" in err)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_a_raw_file_that_is_not_a_regular_file_is_a_data_error_naming_it(data_copy, kind):
    path = data_copy.raw / "cny_per_usd.csv"
    path.unlink()
    {"fifo": os.mkfifo, "dev-zero": lambda p: p.symlink_to("/dev/zero"), "folder": os.mkdir}[kind](path)
    alarm(30)
    try:
        res = run_main("--out", str(data_copy.root.parent / "out"))
    finally:
        signal.alarm(0)
    err = one_error(res, 3)
    assert "raw/cny_per_usd.csv is" in err
    assert "not a regular file" in err if kind != "dev-zero" else "leads outside the data folder" in err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "gbk-garbage"])
def test_a_manifest_saved_in_another_encoding_is_a_data_error(data_copy, encoding):
    manifest = data_copy.root / "datapackage.json"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_bytes(b"\xff\xfe\x81" + text.encode() if encoding == "gbk-garbage" else text.encode(encoding))
    sa.data.forget_manifest()
    err = one_error(run_main("--out", str(data_copy.root.parent / "out")), 3)
    assert str(manifest) in err and ("UTF-8" in err or "byte-order mark" in err)


def test_a_bad_province_in_gdp_first_release_is_reported_against_that_file(data_copy):
    def rename(rows):
        rows[0]["region"] = "Atlantis"

    data_copy.edit_csv("gdp_first_release.csv", rename)
    with pytest.raises(DataError) as exc:
        sa.data.gdp()
    assert "data/raw/gdp_first_release.csv" in str(exc.value) and "Atlantis" in str(exc.value)
    assert "nbs_gdp_by_province" not in str(exc.value)


def write_plan(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_plan_with_a_duplicate_key_is_refused_naming_the_key(tmp_path):
    plan = write_plan(tmp_path / "dup.yml", "parts:\n  - params: {province: Shanxi, year: 2020, province: Hubei}\n")
    with pytest.raises(ParameterError, match=r"duplicate key 'province'.*|line 2.*duplicate key 'province'") as exc:
        publish.load_plan(plan, (2004, 2024))
    assert "line 2" in str(exc.value) and str(plan) in str(exc.value)
    err = one_error(run_main("--plan", str(plan), "--out", str(tmp_path / "out")))
    assert "duplicate key 'province'" in err


def test_a_plan_of_two_thousand_entries_loads_fast_and_a_huge_one_is_refused_at_once(tmp_path):
    provinces = ["Shanxi", "Hubei", "Inner Mongolia", "Guangdong"]
    chapters = "".join(f"      - province: {provinces[i % 4]}\n        year: {2005 + i % 19}\n" for i in range(2000))
    plan = write_plan(tmp_path / "big.yml", "parts:\n  - chapters:\n" + chapters)
    t0 = time.monotonic()
    grid = publish.load_plan(plan, (2004, 2024))
    assert time.monotonic() - t0 < 5  # 9 s before (a name lookup per chapter, pure-Python YAML); ~1 s now
    assert len(grid.pairs) == 4 * 19 // 1 and set(grid.pairs) >= {("Shanxi", 2005), ("Guangdong", 2023)}

    huge = write_plan(
        tmp_path / "huge.yml",
        "parts:\n  - params: {year: 2020}\n    chapters:\n" + "      - province: Shanxi\n" * 200_000,
    )
    t0 = time.monotonic()
    with pytest.raises(ParameterError, match="larger than"):
        publish.load_plan(huge, (2004, 2024))
    many = write_plan(
        tmp_path / "many.yml",
        "parts:\n  - params: {year: 2020, province: Shanxi}\n    chapters: [" + "{}," * 12_000 + "]\n",
    )
    with pytest.raises(ParameterError, match="12,000 entries"):
        publish.load_plan(many, (2004, 2024))
    assert time.monotonic() - t0 < 10


@pytest.mark.e2e
def test_pdf_links_resolve_after_the_report_is_published(tmp_path):
    if publish.chromium_path() is None:
        pytest.skip("PDF needs Chromium: make browser-deps")
    out = tmp_path / "out"
    staging = out / ".staging" / "123-abc"
    staging.mkdir(parents=True)
    (out / "index.html").write_text("index", encoding="utf-8")
    (staging / "02-b.html").write_text("b", encoding="utf-8")
    (staging / "build.json").write_text("{}", encoding="utf-8")
    (staging / "01-a.html").write_text(
        '<a href="02-b.html#growth">next page</a> <a href="../../index.html">index</a> '
        '<a href="build.json">provenance</a> <a href="https://www.stats.gov.cn/">NBS</a>',
        encoding="utf-8",
    )
    pdf = publish.print_pdf(staging / "01-a.html", staging / "01-a.pdf")
    final = out / "2019" / "hubei"
    final.parent.mkdir()
    staging.rename(final)  # what publishing does
    links = [m.decode() for m in re.findall(rb"/URI \(([^)]*)\)", (final / "01-a.pdf").read_bytes())]
    assert sorted(links) == sorted(["02-b.html#growth", "../../index.html", "build.json", "https://www.stats.gov.cn/"])
    for link in links:
        if not link.startswith("https://"):
            assert (final / link.split("#")[0]).resolve().is_file(), link
    assert pdf.name == "01-a.pdf"


@pytest.mark.parametrize("growth", [(-3.0, 5.0), (-3.0, -8.0), (4.0, 2.0)], ids=["fall-rise", "two-falls", "two-rises"])
def test_with_two_years_of_data_a_fall_is_never_a_boom_year(growth):
    fai = sa.data.fai_growth()
    history = sa.analysis.rank_history(fai, "Shanxi")
    two = history[history["year"].isin([2019, 2020])].copy()
    two["fai_growth_pct"] = list(growth)
    two["revision_artefact"] = False
    c = sa.analysis.cycle(two.reset_index(drop=True), "Shanxi")
    assert (c.booms["fai_growth_pct"] > 0).all()  # a year in which investment fell is no boom
    assert not set(c.booms["year"]) & set(c.busts["year"])  # and no year is both
    assert len(c.booms) <= 1 and len(c.busts) <= 1
    falls = {y for y, g in zip((2019, 2020), growth, strict=True) if g < 0}
    assert set(c.falls["year"]) == falls
    from shanxi_analysis.present import story

    for year in falls:  # the sentence built on it places a year of falling investment among the slow ones
        place = story.cycle_place(c, year)
        assert "boom" not in place and "fastest" not in place, place
