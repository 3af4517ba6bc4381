"""Shared fixtures: a private, writable copy of data/ for tests that tamper with raw files."""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]


class DataCopy:
    """A copy of the project's data/ in a temporary folder, in use by the package while the test runs."""

    def __init__(self, root: Path):
        self.root = root
        self.raw = root / "raw"

    def edit_csv(
        self, name: str, change: Callable[[list[dict]], list[dict] | None], *, record_checksum: bool = True
    ) -> None:
        """Rewrite ``raw/<name>`` through ``change(rows)`` (edit in place or return new rows), then record the
        new checksum in the copy's manifest unless ``record_checksum`` is False."""
        path = self.raw / name
        text = path.read_text(encoding="utf-8")
        reader = csv.DictReader(io.StringIO(text))
        fields = list(reader.fieldnames or [])
        rows = list(reader)
        new = change(rows)
        rows = rows if new is None else new
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=list(rows[0].keys()) if rows else fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
        if record_checksum:
            self.record_checksums()

    def write_text(self, name: str, text: str, *, record_checksum: bool = True) -> None:
        (self.raw / name).write_text(text, encoding="utf-8")
        if record_checksum:
            self.record_checksums()

    def record_checksums(self) -> None:
        """Record every file's current checksum in the copy's manifest, even where the file is broken."""
        import shanxi_analysis as sa

        list(sa.data.refresh_manifest(self.root, check_headers=False, skip_missing=True, accept_shape=True))
        sa.data.clear_cache()


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> DataCopy:
    """A writable copy of data/ that the package reads instead of the real one for this test."""
    import shanxi_analysis as sa

    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst, ignore=shutil.ignore_patterns("interim", "cache"))
    monkeypatch.setenv("SHANXI_ANALYSIS_DATA_DIR", str(dst))
    monkeypatch.setenv("SHANXI_ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    sa.data.clear_cache()
    yield DataCopy(dst)
    sa.data.clear_cache()
