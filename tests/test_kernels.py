"""Warm kernels: the same outputs as a kernel per notebook, and a kernel that failed, died or grew is replaced.

The story notebooks are built for the article's set with ``--fresh-kernels`` and compared with the suite's shared
build (``reports``, warm kernels, the default); every executed notebook must agree on
its text outputs, its glued values (read with glue.read_glued) and its figure count, so a notebook that depends on
state left by another fails here.  Tiny notebooks written here print the kernel's process id and the settings a
previous notebook changed.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import BILINGUAL_SETS, PARAMS, REAL_NOTEBOOKS, REAL_SETS, ROOT, run_cli, write_notebook
from matplotlib import rcParamsDefault

from shanxi_analysis import present, publish

pytestmark = pytest.mark.e2e


def outputs(path) -> tuple[list, dict, int, list]:
    """Text outputs, glued values, number of figures and execution counts of an executed notebook."""
    nb = nbformat.read(str(path), as_version=4)
    texts, figures, counts = [], 0, []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        counts.append(cell.get("execution_count"))
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                texts.append((out.get("name"), out.get("text")))
            data = out.get("data", {})
            figures += "image/png" in data or "image/svg+xml" in data
            texts += [(k, data[k]) for k in ("text/plain", "text/markdown", "text/html") if k in data]
    return texts, present.read_glued(nb), figures, counts


def with_article_check(reports: Path, out: Path) -> Path:
    """``out``, a reports folder holding the shared build's published article checks (English and Chinese) and
    nothing else, so that a story built there with ``--no-article-check`` links to them as the shared build's
    stories do (into a folder without one, it would not: the link would be dead)."""
    out.mkdir(parents=True)
    for key in ("article-check", "zh/article-check"):
        if (reports / key).is_dir():
            shutil.copytree(reports / key, out / key)
    (out / ".lock").touch()  # what every build leaves in a reports folder (a build refuses any other folder)
    return out


@pytest.mark.notebooks
def test_warm_and_fresh_kernels_give_identical_notebooks(tmp_path, reports):
    built = {"warm": reports}  # the suite's shared build: warm kernels (the default)
    province, year = REAL_SETS[0]  # the article's own set: every story notebook (the article check's three run in
    # fresh kernels in test_article_check_notebooks, whose pages are compared there with the shared build's)
    fresh = with_article_check(reports, tmp_path / "fresh")
    res = run_cli(
        "--province", province, "--year", str(year), "--format", "ipynb", "--fresh-kernels", "--no-article-check",
        "--out", str(fresh), timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    built["fresh"] = fresh
    executed = sorted(  # the set's own pages (the folder also holds the copied article checks)
        p.relative_to(fresh) for p in (fresh / str(year) / province.lower()).glob("*.ipynb")
    )
    stories = {p.name for p in REAL_NOTEBOOKS if publish.notebook_kind(p) == "province"}
    assert stories and sorted(p.name for p in executed) == sorted(stories)  # every story notebook once
    for rel in executed:
        fresh, warm = outputs(built["fresh"] / rel), outputs(built["warm"] / rel)
        assert warm[0] == fresh[0], f"{rel}: text outputs differ"
        assert warm[1] == fresh[1], f"{rel}: glued values differ"
        assert warm[2] == fresh[2], f"{rel}: figure count differs"
        assert warm[3] == fresh[3], f"{rel}: execution counts differ"


def images(path) -> list:
    """The figures of an executed notebook, as drawn (SVG text or PNG base64)."""
    nb = nbformat.read(str(path), as_version=4)
    return [
        out["data"][kind]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        for kind in ("image/svg+xml", "image/png")
        if kind in out.get("data", {})
    ]


#: An SVG's clip-path ids: matplotlib names each clip box by a hash of its coordinates at full precision.
CLIP_ID = re.compile(r'(?<=url\(#)p[0-9a-f]{10}(?=\))|(?<=<clipPath id=")p[0-9a-f]{10}(?=")')
#: A coordinate in an SVG (matplotlib writes six decimals).
COORDINATE = re.compile(r"(-?\d+\.\d+)")
#: How far two drawings of one chart may place a point apart, in points (SVG units): a chart drawn once more
#: without a layout pass (in another language, ``present.wording``) is placed by the same computation, but a box's
#: last written decimal can differ by one (287.412332 and 287.412333), and so the hash in its clip-path id.
DRAWN_TOLERANCE = 1e-4


def drawn(path) -> list:
    """The figures of an executed notebook as a reader gets them: the SVG cut into its text and its coordinates
    (clip-path ids numbered in order of appearance), and the figure's record (alt text, caption, data file,
    references)."""
    out = []
    for image, meta in zip(images(path), figure_records(path), strict=True):
        ids = list(dict.fromkeys(CLIP_ID.findall(image)))
        svg = CLIP_ID.sub(lambda m, ids=ids: f"clip{ids.index(m.group(0))}", image)
        out.append((COORDINATE.split(svg), meta))
    return out


def same_drawings(a: list, b: list) -> bool:
    """Whether two lists of :func:`drawn` figures are the same: every record and every text equal, every coordinate
    within :data:`DRAWN_TOLERANCE`."""
    if len(a) != len(b):
        return False
    for (parts_a, meta_a), (parts_b, meta_b) in zip(a, b, strict=True):
        if meta_a != meta_b or len(parts_a) != len(parts_b):
            return False
        for i, (x, y) in enumerate(zip(parts_a, parts_b, strict=True)):
            if i % 2 == 1 and abs(float(x) - float(y)) > DRAWN_TOLERANCE or i % 2 == 0 and x != y:
                return False
    return True


def figure_records(path) -> list:
    nb = nbformat.read(str(path), as_version=4)
    return [
        out.get("metadata", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if "image/svg+xml" in out.get("data", {}) or "image/png" in out.get("data", {})
    ]


@pytest.mark.notebooks
def test_chinese_pages_continued_from_the_english_run_equal_a_chinese_only_build(tmp_path, reports):
    """The shared build makes its bilingual sets in English and Chinese together: each Chinese notebook continued
    from the English run's computations (its language-free cells skipped) and its charts, drawn once for both
    languages and written in Chinese (``present.wording``).  Built alone in Chinese, every notebook runs and draws
    in full; both ways must publish the same sentences, numbers, glued values, charts and chart records."""
    plan = tmp_path / "plan.yml"
    plan.write_text("parts:\n" + "".join(f"  - params: {{province: {p}, year: {y}}}\n" for p, y in BILINGUAL_SETS))
    res = run_cli(
        "--plan", str(plan), "--lang", "zh", "--format", "ipynb", "--no-article-check", "--workers", "2",
        "--out", str(with_article_check(reports, tmp_path / "alone")), timeout=900,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    charts = 0
    for province, year in BILINGUAL_SETS:
        key = f"zh/{year}/{province.lower().replace(' ', '-')}"
        together, alone = reports / key, tmp_path / "alone" / key
        records = publish.read_json(together / "build.json")["notebooks"]
        assert records and all(r.get("computed_with") == "en" for r in records if r.get("published", True))
        assert not any(r.get("computed_with") for r in publish.read_json(alone / "build.json")["notebooks"])
        pages = sorted(p.name for p in alone.glob("*.ipynb"))
        assert pages == sorted(p.name for p in together.glob("*.ipynb")) and len(pages) >= 4
        for name in pages:
            a, b = outputs(together / name), outputs(alone / name)
            assert a[0] == b[0], f"{key}/{name}: text outputs differ"
            assert a[1] == b[1], f"{key}/{name}: glued values differ"
            assert same_drawings(drawn(together / name), drawn(alone / name)), f"{key}/{name}: charts differ"
            charts += len(images(alone / name))
    assert charts >= 6 * len(BILINGUAL_SETS)


PID = "import os\nprint('pid', os.getpid())"


def printed(folder, name: str) -> list[str]:
    nb = nbformat.read(str(folder / name), as_version=4)
    return "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    ).splitlines()


def pid(folder, name: str) -> str:
    return next(line for line in printed(folder, name) if line.startswith("pid "))


def test_each_notebook_starts_clean_and_a_failed_or_dead_kernel_is_replaced(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(
        nbs,
        "01-dirty.ipynb",
        [
            PID,
            "import matplotlib.pyplot as plt, pandas as pd, os\nLEAK = 1\n"
            "plt.rcParams['lines.linewidth'] = 7\npd.set_option('display.max_rows', 3)\n"
            "fig = plt.figure()\nos.chdir('/')",
        ],
    )
    write_notebook(
        nbs,
        "02-check.ipynb",
        [
            PID,
            "import matplotlib.pyplot as plt, pandas as pd, os\n"
            "print('leak', 'LEAK' in globals())\n"
            "print('lw', plt.rcParams['lines.linewidth'])\n"
            "print('rows', pd.get_option('display.max_rows'))\n"
            "print('figs', len(plt.get_fignums()))\nprint('cwd', os.getcwd())",
        ],
    )
    write_notebook(nbs, "03-raise.ipynb", [PID, "raise ValueError('on purpose')"])
    write_notebook(nbs, "04-after-failure.ipynb", [PID])
    write_notebook(nbs, "05-die.ipynb", [PID, "os._exit(1)"])
    write_notebook(nbs, "06-after-death.ipynb", [PID])
    jobs = publish.plan(["Hubei"], [2019], nbs, article=False)
    res = publish.build_reports(jobs, tmp_path / "out", progress=False, echo=lambda s: None, timeout=120)[0]
    assert res.status == "failed"
    assert [(f.notebook, f.kind) for f in res.failures] == [("03-raise.ipynb", "error"), ("05-die.ipynb", "kernel")]
    folder = res.folder
    check = printed(folder, "02-check.ipynb")
    assert check[1:] == [
        "leak False",
        f"lw {float(rcParamsDefault['lines.linewidth'])}",
        f"rows {pd.get_option('display.max_rows')}",
        "figs 0",
        f"cwd {nbs}",
    ]
    assert pid(folder, "01-dirty.ipynb") == pid(folder, "02-check.ipynb") == pid(folder, "03-raise.ipynb")  # kept
    assert pid(folder, "04-after-failure.ipynb") != pid(folder, "03-raise.ipynb")  # replaced after a failure
    assert pid(folder, "06-after-death.ipynb") != pid(folder, "05-die.ipynb")  # replaced after it died


def test_libraries_are_imported_only_for_notebooks_that_import_beyond_the_standard_library(tmp_path):
    nbs = tmp_path / "nbs"
    loaded = "import sys\nprint('matplotlib', 'matplotlib' in sys.modules)"
    write_notebook(nbs, "01-plain.ipynb", [PID, loaded])
    # loads matplotlib where the builder cannot see it: its settings have no baseline, so the kernel is replaced
    write_notebook(nbs, "02-hidden.ipynb", [PID, "import importlib\nmpl = importlib.import_module('matplotlib')"])
    write_notebook(nbs, "03-plain.ipynb", [PID, loaded])
    write_notebook(
        nbs,
        "04-libraries.ipynb",
        [PID, loaded, "import matplotlib.pyplot as plt, pandas as pd\nplt.rcParams['lines.linewidth'] = 7\n"
         "pd.set_option('display.max_rows', 3)"],
    )  # fmt: skip
    check = "import sys\nprint('lw', sys.modules['matplotlib'].rcParams['lines.linewidth'])\n"
    check += "print('rows', sys.modules['pandas'].get_option('display.max_rows'))"
    write_notebook(nbs, "05-plain.ipynb", [PID, check])
    jobs = publish.plan(["Hubei"], [2019], nbs, article=False)
    res = publish.build_reports(jobs, tmp_path / "out", progress=False, echo=lambda s: None, timeout=120)[0]
    assert res.status == "ok", res.failures
    folder = res.folder
    assert printed(folder, "01-plain.ipynb")[-1] == "matplotlib False"  # not imported for a notebook needing none
    assert pid(folder, "02-hidden.ipynb") == pid(folder, "01-plain.ipynb")
    assert pid(folder, "03-plain.ipynb") != pid(folder, "02-hidden.ipynb")  # replaced: matplotlib was loaded unseen
    assert printed(folder, "03-plain.ipynb")[-1] == "matplotlib False"
    assert pid(folder, "04-libraries.ipynb") != pid(folder, "03-plain.ipynb")  # a kernel with the libraries
    assert printed(folder, "04-libraries.ipynb")[-1] == "matplotlib True"  # imported before the notebook ran
    # the kernel with the libraries is kept for the notebook after it, and reset as before
    assert pid(folder, "05-plain.ipynb") == pid(folder, "04-libraries.ipynb")
    assert printed(folder, "05-plain.ipynb")[1:] == [
        f"lw {float(rcParamsDefault['lines.linewidth'])}",
        f"rows {pd.get_option('display.max_rows')}",
    ]


def test_the_notebooks_that_need_the_libraries_are_read_from_their_imports():
    def nb(*cells: str):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])

    assert not publish.needs_libraries(nb("import os, time\nfrom pathlib import Path", "print(1)"))
    assert not publish.needs_libraries(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("import pandas")]))
    assert publish.needs_libraries(nb("import os", "import shanxi_analysis as sa"))
    assert publish.needs_libraries(nb("def f():\n    from matplotlib import pyplot"))
    assert publish.needs_libraries(nb("from . import helpers"))  # a relative import: not the standard library
    assert publish.needs_libraries(nb("%matplotlib inline"))  # not plain Python: its imports cannot be read
    assert all(publish.needs_libraries(nbformat.read(str(p), as_version=4)) for p in REAL_NOTEBOOKS)


def test_memory_limit_and_fresh_kernels_start_a_kernel_per_notebook(tmp_path):
    nbs = tmp_path / "nbs"
    for i in (1, 2):
        write_notebook(nbs, f"0{i}-pid.ipynb", [PID])
    jobs = publish.plan(["Hubei"], [2019], nbs, article=False)
    for kw in ({"kernel_memory_mb": 1}, {"fresh_kernels": True}):
        out = tmp_path / str(len(kw)) / next(iter(kw))
        res = publish.build_reports(jobs, out, progress=False, echo=lambda s: None, **kw)[0]
        assert res.status == "ok"
        assert pid(res.folder, "01-pid.ipynb") != pid(res.folder, "02-pid.ipynb"), kw


def test_a_relative_notebooks_folder_works_with_a_warm_kernel(tmp_path):
    # the kernel already runs in that folder, so the builder must hand it an absolute path to change to
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-cwd.ipynb", ["import os\nprint('cwd', os.getcwd())"])
    write_notebook(nbs, "02-cwd.ipynb", ["import os\nprint('cwd', os.getcwd())"])
    rel = os.path.relpath(nbs, ROOT)
    res = run_cli("--notebooks", rel, "--province", "Hubei", "--year", "2019", "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    folder = tmp_path / "out" / "2019" / "hubei"
    assert printed(folder, "01-cwd.ipynb")[-1] == printed(folder, "02-cwd.ipynb")[-1] == f"cwd {nbs}"


# ------------------------------------------------------------------------ one set in two languages, computed once
LANG_PARAMS = PARAMS + '\nlang: str = "en"  # the language of the page'
#: A computation that leaves a trace of when it ran: a second run would draw another stamp.
STAMP = "import time\nimport shanxi_analysis as sa\nstamp = time.time_ns()\nnames = sa.data.provinces()"


def tagged_notebook(folder, name: str, cells: list[str], free: set[int]) -> None:
    """A notebook declaring ``lang`` whose code cells at positions ``free`` (0-based, after the parameters cell)
    are tagged language-free."""
    path = write_notebook(folder, name, cells, params=LANG_PARAMS)
    nb = nbformat.read(str(path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"][1:]
    for i in free:
        code[i].metadata["tags"] = [publish.LANGUAGE_FREE_TAG]
    nbformat.write(nb, str(path))


def record(folder, notebook: str) -> dict:
    return next(r for r in publish.read_json(folder / "build.json")["notebooks"] if r["notebook"] == notebook)


def test_a_set_in_two_languages_computes_once_and_words_each_language(tmp_path):
    nbs = tmp_path / "nbs"
    tagged_notebook(nbs, "01-once.ipynb", [STAMP, "print('words', lang, stamp, len(names))"], free={0})
    untagged = ["print('leak', 'stamp' in globals())", STAMP, "print('words', lang, stamp)"]
    tagged_notebook(nbs, "02-again.ipynb", untagged, free=set())
    jobs = publish.plan_pairs([("Hubei", 2019)], nbs, article=False, languages=("en", "zh"))
    out = tmp_path / "out"
    results = publish.build_reports(jobs, out, progress=False, echo=lambda s: None, timeout=120)
    assert [r.status for r in results] == ["ok", "ok"]
    en, zh = out / "2019" / "hubei", out / "zh" / "2019" / "hubei"
    words = {
        lang: next(x for x in printed(f, "01-once.ipynb") if x.startswith("words"))
        for lang, f in [("en", en), ("zh", zh)]
    }
    stamp = words["en"].split()[2]
    assert words == {"en": f"words en {stamp} 31", "zh": f"words zh {stamp} 31"}  # one computation, two languages
    again = [next(x for x in printed(f, "02-again.ipynb") if x.startswith("words")).split()[2] for f in (en, zh)]
    assert again[0] != again[1]  # a notebook without a tagged cell runs in full in each language,
    assert "leak False" in printed(zh, "02-again.ipynb")  # from a fresh namespace
    assert "computed_with" not in record(zh, "02-again.ipynb")
    assert record(zh, "01-once.ipynb")["computed_with"] == "en" and "computed_with" not in record(en, "01-once.ipynb")
    # the raw files the skipped cell read are recorded for the Chinese pages too (their incremental key)
    inputs = {lang: record(f, "01-once.ipynb")[publish.INPUTS_KEY] for lang, f in [("en", en), ("zh", zh)]}
    assert "provinces" in inputs["en"] and inputs["zh"] == inputs["en"]
    executed = nbformat.read(str(zh / "01-once.ipynb"), as_version=4)
    assert executed.metadata[publish.CONTINUED_KEY] is True
    skipped = next(c for c in executed.cells if publish.LANGUAGE_FREE_TAG in c.metadata.get("tags", []))
    assert skipped.outputs == [] and skipped.execution_count is None


def test_after_a_failed_first_language_the_next_one_runs_in_full(tmp_path):
    nbs = tmp_path / "nbs"
    fail_in_english = "print('words', lang, stamp)\nif lang == 'en':\n    raise ValueError('English only fails')"
    tagged_notebook(nbs, "01-once.ipynb", [STAMP, fail_in_english], free={0})
    jobs = publish.plan_pairs([("Hubei", 2019)], nbs, article=False, languages=("en", "zh"))
    out = tmp_path / "out"
    results = publish.build_reports(jobs, out, progress=False, echo=lambda s: None, timeout=120)
    assert [r.status for r in results] == ["failed", "ok"]
    failed = results[0].folder
    stamps = [
        next(x for x in printed(f, "01-once.ipynb") if x.startswith("words")).split()[2]
        for f in (failed, out / "zh" / "2019" / "hubei")
    ]
    assert stamps[0] != stamps[1]  # the kernel was replaced after the failure: Chinese computed afresh
    assert "computed_with" not in record(out / "zh" / "2019" / "hubei", "01-once.ipynb")


def test_build_set_refuses_jobs_of_different_sets(tmp_path):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-a.ipynb", ["print(1)"])
    jobs = publish.plan_pairs([("Hubei", 2019), ("Hunan", 2019)], nbs, article=False)
    assert [[jobs[i].set_label for i in g] for g in publish.same_set(jobs)] == [["Hubei 2019"], ["Hunan 2019"]]
    with pytest.raises(ValueError, match="one report set"):
        publish.build_set(jobs, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_kernels_talk_over_unix_sockets_in_a_private_folder_removed_at_shutdown(tmp_path):
    """Not TCP: a kernel binds the ports its manager chose free a moment before, so two kernels started at once
    (concurrent runs into one folder, pool workers) could pick the same port, and one of them died before it
    answered (one of two concurrent runs failed that way, papermill#511)."""
    kernels = [publish.WarmKernel(), publish.WarmKernel()]
    try:
        for k in kernels:
            k.ready(tmp_path, libraries=False)
        info = [k.km.get_connection_info() for k in kernels]
        assert [i["transport"] for i in info] == ["ipc", "ipc"]
        folders = [os.path.dirname(i["ip"]) for i in info]
        assert folders[0] != folders[1]
        assert all(os.stat(f).st_mode & 0o777 == 0o700 for f in folders)  # no other user can connect
        assert all(k.alive() for k in kernels)
    finally:
        for k in kernels:
            k.close()
    assert not any(os.path.exists(f) for f in folders)


def test_a_kernel_shut_down_is_waited_for_at_short_intervals_not_jupyters_tenth_of_a_second(tmp_path, monkeypatch):
    """jupyter_client checks every 0.1 s whether a stopped kernel has exited, so each report command waited about
    0.1 s at its end for a kernel gone within milliseconds; its manager checks every few milliseconds."""
    import asyncio

    from shanxi_analysis.publish import kernels

    waits: list[float] = []
    sleep = asyncio.sleep

    async def recorded(delay: float, *args, **kw):
        waits.append(delay)
        return await sleep(0)

    # the manager's wait for a kernel still alive at three checks (a real one is killed too fast to be caught so
    # on a loaded machine): it checks every EXIT_POLL_SECONDS
    km = kernels.kernel_manager_class(tmp_path / "kernel.log")()
    answers = iter([True, True, True, False])

    async def alive() -> bool:
        return next(answers)

    monkeypatch.setattr(km, "_async_is_alive", alive)
    monkeypatch.setattr(asyncio, "sleep", recorded)
    asyncio.run(km._async_wait())
    monkeypatch.undo()
    assert waits == [kernels.EXIT_POLL_SECONDS] * 3 and kernels.EXIT_POLL_SECONDS <= 0.01
    # a real kernel closed: gone and reaped, and never waited for a tenth of a second
    waits.clear()
    k = publish.WarmKernel()
    k.ready(tmp_path, libraries=False)
    pid = k.pid()
    monkeypatch.setattr(asyncio, "sleep", lambda delay, *a, **kw: (waits.append(delay), sleep(delay, *a, **kw))[1])
    k.close()
    monkeypatch.undo()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and reaped
    assert max(waits, default=0.0) <= 0.01  # its manager's checks and jupyter_client's 10 ms of reaping


def test_a_reset_sent_ahead_gives_the_next_notebook_a_fresh_namespace_and_rules_out_continuing(tmp_path):
    """The builder asks for the next notebook's fresh namespace as soon as a notebook has run
    (``WarmKernel.reset_ahead``), so the kernel resets while the builder saves that notebook; the next ``ready``
    collects it, and ``resume`` (continuing with the variables) declines, since they are gone."""
    k = publish.WarmKernel()
    seen = tmp_path / "seen.txt"
    try:
        k.ready(tmp_path, libraries=False)
        k.run("x = 1; import os; os.chdir('/')")
        k.reset_ahead(tmp_path)
        k.reset_ahead(tmp_path)  # once on its way, not sent again
        assert not k.resume(tmp_path)
        k.ready(tmp_path, libraries=False)
        k.run(f"import os; open({str(seen)!r}, 'w').write(f\"{{'x' in globals()}} {{os.getcwd()}}\")")
        assert seen.read_text() == f"False {tmp_path}"
        # a reset sent ahead for a folder removed before the kernel got to it (a Dask worker's set folder) does
        # not fail the next notebook, which runs in its own folder from a fresh namespace
        gone, other = tmp_path / "gone", tmp_path / "other"  # gone: removed before the kernel resets
        other.mkdir()
        k.run("z = 3")
        k.reset_ahead(gone)
        k.ready(other, libraries=False)
        k.run(f"import os; open({str(seen)!r}, 'w').write(f\"{{'z' in globals()}} {{os.getcwd()}}\")")
        assert seen.read_text() == f"False {other}"
        # without a reset ahead, resume keeps the variables
        k.run("y = 2")
        assert k.resume(tmp_path)
        k.run(f"open({str(seen)!r}, 'w').write(str(y))")
        assert seen.read_text() == "2"
        assert k.started == 1
    finally:
        k.close()


def test_report_kernels_keep_no_input_history(tmp_path):
    """IPython keeps every cell run in its history database, by default the user's own
    (~/.ipython/profile_default/history.sqlite): every cell of every report was written there, and each reset
    opened a session in it.  A report kernel keeps no history."""
    k = publish.WarmKernel()
    try:
        k.ready(tmp_path, libraries=False)
        seen = tmp_path / "history.txt"
        k.run(
            "from IPython import get_ipython; h = get_ipython().history_manager; "
            f"open({str(seen)!r}, 'w').write(f'{{h.enabled}} {{type(h.db).__name__}}')"
        )
        assert seen.read_text() == "False DummyDB"
    finally:
        k.close()


def test_every_output_of_a_cell_arrives_in_order_in_a_report_kernel(tmp_path):
    """A report kernel does not wait on empty stream flushes, sleeps after no cell and keeps the cells' parsed
    sources (kernels.py): what cells print, to either stream, what they display and what they
    return still arrives complete and in order, magics still work, in every notebook the kernel runs."""
    nbs = tmp_path / "nbs"
    cells = [
        PID,
        "import sys\nfrom IPython.display import Markdown, display\nprint('one')\n"
        "sys.stderr.write('two\\n')\ndisplay(Markdown('**three**'))\nprint('four')\n'five'",
        "%env SA_KERNEL_TEST=six",
        "print('seven', end='')\nprint()\nprint('eight')",
        "display(Markdown('nine'))",
    ]
    write_notebook(nbs, "01-first.ipynb", cells)
    write_notebook(nbs, "02-again.ipynb", cells)  # the same sources again: their parsing is kept
    jobs = publish.plan(["Hubei"], [2019], nbs, article=False)
    res = publish.build_reports(jobs, tmp_path / "out", progress=False, echo=lambda s: None, timeout=120)[0]
    assert res.status == "ok", res.failures
    for name in ("01-first.ipynb", "02-again.ipynb"):
        nb = nbformat.read(str(res.folder / name), as_version=4)
        seen = []
        for cell in nb.cells:
            for out in cell.get("outputs", []) if "pid" not in cell.source else []:
                if out["output_type"] == "stream":
                    seen += [(out["name"], line) for line in out["text"].splitlines()]
                else:
                    data = out.get("data", {})
                    seen.append((out["output_type"], data.get("text/markdown") or data.get("text/plain")))
        assert seen == [
            ("stdout", "one"),
            ("stderr", "two"),
            ("display_data", "**three**"),
            ("stdout", "four"),
            ("execute_result", "'five'"),
            ("stdout", "env: SA_KERNEL_TEST=six"),
            ("stdout", "seven"),
            ("stdout", "eight"),
            ("display_data", "nine"),
        ], name
    assert pid(res.folder, "01-first.ipynb") == pid(res.folder, "02-again.ipynb")  # one warm kernel ran both


def test_socket_folders_of_processes_that_are_gone_are_removed(tmp_path, monkeypatch):
    import subprocess
    import sys
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f"shanxi-kernel-{int(gone.stdout)}-abc"
    mine = tmp_path / f"shanxi-kernel-{os.getpid()}-def"
    other = tmp_path / "shanxi-kernel-notapid-x"
    for folder in (dead, mine, other):
        folder.mkdir()
        (folder / "k-1").write_text("")
    assert publish.remove_stale_socket_dirs() == [dead]
    assert not dead.exists() and mine.exists() and other.exists()


def test_a_kernel_that_cannot_import_the_libraries_fails_its_notebook_saying_so(tmp_path, monkeypatch):
    """The kernel is prepared before its first notebook (the libraries imported, with the notebooks' client made
    ready meanwhile); when that import fails, the notebook fails with the reason, not a hang or a bare traceback.
    A package of the same name, first on the kernel's path only, whose ``prepare`` raises, stands in for a broken
    environment."""
    fake = tmp_path / "fake" / "shanxi_analysis" / "publish"
    fake.mkdir(parents=True)
    (fake.parent / "__init__.py").write_text("", encoding="utf-8")
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "kernels.py").write_text(
        "def prepare(libraries):\n    raise ImportError('No module named pandas (a broken environment)')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "fake"))  # read by the kernels started from here on
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-uses-pandas.ipynb", ["import pandas as pd\nprint(pd.__name__)"])
    jobs = publish.plan(["Hubei"], [2019], nbs, article=False)
    res = publish.build_reports(jobs, tmp_path / "out", progress=False, echo=lambda s: None, timeout=120)[0]
    assert res.status == "failed"
    [failure] = res.failures
    assert failure.notebook == "01-uses-pandas.ipynb"
    assert "could not import the notebooks' libraries" in failure.describe()
    assert "No module named pandas (a broken environment)" in failure.describe()


def test_code_run_in_a_warm_kernel_outside_a_notebook_reports_its_error(tmp_path):
    warm = publish.WarmKernel()
    try:
        warm.ready(tmp_path)
        warm.run("import os; open('ran.txt', 'w').write(str(os.getpid()))")
        assert (tmp_path / "ran.txt").read_text() == str(warm.pid())  # in the kernel, in its folder
        with pytest.raises(RuntimeError, match=r"ValueError: on purpose"):
            warm.run("raise ValueError('on purpose')")
    finally:
        warm.close()


def test_a_kernel_launched_before_planning_runs_the_sets_of_this_process_or_is_shut_down(tmp_path):
    """The report command launches its warm kernel while it checks the data and plans (``WarmKernel.launch``):
    the sets built in this process run in that very kernel; when the sets go to the pool instead, it is shut down
    before the pool starts, not left running beside the workers' kernels."""
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-pid.ipynb", [PID])
    warm = publish.WarmKernel()
    try:
        warm.launch(nbs)
        launched = warm.pid()
        assert launched is not None
        jobs = publish.plan(["Hubei"], [2019], nbs, article=False)
        [res] = publish.build_reports(jobs, tmp_path / "one", progress=False, echo=lambda s: None, warm=warm)
        assert res.ok and pid(res.folder, "01-pid.ipynb") == f"pid {launched}"
    finally:
        warm.close()
    assert not warm.alive()  # build_reports shuts down the kernel it was given, once done

    warm = publish.WarmKernel()
    warm.launch(nbs)
    launched = warm.pid()
    jobs = publish.plan(["Hubei", "Hunan"], [2019], nbs, article=False)
    results = publish.build_reports(jobs, tmp_path / "two", workers=2, progress=False, echo=lambda s: None, warm=warm)
    assert all(r.ok for r in results)
    assert {pid(r.folder, "01-pid.ipynb") for r in results}.isdisjoint({f"pid {launched}"})  # the pool's kernels
    assert not warm.alive()
