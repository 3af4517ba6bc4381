"""Export of executed notebooks: one nbconvert exporter and one export thread per process, the page template, the
navigation cell at the top of each page and PDF printing with headless Chromium."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from ..templating import render
from .planning import ARTICLE, BUILD_FILE, CHROMIUM_FLAGS, INDEX_FILE, PDF_INSTALL_HINT, ReportJob, chromium_path

_EXPORTER = None
_EXPORTER_LOCK = threading.Lock()


#: The project's page template: ``templates/report/`` (extends nbconvert's ``lab`` template with a small
#: stylesheet of its own; no JupyterLab CSS, no script from a CDN).
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "report"
#: The navigation cell at the top of each page (Markdown with HTML) and the colophon at its end (when and how the
#: page was built: HTML, placed after the list of sources by the page template), both autoescaped, per language:
#: ``nav.<lang>.md.j2`` and ``colophon.<lang>.html.j2`` (English: ``nav.md.j2`` and ``colophon.html.j2``).
NAV_TEMPLATE = "nav.md.j2"
COLOPHON_TEMPLATE = "colophon.html.j2"


def page_template(template: str, lang: str) -> str:
    """A page part's template in ``lang`` (``nav.md.j2`` -> ``nav.zh.md.j2``), or ``template`` itself (English)
    where the language has none."""
    stem, rest = template.split(".", 1)
    name = f"{stem}.{lang}.{rest}"
    return name if (TEMPLATES_DIR / name).is_file() else template


def _exporter():
    """The process's single HTMLExporter (template loaded once): code hidden, prompts hidden."""
    global _EXPORTER
    with _EXPORTER_LOCK:
        if _EXPORTER is None:
            from nbconvert import HTMLExporter

            _EXPORTER = HTMLExporter(
                template_name=TEMPLATE_NAME,
                extra_template_basedirs=[str(TEMPLATES_DIR)],
                exclude_input=True,
                exclude_input_prompt=True,
                exclude_output_prompt=True,
                optimistic_validation=True,  # the notebook validated once, after its preprocessors (was after each)
            )
        return _EXPORTER


class _Background:
    """One daemon thread running submitted calls in order.

    Unlike ``ThreadPoolExecutor`` it never holds up interpreter exit: after Ctrl-C the command exits at once
    even if an export (or a lazy import inside one) is still under way.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._loop, name="shanxi-export", daemon=True).start()

    def _loop(self) -> None:
        while True:
            fut, fn, args = self._queue.get()
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(*args))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                fut.set_exception(exc)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        fut: Future = Future()
        self._queue.put((fut, fn, args))
        return fut


_EXPORT_POOL: _Background | None = None


def export_thread() -> _Background:
    """The process's export thread: HTML/PDF are written while the next notebook's kernel runs."""
    global _EXPORT_POOL
    if _EXPORT_POOL is None:
        # papermill (nbclient, jupyter_client) is imported here, in the calling thread, before the export thread
        # imports nbconvert: both import jupyter_client, and two threads importing it at once can fail with
        # "cannot import name ... from partially initialized module jupyter_client.manager".
        import papermill  # noqa: F401

        _EXPORT_POOL = _Background()
        _EXPORT_POOL.submit(_prepare)  # while the first kernel starts and runs its first notebook
    return _EXPORT_POOL


def settle_exports(timeout: float) -> bool:
    """Wait, at most ``timeout`` seconds, until the process's export thread has done what it was given (a page, or
    :func:`_prepare`'s imports); True when it has, or when there is no such thread.  The builder calls it after an
    interrupt, once it has cancelled the exports it no longer wants: a daemon thread still inside an import or a C
    library while the interpreter shuts down can crash it ("Fatal Python error: PyThreadState_Get") instead of
    exiting with the interrupt's code."""
    if _EXPORT_POOL is None:
        return True
    try:
        _EXPORT_POOL.submit(lambda: None).result(timeout=timeout)
    except FutureTimeout:
        return False
    return True


def _prepare() -> None:
    """What the process's first export would otherwise do while the builder waits for it: build the exporter,
    import what :func:`export_notebook` uses (the catalog; the charts' citations, whose package imports matplotlib)
    and render an empty page once, which compiles the page's templates (nbconvert compiles them on first use).  A
    rebuild of one notebook otherwise waited about 0.5 s for its page after the kernel was done."""
    import nbformat

    from ..messages import say
    from ..present.citations import chart_references

    exporter = _exporter()
    blank = nbformat.v4.new_notebook()
    resources = {
        "metadata": {"name": ""},
        "shanxi_sources": chart_references(blank),
        "shanxi_sources_heading": say("page.sources", "en"),
    }
    with _EXPORTER_LOCK:
        exporter.from_notebook_node(blank, resources=resources)


def page_name(stem: str, lang: str = "en") -> str:
    """The reader's name of a page in ``lang`` (the catalog's ``page.name``, by the part of the notebook's name
    after its number): ``"01-investment-growth"`` -> ``"Growth and rank"``, in Chinese ``"增速与排名"``."""
    from ..messages import say

    return say("page.name", lang, page=stem.split("-", 1)[-1])


def nav_cell(job: ReportJob, current: str, stems: list[str] | None = None) -> Any:
    """The markdown cell at the top of each HTML page: the set's pages (``stems``; default every notebook of the
    job), ``current`` in bold, links to the page in the set's other languages and back to the index.

    The parameters are written as a reader reads them ("Shanxi, 2020"), never as Python literals.
    """
    import nbformat

    from ..messages import HTML_LANG, say

    others = [
        {"href": href, "label": say("page.language_name", lang), "lang": HTML_LANG.get(lang, lang)}
        for lang, href in job.counterparts(current)
    ]
    text = render(
        TEMPLATES_DIR,
        page_template(NAV_TEMPLATE, job.lang),
        trim=False,
        job=job,
        stems=[p.stem for p in job.notebooks] if stems is None else stems,
        names={p.stem: page_name(p.stem, job.lang) for p in job.notebooks},
        current=current,
        up="../" * job.depth,
        index_file=INDEX_FILE,
        others=others,
    )
    return nbformat.v4.new_markdown_cell(text)


def colophon(job: ReportJob, started: str, prov: dict[str, Any]) -> str:
    """The end of each HTML page (HTML, for :func:`export_notebook`): when the set was built (``started``, ISO
    8601), by which version, for which parameters, the data manifest's checksum and, folded, the libraries and every
    raw file's checksum (``prov``: :func:`provenance`)."""
    from ..messages import say

    return render(
        TEMPLATES_DIR,
        page_template(COLOPHON_TEMPLATE, job.lang),
        job=job,
        built=say("page.built", job.lang, when=started),
        prov=prov,
        dm=prov["data_manifest"],
        article=job.kind == ARTICLE,
        build_file=BUILD_FILE,
    )


#: The data package of a report set: every chart's CSV file, described (frictionless-style).
DATAPACKAGE_FILE = "datapackage.json"
#: The key of a figure's record in an output's metadata (:data:`shanxi_analysis.present.theme.FIGURE_META`).
FIGURE_META = "shanxi_analysis.figure"


def _csv_text(fig: dict[str, Any], lang: str) -> str:
    """A figure's plotted values as CSV: comment lines (``#``) with the chart's title, the units of each column,
    the source line and the notes (labelled from the message catalog in ``lang``, the page's language), then a
    header row and one row per plotted point."""
    import csv
    import io

    from ..messages import say
    from ..present.theme import flat_text

    data = fig["data"]
    buf = io.StringIO()
    lines = [say("data.caption", lang, caption=fig.get("caption"))]
    units = [say("data.unit_of", lang, column=c, unit=u) for c, u in data.get("units", {}).items() if u]
    if units:
        lines.append(say("data.units", lang, units=units))
    if fig.get("source"):
        lines.append(fig["source"])
    lines += [say("data.note", lang, note=n) for n in data.get("notes", [])]
    # "# " before each line after it is flattened (flat_text drops a space beside Chinese: "#山西..." otherwise)
    buf.write("\n".join("# " + flat_text(line) for line in lines) + "\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(data["columns"])
    writer.writerows(["" if v is None else v for v in row] for row in data["rows"])
    return buf.getvalue()


def write_figure_data(nb: Any, folder: Path, stem: str, lang: str = "en") -> list[dict[str, Any]]:
    """Write a CSV file beside the page for every chart of ``nb`` that recorded its data (its comment lines in
    ``lang``), and note its name in the figure's metadata (the page links it under the chart); the data package's
    resources."""
    resources = []
    n = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            fig = output.get("metadata", {}).get(FIGURE_META)
            if not isinstance(fig, dict) or not fig.get("data"):
                continue
            n += 1
            name = f"{stem}-figure-{n}.csv"
            (folder / name).write_text(_csv_text(fig, lang), encoding="utf-8")
            fig["csv"] = name
            data = fig["data"]
            resources.append(
                {
                    "name": f"{stem}-figure-{n}",
                    "path": name,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "title": fig.get("caption") or name,
                    "description": fig.get("alt", ""),
                    "dialect": {"commentChar": "#", "header": True},
                    "schema": {
                        "fields": [
                            {"name": c, "type": _field_type(data["rows"], k), "unit": data["units"].get(c, "")}
                            for k, c in enumerate(data["columns"])
                        ]
                    },
                    "sources": [
                        {"title": r.get("text") or r.get("short", ""), "path": r.get("url") or ""}
                        for r in fig.get("sources", [])
                    ],
                    "notes": list(data.get("notes", [])),
                }
            )
    return resources


def _field_type(rows: list[list[Any]], k: int) -> str:
    values = [r[k] for r in rows if r[k] is not None]
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "number"
    return "string"


def datapackage(job: ReportJob, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``datapackage.json`` of a report set: one resource per chart CSV of its published pages."""
    from .. import config

    return {
        "profile": "data-package",
        "name": f"shanxi-analysis-{job.key.replace('/', '-')}",
        "title": f"Data behind the charts: {job.title}",
        "version": config.VERSION,
        "resources": [r for rec in records if rec.get("published", True) for r in rec.get("figures", [])],
    }


def export_notebook(
    nb: Any, folder: Path, stem: str, title: str, pdf: bool, lang: str = "en", footer: str = ""
) -> dict[str, Any]:
    """Write ``stem.html`` (and ``stem.pdf``) for an executed notebook node, and a CSV file per chart
    (:func:`write_figure_data`); returns the files written and, under ``figures``, the charts' data resources.

    The full references of the charts' sources (recorded by :func:`shanxi_analysis.present.theme.show` in each figure's
    output metadata) are handed to the template, which lists them at the end of the page, followed by ``footer``
    (HTML from :func:`colophon`; none if empty).  The page is marked with its language (``<html lang="zh-CN">`` for
    Chinese).
    """
    from ..messages import HTML_LANG, JOIN_LINES, say
    from ..present.citations import chart_references

    figures = write_figure_data(nb, folder, stem, lang)
    exporter = _exporter()
    resources = {
        "metadata": {"name": title},
        "shanxi_sources": chart_references(nb),
        "shanxi_sources_heading": say("page.sources", lang),
        "shanxi_sources_colon": say("page.sources_colon", lang) + JOIN_LINES.get(lang, " "),
        "shanxi_download_label": say("page.download_csv", lang),
        "shanxi_colophon": footer,
    }
    claim_files = _claim_files(nb, folder, resources, lang)
    with _EXPORTER_LOCK:
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    # nbconvert writes the exporter's language_code (ISO 639-1 only); the page's own tag replaces it once
    body = re.sub(r'<html lang="[^"]*">', f'<html lang="{HTML_LANG.get(lang, lang)}">', body, count=1)
    path = folder / f"{stem}.html"
    path.write_text(body, encoding="utf-8")
    files: dict[str, Any] = {"html": path.name, **claim_files}
    files.update({f"csv{k}": r["path"] for k, r in enumerate(figures, 1)})
    if pdf:
        files["pdf"] = print_pdf(path, folder / f"{stem}.pdf").name
    files["figures"] = figures
    return files


def _claim_files(nb: Any, folder: Path, resources: dict[str, Any], lang: str = "en") -> dict[str, str]:
    """For an article-check page: the schema.org ClaimReview JSON-LD of the claims it reviews (glued as
    ``claim_reviews``) into ``resources`` for the page's head, and the ledger's downloads (glued as ``ledger``)
    written beside the page (:data:`~shanxi_analysis.present.LEDGER_FILES`); returns the files written."""
    import datetime as dt
    import json

    import pandas as pd

    from ..handoff import read_glued
    from ..present.citations import CLAIMS_REPORT
    from ..present.claimreview import claim_reviews, json_ld
    from ..present.ledger import LEDGER_FILES

    glued = read_glued(nb)
    files: dict[str, str] = {}
    reviewed = glued.get("claim_reviews")
    if reviewed:
        today = dt.datetime.now(dt.timezone.utc).date().isoformat()
        resources["shanxi_jsonld"] = json_ld(
            claim_reviews(pd.DataFrame(reviewed), page_url=CLAIMS_REPORT, date_published=today, lang=lang)
        )
    records = glued.get("ledger")
    if records:
        pd.DataFrame(records).to_csv(folder / LEDGER_FILES["csv"], index=False, encoding="utf-8")
        (folder / LEDGER_FILES["json"]).write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
        files.update({f"ledger_{k}": v for k, v in LEDGER_FILES.items()})
    return files


def print_pdf(html_path: Path, pdf_path: Path, chromium: str | None = None, timeout: float = 120) -> Path:
    """Print an HTML file to PDF offline with headless Chromium.

    Page breaks come from the report template's print stylesheet (``templates/report/report.css``): figures,
    short tables and table rows are never split, headings stay with what follows, no break is forced; Chinese text
    needs a CJK font on the machine (``make browser-deps`` installs Debian's ``fonts-noto-cjk``).

    Raises
    ------
    ParameterError
        If Chromium is not installed (with the install command).
    RuntimeError
        If Chromium fails or writes nothing.
    """
    exe = chromium or chromium_path()
    if not exe:
        raise ParameterError(PDF_INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="shanxi-chromium-") as profile:
        cmd = [
            exe,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        res = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    if res.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        tail = res.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RuntimeError(
            f"Chromium could not print {html_path.name} to PDF (exit {res.returncode}): {' / '.join(tail)}"
        )
    relative_links(pdf_path, html_path.resolve().parent)
    return pdf_path


_FILE_URI = re.compile(rb"/URI \((file://[^()\\]*)\)")


def relative_links(pdf_path: Path, base: Path) -> int:
    """Rewrite the PDF's links to local files as links relative to ``base``, the folder the page was printed from.

    Chromium resolves a page's relative links (to the set's other pages, the index, ``build.json``) into absolute
    ``file://`` URIs of the folder it printed in, the staging folder that is gone once the report is published.
    Relative to that folder they are again the page's own relative links, which resolve wherever the report is
    published or copied.  Each URI is rewritten in place, padded with spaces outside the string, so the PDF's byte
    offsets (its cross-reference table) stay valid.  Returns the number of links rewritten.
    """
    from urllib.parse import quote, unquote, urlsplit

    data = pdf_path.read_bytes()
    count = 0

    def rewrite(m: re.Match[bytes]) -> bytes:
        nonlocal count
        uri = m.group(1).decode("latin-1")
        parts = urlsplit(uri)
        rel = quote(os.path.relpath(unquote(parts.path), base)) + (f"#{parts.fragment}" if parts.fragment else "")
        new = f"/URI ({rel})".encode("latin-1")
        if len(new) > len(m.group(0)):
            return m.group(0)
        count += 1
        return new + b" " * (len(m.group(0)) - len(new))

    out = _FILE_URI.sub(rewrite, data)
    if out != data:
        pdf_path.write_bytes(out)
    return count
