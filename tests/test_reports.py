"""Tests for the report builder (``python -m shanxi_analysis report``) and the public API of ``publish``.

The command runs in subprocesses on tiny notebooks written here (one kernel start each), plus one real build of
the project's notebooks for a non-default province and year.  Expected values come from the notebooks written
here, the raw data files and independent computation (hashlib, importlib.metadata, html.parser), never from
the builder itself.  Failures are provoked for real: a raising cell, a sleeping cell with a tiny timeout,
SIGKILL and SIGINT on a running build, two concurrent builds.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from conftest import (
    FIGURE,
    GUARD,
    PARAMS,
    RAW,
    REAL_NOTEBOOKS,
    ROOT,
    good_notebooks,
    popen_cli,
    raw_panels,
    raw_rows,
    run_cli,
    run_main,
    snapshot,
    story_cases,
    write_notebook,
    year_range_from_raw,
)

from shanxi_analysis import present, publish
from shanxi_analysis.errors import ParameterError, UnknownProvinceError


def wait_for_staging(out: Path, proc: subprocess.Popen, deadline: float = GUARD) -> Path:
    """Poll until the running build has a staging folder with an executed notebook in it."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert proc.poll() is None, f"the build ended early: {proc.communicate()}"
        for d in (out / ".staging").glob("*"):
            if any(d.glob("*.ipynb")):
                return d
        time.sleep(0.2)
    raise AssertionError("no staging folder appeared")


class _Parser(HTMLParser):
    """Collects links, images, headings and checks tags are balanced."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.imgs: list[str] = []
        self.scripts: list[str] = []
        self.headings: list[str] = []
        self.stack: list[str] = []
        self.unbalanced: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img":
            self.imgs.append(a.get("src", ""))
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if tag in ("h1", "h2"):
            self._heading = []
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading).strip().rstrip("¶").strip())  # minus the anchor
            self._heading = None
        if tag in self.VOID:
            return
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        elif tag in self.stack:  # implicitly closed elements (p, li, td ...)
            while self.stack and self.stack.pop() != tag:
                pass
        else:
            self.unbalanced.append(tag)

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)


def parse(path: Path) -> _Parser:
    p = _Parser()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def assert_png_images(page: _Parser, at_least: int) -> None:
    pngs = [s for s in page.imgs if s.startswith("data:image/png;base64,")]
    assert len(pngs) >= at_least, page.imgs
    for src in pngs:
        raw = base64.b64decode(src.split(",", 1)[1])
        assert raw[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")
        assert width > 0 and height > 0


# ------------------------------------------------------------------------------------------- a good build


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """One successful build of two tiny notebooks for Hubei 2019."""
    tmp = tmp_path_factory.mktemp("built")
    nbs = good_notebooks(tmp / "nbs")
    out = tmp / "out"
    res = run_cli("--province", "hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    return {"res": res, "out": out, "nbs": nbs, "folder": out / "2019" / "hubei"}


@pytest.mark.e2e
def test_build_writes_report_folder_for_other_province_and_year(built):
    res, folder = built["res"], built["folder"]
    assert res.returncode == 0, res.stderr
    names = {p.name for p in folder.iterdir()}
    assert names == {
        "01-alpha.ipynb",
        "01-alpha.html",
        "02-beta.ipynb",
        "02-beta.html",
        "build.json",
        "datapackage.json",
    }
    assert res.stdout.strip() == str(built["out"] / "index.html")
    assert "Built 1 report set(s), 0 failed." in res.stderr
    assert not any((built["out"] / ".staging").iterdir())


@pytest.mark.e2e
def test_html_has_headings_figures_parameters_and_hides_code(built):
    page = parse(built["folder"] / "01-alpha.html")
    text = (built["folder"] / "01-alpha.html").read_text(encoding="utf-8")
    assert "01-alpha.ipynb heading" in page.headings
    assert_png_images(page, at_least=1)
    assert "REPORT FOR Hubei IN 2019" in text  # the parameters were injected
    assert "fig, ax = plt.subplots" not in text  # code is hidden
    assert not page.scripts or all(not s.startswith("http") for s in page.scripts)  # nothing from a CDN
    assert not [s for s in page.imgs if s.startswith("http")]
    beta = (built["folder"] / "02-beta.html").read_text(encoding="utf-8")
    assert "beta total 2020" in beta
    # navigation: back to the index and across the report's pages
    assert "../../index.html" in page.links and "02-beta.html" in page.links


@pytest.mark.e2e
def test_executed_notebook_keeps_parameters_and_outputs(built):
    nb = nbformat.read(str(built["folder"] / "01-alpha.ipynb"), as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and 'province = "Hubei"' in injected[0].source and "year = 2019" in injected[0].source
    assert any(
        o.get("output_type") == "display_data" and "image/png" in o.get("data", {})
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )


@pytest.mark.e2e
def test_build_json_records_how_the_report_was_made(built):
    rec = json.loads((built["folder"] / "build.json").read_text(encoding="utf-8"))
    assert rec["parameters"] == {"province": "Hubei", "year": 2019}
    assert rec["status"] == "ok"
    assert [n["notebook"] for n in rec["notebooks"]] == ["01-alpha.ipynb", "02-beta.ipynb"]
    prov = rec["provenance"]
    assert prov["version"] == metadata.version("shanxi-analysis")
    for lib in ("pandas", "papermill", "nbconvert", "matplotlib"):
        assert prov["libraries"][lib] == metadata.version(lib)
    assert prov["python"] == ".".join(map(str, sys.version_info[:3]))
    manifest = ROOT / "data" / "datapackage.json"
    assert prov["data_manifest"]["sha256"] == hashlib.sha256(manifest.read_bytes()).hexdigest()
    pkg = json.loads(manifest.read_text(encoding="utf-8"))
    expected = {r["name"]: r["hash"].removeprefix("sha256:") for r in pkg["resources"]}
    assert prov["data_manifest"]["resources"] == expected
    assert prov["command"][:3] == ["shanxi-analysis", "report", "--no-progress"] and "hubei" in prov["command"]


@pytest.mark.e2e
def test_index_lists_report_with_status_and_working_links(built):
    out = built["out"]
    page = parse(out / "index.html")
    text = (out / "index.html").read_text(encoding="utf-8")
    assert not page.unbalanced and not page.stack
    assert "Hubei" in text and "2019" in text and 'href="provinces/hubei.html"' in text
    assert "How this was made" in text
    assert hashlib.sha256((ROOT / "data" / "datapackage.json").read_bytes()).hexdigest() in text
    local = [h for h in page.links if not h.startswith(("http", "#"))]
    assert "2019/hubei/01-alpha.html" in local and "2019/hubei/02-beta.html" in local
    for href in local:
        assert (out / href.split("#")[0]).is_file(), href  # a page, maybe with an anchor
    # the page is self-contained: no external stylesheet or script
    assert "<link" not in text and "<script" not in text


# ------------------------------------------------------------------------------------------------ failures


@pytest.mark.e2e
def test_broken_notebook_fails_loudly_and_keeps_last_good_report(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    first = run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    assert first.returncode == 0, first.stderr
    good = out / "2019" / "hubei"
    before = snapshot(good)
    # cell 4 of the source notebook (markdown, parameters, then two code cells) raises
    broken = write_notebook(nbs, "02-beta.ipynb", ["total = year + 1", "raise ValueError(f'boom for {province}')"])
    src = nbformat.read(str(broken), as_version=4)
    failing_cell = next(i for i, c in enumerate(src.cells, start=1) if "raise ValueError" in c.source)

    res = run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))

    assert res.returncode == 1, res.stderr
    assert f"02-beta.ipynb, cell {failing_cell}" in res.stderr
    assert "ValueError: boom for Hubei" in res.stderr
    assert "Built 0 report set(s), 1 failed." in res.stderr
    assert snapshot(good) == before  # last good report untouched, byte for byte
    kept = list((out / "_failed" / "2019" / "hubei").iterdir())
    assert len(kept) == 1
    executed = nbformat.read(str(kept[0] / "02-beta.ipynb"), as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors and errors[0]["ename"] == "ValueError" and errors[0]["evalue"] == "boom for Hubei"
    for page in kept[0].glob("*.html"):  # the kept pages link back to the real index
        hrefs = re.findall(r'href="([^"]*index\.html)"', page.read_text(encoding="utf-8"))
        assert hrefs and all((page.parent / h).resolve() == (out / "index.html").resolve() for h in hrefs), hrefs
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "ValueError: boom for Hubei" in index
    assert "2019/hubei/01-alpha.html" in index  # the last good report is still linked
    assert not any((out / ".staging").iterdir())


@pytest.mark.e2e
def test_other_parameter_sets_continue_after_a_failure(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(
        nbs,
        "01-only.ipynb",
        ["if province == 'Hunan':\n    raise RuntimeError('no data for ' + province)", "print('fine', province)"],
    )
    out = tmp_path / "out"
    res = run_cli(
        "--province", "Hunan", "--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out)
    )
    assert res.returncode == 1
    assert "01-only.ipynb, cell 3" in res.stderr and "RuntimeError: no data for Hunan" in res.stderr
    assert (out / "2019" / "hubei" / "01-only.html").is_file()
    assert not (out / "2019" / "hunan").exists()
    assert "Built 1 report set(s), 1 failed." in res.stderr


@pytest.mark.e2e
def test_hanging_cell_is_stopped_by_timeout_and_reported(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-hang.ipynb", ["x = 1", "import time\ntime.sleep(60)", "print('never')"])
    out = tmp_path / "out"
    res = run_cli(
        "--province",
        "Hubei",
        "--year",
        "2019",
        "--notebooks",
        str(nbs),
        "--out",
        str(out),
        "--timeout",
        "2",
        timeout=55,
    )  # under the 60 s sleep: only the --timeout can end the cell
    assert res.returncode == 1, res.stderr
    assert "01-hang.ipynb, cell 4" in res.stderr
    assert "CellTimeoutError" in res.stderr and "--timeout 2 s" in res.stderr
    assert not (out / "2019" / "hubei").exists()
    kept = next((out / "_failed" / "2019" / "hubei").iterdir())
    assert (kept / "01-hang.ipynb").is_file()


@pytest.mark.e2e
def test_killed_run_leaves_last_good_report_and_is_cleaned_up_next_time(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    assert run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out)).returncode == 0
    before, index_before = snapshot(out / "2019" / "hubei"), (out / "index.html").read_bytes()
    slow = tmp_path / "slow"
    write_notebook(slow, "01-alpha.ipynb", ["print('first')"])
    write_notebook(slow, "02-beta.ipynb", ["import time\ntime.sleep(60)"])
    proc = popen_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(slow), "--out", str(out))
    try:
        stale = wait_for_staging(out, proc)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(out / "2019" / "hubei") == before
    assert (out / "index.html").read_bytes() == index_before
    assert {p.name for p in (out / "2019").iterdir()} == {"hubei"}  # no half-written report
    assert stale.exists()  # a dead run's staging is not a report ...
    again = run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert f"removed stale staging folder {stale}" in again.stderr  # ... and the next run removes it
    assert not stale.exists() and not any((out / ".staging").iterdir())


@pytest.mark.e2e
def test_ctrl_c_exits_130_and_discards_unfinished_report(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    assert run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out)).returncode == 0
    before = snapshot(out / "2019" / "hubei")
    slow = tmp_path / "slow"
    write_notebook(slow, "01-alpha.ipynb", ["print('first')"])
    write_notebook(slow, "02-beta.ipynb", ["import time\ntime.sleep(60)"])
    proc = popen_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(slow), "--out", str(out))
    try:
        wait_for_staging(out, proc)
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=50)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGUSR1)
            time.sleep(2)
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"the build did not stop within 50 s of SIGINT; its threads:\n{err[-6000:]}")
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "Interrupted" in err
    assert snapshot(out / "2019" / "hubei") == before
    assert not any((out / ".staging").iterdir())
    assert not (out / "_failed").exists()


def test_unknown_province_is_rejected_with_suggestions_before_any_work(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    res = run_main("--province", "Shanxii", "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 2
    assert "Unknown province 'Shanxii'" in res.stderr and "Did you mean" in res.stderr
    assert "Shanxi" in res.stderr.split("Did you mean", 1)[1]
    assert "Traceback" not in res.stderr
    assert not out.exists()  # nothing created: no staging, no kernel output


@pytest.mark.parametrize("year", ["1980", "2099"])
def test_year_outside_the_data_is_rejected(tmp_path, year):
    nbs = good_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    res = run_main("--province", "Hubei", "--year", year, "--notebooks", str(nbs), "--out", str(out))
    lo, hi = year_range_from_raw()
    assert res.returncode == 2
    assert f"Year {year} is outside the data" in res.stderr and f"{lo}-{hi}" in res.stderr
    assert not out.exists()


def test_undeclared_parameter_is_an_error(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    write_notebook(nbs, "03-noyear.ipynb", ["print(province)"], params='province: str = "Shanxi"')
    out = tmp_path / "out"
    res = run_main("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 2
    assert "03-noyear.ipynb does not declare the parameter 'year'" in res.stderr
    assert not out.exists()


def test_parameter_of_the_wrong_type_is_an_error(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    write_notebook(nbs, "03-stryear.ipynb", ["print(year)"], params='province: str = "Shanxi"\nyear: str = "2020"')
    out = tmp_path / "out"
    res = run_main("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 2
    assert "03-stryear.ipynb declares 'year' as str, but the report passes int 2019" in res.stderr
    assert not out.exists()


def test_notebook_without_parameters_cell_is_an_error(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    write_notebook(nbs, "03-noparams.ipynb", ["print(1)"], params=None)
    res = run_main("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(tmp_path / "o"))
    assert res.returncode == 2 and "03-noparams.ipynb has no cell tagged 'parameters'" in res.stderr


def test_unwritable_output_folder_is_reported_before_work(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "reports"
    res = run_main("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 2
    assert f"Cannot write reports to {out}" in res.stderr and "Not a directory" in res.stderr
    assert "--out DIR" in res.stderr
    assert blocker.read_text() == "not a folder"


def test_missing_notebooks_folder_is_a_usage_error(tmp_path):
    res = run_main("--notebooks", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert res.returncode == 2 and "does not exist" in res.stderr and "--notebooks DIR" in res.stderr


@pytest.mark.e2e
def test_two_concurrent_runs_into_one_folder(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    procs = [
        popen_cli("--province", p, "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
        for p in ("Hubei", "Hunan")
    ]
    outs = [p.communicate(timeout=GUARD) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], "\n\n".join(
        f"exit {p.returncode}:\n{err}" for p, (_, err) in zip(procs, outs, strict=True)
    )
    for slug in ("hubei", "hunan"):
        assert (out / "2019" / slug / "01-alpha.html").is_file()
        assert json.loads((out / "2019" / slug / "build.json").read_text())["status"] == "ok"
    page = parse(out / "index.html")
    assert not page.unbalanced and not page.stack
    assert {"2019/hubei/01-alpha.html", "2019/hunan/01-alpha.html"} <= set(page.links)
    assert not list(out.glob(".*.tmp")) and not any((out / ".staging").iterdir())


@pytest.mark.e2e
def test_a_print_the_kernel_sent_in_chunks_is_one_output_and_one_block(tmp_path):
    """A loaded kernel can send one print as two stream messages (seen once: "ALPHA" and " Henan 2019");
    flush() forces the split here. Outputs with something between them keep their order."""
    nbs = tmp_path / "nbs"
    write_notebook(
        nbs,
        "01-alpha.ipynb",
        [
            "import sys\nsys.stdout.write('ALPHA'); sys.stdout.flush()\nprint(' ' + province)",
            "from IPython.display import Markdown, display\nprint('before'); sys.stdout.flush()\n"
            "display(Markdown('**between**'))\nprint('after')",
        ],
    )
    out = tmp_path / "out"
    res = run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 0, res.stderr
    nb = nbformat.read(out / "2019" / "hubei" / "01-alpha.ipynb", as_version=4)
    joined, apart = [c for c in nb.cells if c.cell_type == "code"][-2:]
    assert [(o.output_type, o.get("text")) for o in joined.outputs] == [("stream", "ALPHA Hubei\n")]
    assert [o.output_type for o in apart.outputs] == ["stream", "display_data", "stream"]
    assert [o.get("text") for o in apart.outputs if o.output_type == "stream"] == ["before\n", "after\n"]
    page = (out / "2019" / "hubei" / "01-alpha.html").read_text(encoding="utf-8")
    assert "ALPHA Hubei" in page


@pytest.mark.e2e
def test_workers_build_several_provinces_in_parallel(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-one.ipynb", ["print('one', province)"])
    out = tmp_path / "out"
    provinces = ["Beijing", "Tibet", "Inner Mongolia"]
    args = sum((["--province", p] for p in provinces), [])
    res = run_cli(*args, "--year", "2018", "--workers", "2", "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "workers 2" in res.stderr
    for p, slug in zip(provinces, ("beijing", "tibet", "inner-mongolia"), strict=True):
        assert f"one {p}" in (out / "2018" / slug / "01-one.html").read_text(encoding="utf-8")
        assert re.search(rf"ok +{p} 2018", res.stderr)
    links = parse(out / "index.html").links
    assert {f"2018/{s}/01-one.html" for s in ("beijing", "tibet", "inner-mongolia")} <= set(links)


@pytest.mark.e2e
def test_pdf_without_chromium_says_how_to_install(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    env = {"PATH": str(Path(sys.executable).parent), "HOME": os.environ.get("HOME", "/tmp"), "MPLBACKEND": "Agg"}
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "shanxi_analysis",
            "report",
            "--format",
            "html,pdf",
            "--notebooks",
            str(nbs),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=GUARD,
        cwd=ROOT,
    )
    assert res.returncode == 2
    assert "PDF needs Chromium: install it with `sudo apt-get install chromium` (or `make browser-deps`)" in res.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.e2e
@pytest.mark.browser
def test_pdf_with_chromium(tmp_path):
    if not publish.chromium_path():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing under CI: install with make browser-deps")
        pytest.skip("chromium not installed; install with: make browser-deps (sudo apt-get install chromium)")
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-alpha.ipynb", [FIGURE])
    out = tmp_path / "out"
    res = run_cli(
        "--province", "Hubei", "--year", "2019", "--format", "html,pdf", "--notebooks", str(nbs), "--out", str(out)
    )
    assert res.returncode == 0, res.stderr
    pdf = out / "2019" / "hubei" / "01-alpha.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert not (out / "2019" / "hubei" / "01-alpha.ipynb").exists()  # ipynb not asked for
    assert "2019/hubei/01-alpha.pdf" in parse(out / "index.html").links


def test_invalid_format_and_workers_are_usage_errors(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    res = run_main("--format", "html,docx", "--notebooks", str(nbs), "--out", str(tmp_path / "o"))
    assert res.returncode == 2 and "Unknown output format docx" in res.stderr
    res = run_main("--workers", "0", "--notebooks", str(nbs), "--out", str(tmp_path / "o"))
    assert res.returncode == 2 and "--workers must be 1 or more" in res.stderr


# ------------------------------------------------------------------------------------ two kinds of report


@pytest.mark.e2e
def test_article_check_is_built_once_linked_and_kept_apart(tmp_path):
    nbs = tmp_path / "nbs"
    runs = tmp_path / "article-runs.txt"
    write_notebook(nbs, "01-story.ipynb", ["print(f'STORY OF {province} IN {year}')"], kind="province")
    write_notebook(nbs, "02-untagged.ipynb", ["print(f'UNTAGGED {province}')"])  # no kind: province story
    write_notebook(
        nbs,
        "03-article.ipynb",
        [f"open({str(runs)!r}, 'a').write(f'{{province}} {{year}}\\n')", "print('THE ARTICLE CHECK')"],
        kind="article",
    )
    out = tmp_path / "out"
    res = run_cli(
        "--province",
        "Hubei",
        "--province",
        "Hunan",
        "--year",
        "2019",
        "--year",
        "2018",
        "--notebooks",
        str(nbs),
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    assert "Built 5 report set(s), 0 failed." in res.stderr  # four stories and one article check
    assert runs.read_text().splitlines() == ["Shanxi 2020"]  # once, with the article's own parameters
    article = out / "article-check"
    assert {p.name for p in article.iterdir()} == {
        "03-article.ipynb",
        "03-article.html",
        "build.json",
        "datapackage.json",
    }
    assert json.loads((article / "build.json").read_text())["kind"] == "article"
    for year in ("2018", "2019"):
        for slug in ("hubei", "hunan"):
            names = {p.name for p in (out / year / slug).iterdir()}
            assert names == {
                "01-story.ipynb",
                "01-story.html",
                "02-untagged.ipynb",
                "02-untagged.html",
                "build.json",
                "datapackage.json",
            }, names  # never an article page inside a province's set
    page = parse(article / "03-article.html")
    assert "../index.html" in page.links and (article / "../index.html").resolve() == (out / "index.html")
    index = parse(out / "index.html")
    assert "article-check/03-article.html" in index.links
    for href in [h for h in index.links if not h.startswith(("http", "#"))]:
        assert (out / href.split("#")[0]).is_file(), href  # a page, maybe with an anchor

    # the article check left out: only stories are built, the index still links the last article check
    again = run_cli(
        "--province", "Hubei", "--year", "2017", "--no-article-check", "--notebooks", str(nbs), "--out", str(out)
    )
    assert again.returncode == 0, again.stderr
    assert runs.read_text().splitlines() == ["Shanxi 2020"]
    assert "article-check/03-article.html" in parse(out / "index.html").links

    # a failing article check is kept like any failed report and shown on its own line of the index
    write_notebook(nbs, "03-article.ipynb", ["raise ValueError('article <b>broken</b>')"], kind="article")
    bad = run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    assert bad.returncode == 1
    assert "FAILED article check" in bad.stderr and "ValueError: article <b>broken</b>" in bad.stderr
    assert (article / "03-article.html").is_file()  # the last good article check is untouched
    kept = next((out / "_failed" / "article-check").iterdir())
    for page_path in kept.glob("*.html"):
        hrefs = re.findall(r'href="([^"]*index\.html)"', page_path.read_text(encoding="utf-8"))
        assert hrefs and all((page_path.parent / h).resolve() == (out / "index.html").resolve() for h in hrefs)
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "article &lt;b&gt;broken&lt;/b&gt;" in text and "<b>broken</b>" not in text


def test_notebook_kinds_come_from_metadata(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-a.ipynb", ["pass"], kind="province")
    write_notebook(nbs, "02-b.ipynb", ["pass"])
    write_notebook(nbs, "05-c.ipynb", ["pass"], kind="article")
    assert publish.find_notebooks(nbs, "province") == (nbs / "01-a.ipynb", nbs / "02-b.ipynb")
    assert publish.find_notebooks(nbs, "article") == (nbs / "05-c.ipynb",)
    jobs = publish.plan(["Hubei", "Hunan"], [2019, 2020], nbs)
    assert [(j.kind, j.key) for j in jobs] == [
        ("article", "article-check"),
        ("province", "2019/hubei"),
        ("province", "2019/hunan"),
        ("province", "2020/hubei"),
        ("province", "2020/hunan"),
    ]
    assert jobs[0].notebooks == (nbs / "05-c.ipynb",) and jobs[1].notebooks == (nbs / "01-a.ipynb", nbs / "02-b.ipynb")
    assert [j.kind for j in publish.plan(["Hubei"], [2019], nbs, article=False)] == ["province"]
    assert publish.article_href(nbs, depth=2) == "../../article-check/05-c.html"
    write_notebook(nbs, "06-d.ipynb", ["pass"], kind="chapter")
    with pytest.raises(ParameterError, match=r"06-d.ipynb declares metadata shanxi_analysis.report = 'chapter'"):
        publish.plan(["Hubei"], [2019], nbs)
    only = tmp_path / "only"
    write_notebook(only, "05-c.ipynb", ["pass"], kind="article")
    assert publish.article_href(tmp_path / "nbs2") is None
    with pytest.raises(ParameterError, match="Nothing to build"):
        publish.plan(["Hubei"], [2019], only, article=False)


def test_article_check_href_goes_only_to_notebooks_that_declare_it(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(
        nbs, "01-a.ipynb", ["print('HREF', repr(article_check_href))"], params=PARAMS + '\narticle_check_href: str = ""'
    )
    write_notebook(nbs, "02-b.ipynb", ["print('NAMES', 'article_check_href' in dir())"])
    write_notebook(nbs, "05-c.ipynb", ["pass"], kind="article")
    story = publish.plan(["Hubei"], [2019], nbs)[1]
    assert story.notebook_parameters(nbs / "01-a.ipynb") == {
        "province": "Hubei",
        "year": 2019,
        "article_check_href": "../../article-check/05-c.html",
    }
    assert story.notebook_parameters(nbs / "02-b.ipynb") == {"province": "Hubei", "year": 2019}
    out = tmp_path / "out"
    res = publish.build_reports([story], out, progress=False, echo=lambda s: None, timeout=120)[0]
    assert res.status == "ok", res.failures
    text = {p.name: p.read_text(encoding="utf-8") for p in (out / "2019" / "hubei").glob("*.ipynb")}
    assert "HREF '../../article-check/05-c.html'" in text["01-a.ipynb"]
    assert "NAMES False" in text["02-b.ipynb"]  # nothing injected where the parameter is not declared
    without = tmp_path / "without"  # no article check among the notebooks: the declared parameter gets ""
    write_notebook(without, "01-a.ipynb", ["pass"], params=PARAMS + '\narticle_check_href: str = ""')
    assert publish.plan(["Hubei"], [2019], without)[0].notebook_parameters(without / "01-a.ipynb") == {
        "province": "Hubei",
        "year": 2019,
        "article_check_href": "",
    }


def test_stories_link_the_article_check_only_where_it_is_published(tmp_path):
    """``--no-article-check`` into a folder without an article check gives the stories no link to it (a dead link,
    and Shanxi 2020's overview summarising a check nobody can open); once one is published there, they link it."""
    nbs = tmp_path / "nbs"
    declared = PARAMS + '\nlang: str = "en"\narticle_check_href: str = ""'
    write_notebook(nbs, "01-a.ipynb", ["pass"], params=declared)
    write_notebook(nbs, "05-c.ipynb", ["pass"], kind="article", params=PARAMS + '\nlang: str = "en"')
    out = tmp_path / "out"

    def hrefs(article: bool, languages: str = "en") -> dict[str, str]:
        req = publish.request(
            provinces=["Hubei"], years=["2019"], notebooks_dir=nbs, out_dir=out, article=article, languages=languages
        )
        return {j.lang: j.article_check_href for j in req.jobs if j.kind == "province"}

    assert hrefs(article=False, languages="en,zh") == {"en": "", "zh": ""}
    assert hrefs(article=True, languages="en,zh") == {
        "en": "../../article-check/05-c.html",
        "zh": "../../../zh/article-check/05-c.html",
    }  # built by the same run
    req = publish.request(provinces=["Hubei"], years=["2019"], notebooks_dir=nbs, out_dir=out)
    check = [j for j in req.jobs if j.kind == "article"]
    assert publish.build_reports(check, out, progress=False, echo=lambda s: None, timeout=120)[0].status == "ok"
    assert hrefs(article=False, languages="en,zh") == {"en": "../../article-check/05-c.html", "zh": ""}


def test_page_header_reads_like_a_reader(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-a.ipynb", ["pass"])
    write_notebook(nbs, "05-c.ipynb", ["pass"], kind="article")
    prov = publish.provenance(["shanxi-analysis", "report"])
    story, article = publish.plan(["内蒙古"], [2019], nbs)[::-1]
    text = publish.nav_cell(story, "01-a").source
    assert "**Inner Mongolia, 2019**" in text and "](../../index.html)" in text
    assert "province=" not in text and "'Inner Mongolia'" not in text and "year=" not in text
    # the header is the navigation only: when and how the page was built is its colophon, at the end
    assert "Built" not in text and "sha256" not in text
    text = publish.colophon(story, "2024-01-01T00:00:00+00:00", prov)
    assert "for Inner Mongolia, 2019" in text and "built 1 January 2024, 00:00 UTC by" in text
    assert prov["data_manifest"]["sha256"][:16] in text and "How this was made" in text
    text = publish.nav_cell(article, "05-c").source
    assert "](../index.html)" in text and "province=" not in text
    assert "article" in publish.colophon(article, "2024-01-01T00:00:00+00:00", prov)
    # the project's pages are named as a reader names them, in the page's language, never by their file names
    shanxi = next(j for j in publish.plan(["Shanxi"], [2020], ROOT / "notebooks", article=False))
    text = publish.nav_cell(shanxi, "00-overview").source
    assert "**Overview**" in text and "[Growth and rank](01-investment-growth.html)" in text
    zh = dataclasses.replace(shanxi, lang="zh", languages=("en", "zh"))
    text = publish.nav_cell(zh, "00-overview").source
    assert "**概览**" in text and "[增速与排名](01-investment-growth.html)" in text
    assert "[01-investment-growth]" not in text and "生成" not in text
    text = publish.colophon(zh, "2024-01-01T16:30:00+00:00", prov)
    assert "2024年1月2日00:30（北京时间）" in text and "生成方式" in text


# ------------------------------------------------------------------------------------ the real notebooks


PLACEHOLDERS = (
    "left empty",
    "concerns Shanxi",
    "for Shanxi in 2020",
    "not available",
    "TODO",
    "Traceback",
    "lorem",
    "{province}",
    "{year}",
    "−nan",
    "<NA>",
)


class _Text(HTMLParser):
    """The visible text of a page (no style or script), and its images."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.imgs = 0
        self.h1: list[str] = []  # the text of each level-1 heading
        self._skip = 0
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        src = dict(attrs).get("src") or ""
        self.imgs += tag == "img" and src.startswith(("data:image/svg+xml;base64,", "data:image/png;base64,"))
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script") and self._skip > 0
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            if self._in_h1:
                self.h1[-1] += data


def page_text(path: Path) -> tuple[str, int, list[str]]:
    """The visible text of a page, its number of embedded charts (SVG or PNG) and its level-1 headings."""
    p = _Text()
    p.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(p.parts).split()), p.imgs, [" ".join(h.replace("\u00b6", "").split()) for h in p.h1]


def _pct(v: float) -> str:
    return f"{abs(v):.1f}%"


def _neighbours_from_geojson(province: str) -> set[str]:
    gj = json.loads((RAW / "province_shapes.geojson").read_text(encoding="utf-8"))
    by_code = {int(r["adcode"]): r["name_en"] for r in raw_rows("provinces.csv")}

    def points(geom: dict) -> set[tuple[float, float]]:
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        return {(round(x, 6), round(y, 6)) for poly in polys for x, y, *_ in poly[0]}

    pts = {by_code[int(f["properties"]["adcode"])]: points(f["geometry"]) for f in gj["features"]}
    return {p for p, s in pts.items() if p != province and s & pts[province]}


def expected_facts(province: str, year: int) -> dict[str, list[str]]:
    """Per page (by number), strings the page must contain, computed here from the raw files."""
    import shanxi_analysis as sa

    panels = raw_panels()
    g = panels["growth"].get((province, year))
    # values the data stage flags as revision artefacts are kept as published but take no rank and no part in medians
    fai = sa.data.fai_growth()
    flagged = {(p, int(y)) for p, y in fai.loc[fai["flagged"], ["province", "year"]].itertuples(index=False)}
    same_year = sorted(v for (p, y), v in panels["growth"].items() if y == year and (p, y) not in flagged)
    median = (
        same_year[len(same_year) // 2]
        if len(same_year) % 2
        else (same_year[len(same_year) // 2 - 1] + same_year[len(same_year) // 2]) / 2
    )
    no_fig = f"{province} has no published fixed-asset investment growth figure for {year}"
    facts = {
        "00": [_pct(g) if g is not None else no_fig],
        "01": [
            _pct(g) if g is not None else f"{province} has no figure",
            f"the median was {'+' if median > 0 else '−' if median < 0 else ''}{_pct(median)}",  # the year's spread
        ],
        "06": sorted(_neighbours_from_geojson(province)) or ["shares no land border"],
    }
    if g is not None and (province, year) not in flagged:
        rank = 1 + sum(v > g for v in same_year)
        suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
        facts["01"].append(f"{rank}{suffix} of {len(same_year)} provinces")
    seven = []
    lvl, gdp = panels["level"].get((province, year)), panels["gdp"].get((province, year))
    if lvl is not None and gdp is not None:
        seven.append(f"{lvl / gdp * 100:.1f}% of its gross regional product")
    if not any(k[0] == province for k in panels["price"]):
        seven.append(f"The FAI price index in the sources has no figure for {province} in any year")
    grp = panels["grp"].get((province, year))
    if grp is not None:
        # "grew 7.0%", no sign: in the title ("grew 7.0% in real terms in 2019") or the first paragraph
        seven.append(f"{'grew' if grp >= 100 else 'shrank'} {abs(grp - 100):.1f}%")
    facts["07"] = seven or ["the data cannot say"]
    return facts


@pytest.mark.notebooks
@pytest.mark.skipif(not REAL_NOTEBOOKS, reason="no notebooks in notebooks/ yet")
def test_province_stories_for_a_spread_of_parameter_sets(reports):
    out = reports  # the spread built by one command with the article check (conftest.reports)
    cases = story_cases()
    story_pages = [nb.stem for nb in REAL_NOTEBOOKS if publish.notebook_kind(nb) == "province"]
    article_pages = [nb.stem for nb in REAL_NOTEBOOKS if publish.notebook_kind(nb) == "article"]
    assert story_pages and article_pages
    for case, (province, year) in cases.items():
        folder = out / str(year) / publish.ReportJob(province, year, ()).slug
        built = json.loads((folder / "build.json").read_text(encoding="utf-8"))
        assert [Path(n["notebook"]).stem for n in built["notebooks"]] == story_pages  # no article page here
        facts = expected_facts(province, year)
        left_out = {Path(n["notebook"]).stem for n in built["notebooks"] if n.get("published") is False}
        assert left_out <= {"02-year-in-detail"}, (case, left_out)  # only a year with nothing beyond the overview
        for stem in (s for s in story_pages if s not in left_out):
            text, images, headings = page_text(folder / f"{stem}.html")
            assert headings, (case, stem)  # the title is written by the notebook's code, in the page's language
            body = text[text.index(headings[0]) :]  # the page itself, after its header
            assert province in body, (case, stem)
            for fact in facts.get(stem[:2], []):
                assert fact in text, (case, stem, fact)
            assert images >= 1 or "no chart" in text, (case, stem)
            unquoted = text  # the data's own notes are quoted as they are (e.g. "growth for 1995 is not available")
            for note in (r["note"] for r in raw_rows("fai_growth_annotations.csv")):
                unquoted = unquoted.replace(note, "")
            for bad in PLACEHOLDERS:
                assert bad not in unquoted, (case, stem, bad)
            assert not re.search(r"\b(nan|None|NaN)\b", text), (case, stem)
            if (province, year) == ("Ningxia", 2023):  # `make reports PROVINCE=Ningxia YEAR=2023`: no Shanxi page
                quoted = unquoted.replace("shanxi-analysis", "")  # less the data's annotation notes, quoted
                quoted = quoted.replace(present.tile_key("en"), "")  # and the tile grid's key, naming every one
                for note in (r["break_note"] for r in raw_rows("fai_level_breaks.csv")):  # data notes quoted as is
                    quoted = quoted.replace(note, "")
                assert "Shanxi" not in quoted, (case, stem)
    # the article check: built once (by the first command), on its own line of the index, every link working
    assert (out / "article-check" / "build.json").is_file()
    assert sorted(p.stem for p in (out / "article-check").glob("*.html")) == article_pages
    index = parse(out / "index.html")
    assert f"article-check/{article_pages[0]}.html" in index.links
    local = [h for h in index.links if not h.startswith(("http", "#"))]
    for href in local:
        page, _, anchor = href.partition("#")
        assert (out / page).is_file(), href
        if anchor:  # the lede's links go to the claim's row of the ledger
            assert f'id="{anchor}"' in (out / page).read_text(encoding="utf-8"), href
    assert any("#claim-" in h for h in local)  # the lede links its evidence from the index
    for province, year in cases.values():
        assert any(h.startswith(f"{year}/{publish.ReportJob(province, year, ()).slug}/") for h in local)


# --------------------------------------------------------------------------------------- pure functions


def test_plan_normalises_and_deduplicates(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    jobs = publish.plan(["山西", "Shanxi", "140000", "hubei"], [2019, 2019, 2020], nbs)
    assert [(j.province, j.year) for j in jobs] == [
        ("Shanxi", 2019),
        ("Hubei", 2019),
        ("Shanxi", 2020),
        ("Hubei", 2020),
    ]
    assert jobs[0].notebooks == (nbs / "01-alpha.ipynb", nbs / "02-beta.ipynb")
    assert jobs[1].key == "2019/hubei" and jobs[1].parameters == {"province": "Hubei", "year": 2019}
    with pytest.raises(UnknownProvinceError, match="Did you mean"):
        publish.plan(["Shanxii"], [2020], nbs)


def test_validate_params_uses_declared_types(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    publish.validate_params(publish.plan(["Hubei"], [2019], nbs), year_range=(1992, 2022))
    # without annotations the type is that of the default literal; an int is fine where a float is declared
    write_notebook(nbs, "03-float.ipynb", ["pass"], params='province = "Shanxi"\nyear = 2020.0')
    publish.validate_params(publish.plan(["Hubei"], [2019], nbs), year_range=(1992, 2022))
    write_notebook(nbs, "04-text.ipynb", ["pass"], params='province = "Shanxi"\nyear = "2020"')
    with pytest.raises(ParameterError, match="04-text.ipynb declares 'year' as str, but the report passes int 2019"):
        publish.validate_params(publish.plan(["Hubei"], [2019], nbs), year_range=(1992, 2022))
    with pytest.raises(ParameterError, match="outside the data: FAI growth by province covers 2000-2010"):
        publish.validate_params(
            publish.plan(["Hubei"], [2019], good_notebooks(tmp_path / "n2")), year_range=(2000, 2010)
        )


def test_check_output_dir_names_path_and_reason(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ParameterError, match=r"Cannot write reports to .*/f/sub: Not a directory"):
        publish.check_output_dir(tmp_path / "f" / "sub")
    assert publish.check_output_dir(tmp_path / "ok" / "sub") == (tmp_path / "ok" / "sub")
    assert list((tmp_path / "ok" / "sub").iterdir()) == []  # the probe is removed


def test_publish_swaps_atomically_and_stale_staging_is_cleaned(tmp_path):
    out = tmp_path / "out"
    target = out / "2019" / "hubei"
    target.mkdir(parents=True)
    (target / "a.html").write_text("old")
    staging = out / ".staging" / "1-new"
    staging.mkdir(parents=True)
    (staging / "a.html").write_text("new")
    publish.swap_in(staging, target)
    assert (target / "a.html").read_text() == "new" and not staging.exists()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / ".staging" / f"{dead.pid}-abc"
    stale.mkdir()
    alive = out / ".staging" / f"{os.getppid()}-def"
    alive.mkdir()
    assert publish.clean_stale_staging(out) == [stale]
    assert not stale.exists() and alive.exists()


def test_failure_describe_names_notebook_cell_and_error():
    f = publish.Failure("03-x.ipynb", 4, 3, "KeyError", "'year'\nmore lines")
    assert f.describe() == "03-x.ipynb, cell 4 (In [3]): KeyError: 'year'"


def test_render_index_marks_failed_latest_attempt_and_keeps_good_links(tmp_path):
    out = tmp_path
    prov = publish.provenance(["shanxi-analysis", "report"])
    good = {
        "parameters": {"province": "Hubei", "year": 2019},
        "status": "ok",
        "finished": "2024-01-01T00:00:00+00:00",
        "seconds": 1.0,
        "notebooks": [{"notebook": "01-a.ipynb", "files": {"ipynb": "01-a.ipynb", "html": "01-a.html"}}],
        "failures": [],
        "provenance": prov,
        "timeout_per_cell": 600,
    }
    bad = {
        **good,
        "status": "failed",
        "finished": "2024-01-02T00:00:00+00:00",
        "failures": ["01-a.ipynb, cell 3 (In [2]): ZeroDivisionError: division by zero"],
    }
    (out / "2019" / "hubei").mkdir(parents=True)
    (out / "2019" / "hubei" / "build.json").write_text(json.dumps(good))
    (out / "_failed" / "2019" / "hubei" / "t1").mkdir(parents=True)
    (out / "_failed" / "2019" / "hubei" / "t1" / "build.json").write_text(json.dumps(bad))
    text = publish.render_index(out)
    assert "ZeroDivisionError: division by zero" in text and 'class="failed"' in text
    assert 'href="2019/hubei/01-a.html"' in text and 'href="_failed/2019/hubei/t1/build.json"' in text
    shutil.rmtree(out / "_failed")
    text = publish.render_index(out)
    assert 'class="failed"' not in text and 'href="2019/hubei/01-a.html"' in text  # among the latest built


def _record(
    province: str | None,
    year: int | None,
    *,
    finished: str,
    status: str = "ok",
    failures: list[str] | None = None,
    kind: str = "province",
) -> dict:
    prov = {
        "version": "0",
        "python": "3",
        "libraries": {},
        "command": ["x"],
        "data_manifest": {"path": "p", "sha256": "s", "resources": {}},
    }
    return {
        "kind": kind,
        "parameters": {"province": province, "year": year},
        "status": status,
        "finished": finished,
        "seconds": 1.0,
        "failures": failures or [],
        "provenance": prov,
        "timeout_per_cell": 600,
        "notebooks": [
            {"notebook": "00-a.ipynb", "files": {"html": "00-a.html"}},
            {"notebook": "01-b.ipynb", "files": {"html": "01-b.html"}},
        ],
    }


def test_render_index_grid_article_line_and_escaping(tmp_path):
    out = tmp_path
    for province, slug in (("Hubei", "hubei"), ("Inner Mongolia", "inner-mongolia")):
        for year in (2019, 2022):
            (out / str(year) / slug).mkdir(parents=True)
            (out / str(year) / slug / "build.json").write_text(
                json.dumps(_record(province, year, finished=f"2024-01-0{year - 2018}T00:00:00+00:00"))
            )
    (out / "2005" / "hubei").mkdir(parents=True)  # a report whose only attempt failed, with markup in its error
    (out / "_failed" / "2005" / "hubei" / "t1").mkdir(parents=True)
    (out / "_failed" / "2005" / "hubei" / "t1" / "build.json").write_text(
        json.dumps(
            _record(
                "Hubei",
                2005,
                finished="2024-02-01T00:00:00+00:00",
                status="failed",
                failures=["00-a.ipynb, cell 3: ValueError: <script>alert(1)</script>"],
            )
        )
    )
    shutil.rmtree(out / "2005")
    (out / "article-check").mkdir()
    (out / "article-check" / "build.json").write_text(
        json.dumps(_record("Shanxi", 2020, finished="2024-01-09T00:00:00+00:00", kind="article"))
    )
    text = publish.render_index(out)
    page = _Parser()
    page.feed(text)
    assert not page.unbalanced and not page.stack
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    # the article check on its own line, before the grid
    line = re.search(r'<div id="article-line">(.*?)</div>', text, flags=re.S).group(1)
    assert 'href="article-check/00-a.html"' in line and 'href="article-check/01-b.html"' in line
    # a page per province and per year instead of a grid: the index links them
    assert text.index('id="article-line"') < text.index('id="provinces"')
    assert re.findall(r'<li><a href="provinces/([a-z-]+)\.html">', text) == ["hubei", "inner-mongolia"]
    assert re.findall(r'<li><a href="years/(\d+)\.html">', text) == ["2005", "2019", "2022"]
    # each card says what it counts: a province's years, a year's provinces (a bare "8" under a year read as nothing)
    assert re.findall(r'href="years/2022\.html">2022<span class="n">([^<]*)</span>', text) == ["2 provinces"]
    assert re.findall(r'href="years/2005\.html">2005<span class="n">([^<]*)</span>', text) == ["1 province"]
    assert re.findall(r'href="provinces/hubei\.html">Hubei<span class="n">([^<]*)</span>', text) == ["3 years"]
    pages = publish.render_pages(out)
    hubei = pages["provinces/hubei.html"]
    assert 'href="../2019/hubei/00-a.html"' in hubei and 'href="../2022/hubei/01-b.html"' in hubei
    assert "latest build failed" in hubei and "&lt;script&gt;" not in hubei  # 2005: failed, no page to link
    assert 'href="../2022/inner-mongolia/00-a.html"' in pages["years/2022.html"]
    for html in pages.values():
        checker = _Parser()
        checker.feed(html)
        assert not checker.unbalanced and not checker.stack
    assert "Hubei, 2005" in text  # listed among the failed latest attempts


def test_index_pages_of_the_whole_grid_show_each_finding_and_no_local_path(tmp_path):
    """31 provinces x 33 years written without running a notebook (tests/synthetic_grid.py): the index, a page
    per province and per year, each entry with the growth and rank its notebook glued; a page a notebook did not
    publish is named with its reason; no local path and no command line on any page."""
    from synthetic_grid import SKIP_REASON, write_grid

    import shanxi_analysis as sa

    assert write_grid(tmp_path, skip_year_in_detail=frozenset({2012})) == 1023
    pages = publish.render_pages(tmp_path)
    assert len(pages) == 1 + 31 + 33
    index = pages["index.html"]
    # the article check first, with its lede (the glued headline: no lede was glued)
    assert index.index("Of 40 claims, 12 are confirmed.") < index.index('id="provinces"') < index.index('id="years"')
    for html in pages.values():
        assert "/home/someone" not in html and "secret-folder" not in html and "--out" not in html
        assert len(html.encode("utf-8")) < 60_000
    # Hubei 2020, from the series (not from the index code): growth and rank among the provinces with a usable
    # figure (flagged values take no rank)
    fai = sa.data.fai_growth()
    year = fai[(fai["year"] == 2020) & fai["fai_growth_pct"].notna() & ~fai["flagged"]]
    growth = float(year.loc[year["province"] == "Hubei", "fai_growth_pct"].iloc[0])
    rank = 1 + int((year["fai_growth_pct"] > growth).sum())
    suffix = "th" if 11 <= rank % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    place = "last" if rank == len(year) else f"{rank}{suffix}"  # the last rank is "last", as in Chinese (末位)
    written = ("\u2212" if growth < 0 else "") + f"{abs(growth):.1f}% growth, {place} of {len(year)}"
    hubei = pages["provinces/hubei.html"]
    assert re.search(r">2020</a></span>\s*<span class=\"finding\">" + re.escape(written), hubei), written
    assert 'href="../2020/hubei/02-year-in-detail.html"' in hubei
    # 2012 has no year-in-detail page: not linked, and the reason is given
    y2012 = pages["years/2012.html"]
    assert "02-year-in-detail.html" not in y2012
    assert y2012.count(f"No year-in-detail page for this year. {SKIP_REASON}") == 31
    # a year's provinces fastest first
    ranks = [
        31 if r == "last" else int(r[:-2])
        for r in re.findall(r"growth, (?:joint )?(last|\d+(?:st|nd|rd|th)) of", pages["years/2020.html"])
    ]
    assert ranks == sorted(ranks) and len(ranks) == 31
    # a shared rank says so, as the province's pages do (Jilin and Tianjin 2015, both 12.6% in data/raw)
    jilin = [r for r in raw_rows("nbs_fai_growth_by_province.csv") if r["year"] == "2015" and r["fai_growth_pct"]]
    shared = [r["indicator_name"].split(":")[0] for r in jilin if r["fai_growth_pct"] == "12.6"]
    assert sorted(shared) == ["吉林", "天津"]
    assert re.search(
        r">2015</a></span>\s*<span class=\"finding\">12\.6% growth, joint 16th of 31", pages["provinces/jilin.html"]
    )


@pytest.mark.e2e
def test_a_page_its_notebook_marks_unpublished_is_left_out_and_the_index_says_why(tmp_path):
    """A notebook gluing ``page_publish=False`` (STORIES' 02-year-in-detail in a year with nothing new): the set is
    published without that page, no other page links it, build.json and the index pages give the reason."""
    nbs = tmp_path / "nbs"
    write_notebook(
        nbs, "00-alpha.ipynb", ["from shanxi_analysis import present", "present.glue(growth=3.5, rank=4, n_ranked=31)"]
    )
    write_notebook(
        nbs,
        "01-beta.ipynb",
        ["from shanxi_analysis import present", "present.glue(page_publish=False, page_reason='nothing new in 2019')"],
    )
    write_notebook(nbs, "02-gamma.ipynb", ["print('gamma')"])
    out = tmp_path / "out"
    res = run_cli("--province", "Hubei", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 0, res.stderr
    folder = out / "2019" / "hubei"
    assert (folder / "00-alpha.html").is_file() and (folder / "02-gamma.html").is_file()
    assert not list(folder.glob("01-beta.*"))
    for page in ("00-alpha.html", "02-gamma.html"):
        assert "01-beta.html" not in (folder / page).read_text(encoding="utf-8"), page
    rec = {r["notebook"]: r for r in json.loads((folder / "build.json").read_text())["notebooks"]}
    assert rec["01-beta.ipynb"]["published"] is False and rec["01-beta.ipynb"]["reason"] == "nothing new in 2019"
    assert rec["00-alpha.ipynb"]["glue"] == {"growth": 3.5, "rank": 4, "n_ranked": 31}
    province_page = (out / "provinces" / "hubei.html").read_text(encoding="utf-8")
    assert "No beta page for this year. nothing new in 2019" in province_page
    assert "3.5% growth, 4th of 31" in province_page and "01-beta.html" not in province_page
    assert "3.5% growth, 4th of 31" in (out / "years" / "2019.html").read_text(encoding="utf-8")


def test_the_index_renders_a_glued_markdown_lede_as_html_with_its_links_rebased():
    from shanxi_analysis.publish import index

    text = (
        "**What the article got wrong.** 7.7 was a gap ([the figure](05-claims.html#claim-x)); "
        "<script>alert(1)</script> [bad](javascript:alert(1)) [nbs](https://www.stats.gov.cn/) [top](#lede)"
    )
    html = str(index.markdown_html(text, "article-check/"))
    assert "<strong>What the article got wrong.</strong>" in html and "**" not in html
    assert '<a href="article-check/05-claims.html#claim-x">the figure</a>' in html
    assert '<a href="https://www.stats.gov.cn/">nbs</a>' in html and '<a href="#lede">top</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # shown as text
    assert "javascript:" not in html and "bad" in html  # an unsafe link keeps only its text
