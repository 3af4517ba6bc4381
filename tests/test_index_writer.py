"""When a run rewrites the index (issue 24): after the first set it publishes, then at most every ``every`` seconds (or
``ratio`` times what the last rewrite took) and once more at the end, also after Ctrl-C; the index never lists a set
that is not published.  The unit tests write build records by hand and drive the writer with their own clock; the
end-to-end test interrupts a real run."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import GUARD, popen_cli, write_notebook

from shanxi_analysis import publish


def _publish(out: Path, province: str, year: int = 2019) -> None:
    """A good build.json for a province story, and its page (an empty file), as the builder publishes it."""
    folder = out / str(year) / province.lower()
    folder.mkdir(parents=True)
    rec = {
        "kind": "province",
        "parameters": {"province": province, "year": year},
        "status": "ok",
        "finished": f"2026-12-02T10:00:0{len(list(out.glob('*/*/build.json')))}+00:00",
        "notebooks": [{"notebook": "01-alpha.ipynb", "files": {"html": "01-alpha.html"}}],
    }
    (folder / "01-alpha.html").write_text("", encoding="utf-8")
    (folder / "build.json").write_text(json.dumps(rec), encoding="utf-8")


def _listed(out: Path) -> set[str]:
    """The provinces the year page of 2019 lists (no index yet: none)."""
    page = out / "years" / "2019.html"
    if not page.is_file():
        return set()
    text = page.read_text(encoding="utf-8")
    return {p for p in ("Hubei", "Hunan", "Henan", "Hebei") if f"2019/{p.lower()}/01-alpha.html" in text}


class Clock:
    """Seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_first_set_is_indexed_at_once_later_ones_at_most_every_interval(tmp_path):
    clock = Clock()
    writer = publish.IndexWriter(tmp_path, every=30, ratio=10, clock=clock)
    _publish(tmp_path, "Hubei")
    assert writer.published() is True
    assert _listed(tmp_path) == {"Hubei"}
    clock.now += 5
    _publish(tmp_path, "Hunan")
    assert writer.published() is False  # 5 s after the last rewrite: not yet
    assert _listed(tmp_path) == {"Hubei"}  # behind, never ahead of what is published
    clock.now += 25
    _publish(tmp_path, "Henan")
    assert writer.published() is True  # 30 s: due
    assert _listed(tmp_path) == {"Hubei", "Hunan", "Henan"}
    assert writer.flush() is False  # nothing published since: nothing rewritten
    _publish(tmp_path, "Hebei")
    assert writer.published() is False
    assert writer.flush() is True  # the end of a run
    assert _listed(tmp_path) == {"Hubei", "Hunan", "Henan", "Hebei"}
    assert writer.writes == 3


def test_a_slow_rewrite_spaces_the_next_ones_by_its_cost(tmp_path, monkeypatch):
    clock = Clock()
    writer = publish.IndexWriter(tmp_path, every=30, ratio=10, clock=clock)
    write_index = publish.write_index

    def slow(out, **kw):  # a large reports folder: the rewrite takes 6 s
        clock.now += 6
        return write_index(out, **kw)

    monkeypatch.setattr("shanxi_analysis.publish.index.write_index", slow)
    _publish(tmp_path, "Hubei")
    assert writer.published() is True
    clock.now += 45  # past `every`, short of 10 x 6 s
    _publish(tmp_path, "Hunan")
    assert writer.published() is False
    clock.now += 15
    assert writer.published() is True
    assert _listed(tmp_path) == {"Hubei", "Hunan"}


def test_a_failed_set_is_indexed_like_a_published_one(tmp_path):
    writer = publish.IndexWriter(tmp_path, clock=Clock())
    kept = tmp_path / "_failed" / "2019" / "hubei" / "20261202T100000"
    kept.mkdir(parents=True)
    rec = {
        "kind": "province",
        "parameters": {"province": "Hubei", "year": 2019},
        "status": "failed",
        "finished": "2026-12-02T10:00:00+00:00",
        "notebooks": [],
        "failures": ["01-alpha.ipynb, cell 2: ValueError: planted"],
    }
    (kept / "build.json").write_text(json.dumps(rec), encoding="utf-8")
    assert writer.published() is True
    assert "planted" in (tmp_path / "index.html").read_text(encoding="utf-8")


@pytest.mark.e2e
def test_ctrl_c_leaves_an_index_of_every_set_published_before_it(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(
        nbs, "01-alpha.ipynb", ["import time\nif province == 'Hunan':\n    time.sleep(60)", "print(province)"]
    )
    out = tmp_path / "out"
    proc = popen_cli(
        *("--province", "Henan", "--province", "Hubei", "--province", "Hunan"),
        *("--year", "2019", "--notebooks", str(nbs), "--out", str(out), "--no-article-check"),
    )
    try:
        end = time.monotonic() + GUARD
        while not all((out / "2019" / p / "build.json").is_file() for p in ("henan", "hubei")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < end, "the two quick sets were not published"
            time.sleep(0.2)
        time.sleep(1)  # Hunan's kernel is asleep
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 130, err
    assert _listed(out) == {"Henan", "Hubei"}  # the second was published less than 30 s after the first
    assert not (out / "2019" / "hunan").exists()
