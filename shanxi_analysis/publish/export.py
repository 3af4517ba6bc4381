"""Export of executed notebooks: one nbconvert exporter and one export thread per process, the page template, the
navigation cell at the top of each page and PDF printing with headless Chromium."""

from __future__ import annotations

import queue
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future
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
#: The navigation and provenance cell at the top of each page (Markdown with HTML; autoescaped), per language
#: (``nav.<lang>.md.j2``; English: ``nav.md.j2``).
NAV_TEMPLATE = "nav.md.j2"


def nav_template(lang: str) -> str:
    """The navigation template of a language (:data:`NAV_TEMPLATE` for English or a language without one)."""
    name = f"nav.{lang}.md.j2"
    return name if (TEMPLATES_DIR / name).is_file() else NAV_TEMPLATE


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
        _EXPORT_POOL.submit(_exporter)  # load templates while the first kernel starts
    return _EXPORT_POOL


def nav_cell(job: ReportJob, current: str, started: str, prov: dict[str, Any]) -> Any:
    """A markdown cell shown at the top of each HTML page: what this is, how it was made, links.

    The parameters are written as a reader reads them ("Shanxi, 2020"), never as Python literals.
    """
    import nbformat

    from ..present.messages import HTML_LANG, say

    others = [
        {"href": href, "label": say("page.language_name", lang), "lang": HTML_LANG.get(lang, lang)}
        for lang, href in job.counterparts(current)
    ]
    text = render(
        TEMPLATES_DIR,
        nav_template(job.lang),
        trim=False,
        job=job,
        stems=[p.stem for p in job.notebooks],
        current=current,
        started=started,
        prov=prov,
        dm=prov["data_manifest"],
        up="../" * job.depth,
        article=job.kind == ARTICLE,
        index_file=INDEX_FILE,
        build_file=BUILD_FILE,
        others=others,
    )
    return nbformat.v4.new_markdown_cell(text)


def export_notebook(nb: Any, folder: Path, stem: str, title: str, pdf: bool, lang: str = "en") -> dict[str, str]:
    """Write ``stem.html`` (and ``stem.pdf``) for an executed notebook node; returns the files written.

    The full references of the charts' sources (recorded by :func:`shanxi_analysis.present.theme.show` in each figure's
    output metadata) are handed to the template, which lists them at the end of the page.  The page is marked with
    its language (``<html lang="zh-CN">`` for Chinese).
    """
    from ..present.citations import chart_references
    from ..present.messages import HTML_LANG, say

    exporter = _exporter()
    resources = {
        "metadata": {"name": title},
        "shanxi_sources": chart_references(nb),
        "shanxi_sources_heading": say("page.sources", lang),
    }
    with _EXPORTER_LOCK:
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    # nbconvert writes the exporter's language_code (ISO 639-1 only); the page's own tag replaces it once
    body = re.sub(r'<html lang="[^"]*">', f'<html lang="{HTML_LANG.get(lang, lang)}">', body, count=1)
    path = folder / f"{stem}.html"
    path.write_text(body, encoding="utf-8")
    files = {"html": path.name}
    if pdf:
        files["pdf"] = print_pdf(path, folder / f"{stem}.pdf").name
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
    return pdf_path
