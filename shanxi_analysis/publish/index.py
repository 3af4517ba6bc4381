"""The index of a reports folder: its data (every report set, good or failed) and its pages, rendered from Jinja2
templates with autoescaping: ``index.html`` (the article check with its lede, the provinces and years to choose
from, the latest stories, failed attempts, how it was made), a page per province listing its years
(``provinces/<slug>.html``) and a page per year listing its provinces (``years/<year>.html``), every entry with its
finding (growth and rank, glued by the story's first notebook) and links to the set's pages. Two taps from the
index reach any story; no page shows a local path or a command line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..data.province_names import slug as province_slug
from ..numbers import ordinal, pct
from ..templating import render
from .export import DATAPACKAGE_FILE as DATAPACKAGE
from .export import page_name
from .planning import ARTICLE, ARTICLE_DIR, BUILD_FILE, FAILED_DIR, INDEX_FILE
from .staging import lock, write_atomic

TEMPLATES = Path(__file__).with_name("templates")
INDEX_TEMPLATE = "index.html.j2"
PROVINCE_TEMPLATE = "index_province.html.j2"
YEAR_TEMPLATE = "index_year.html.j2"
#: Folders of the per-province and per-year index pages (beside the ``<year>/<slug>/`` report folders).
PROVINCES_DIR, YEARS_DIR = "provinces", "years"
#: How many of the latest province stories the index links directly.
LATEST = 12


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
    for path in sorted(out.glob(f"[a-z][a-z]/[0-9]*/*/{BUILD_FILE}")):  # the same stories in another language
        rec = read_json(path)
        if rec and rec.get("status") == "ok" and key(rec) in good:
            rec["_dir"] = path.parent.relative_to(out).as_posix()
            good[key(rec)].setdefault("_languages", {})[path.parts[-4]] = rec
    for path in sorted(out.glob(f"[a-z][a-z]/{ARTICLE_DIR}/{BUILD_FILE}")):  # the article check in another language
        rec = read_json(path)
        if rec and rec.get("status") == "ok" and ARTICLE in good:
            rec["_dir"] = path.parent.relative_to(out).as_posix()
            good[ARTICLE].setdefault("_languages", {})[path.parts[-3]] = rec
    for path in [
        *out.glob(f"{FAILED_DIR}/[0-9]*/*/*/{BUILD_FILE}"),
        *out.glob(f"{FAILED_DIR}/{ARTICLE_DIR}/*/{BUILD_FILE}"),
    ]:
        rec = read_json(path)
        if rec:
            rec["_dir"] = path.parent.relative_to(out).as_posix()
            failed.setdefault(key(rec), []).append(rec)
    return good, failed


def _pages(rec: dict, up: str = "") -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The published pages of a report (name, href of the main file, other formats, in notebook order) and the
    pages a notebook chose not to publish (name and the reason it glued), hrefs relative to ``up``."""
    base = f"{up}{rec['_dir']}"
    pages, skipped = [], []
    for nb in rec.get("notebooks", []):
        stem = Path(nb["notebook"]).stem
        if nb.get("published") is False:
            skipped.append({"name": page_name(stem), "stem": stem, "reason": str(nb.get("reason") or "")})
            continue
        files = nb.get("files", {})
        main = files.get("html") or files.get("ipynb")
        if not main:
            continue
        pages.append(
            {
                "name": page_name(stem),
                "stem": stem,
                "href": f"{base}/{main}",
                "number": stem.split("-", 1)[0],
                "extra": [
                    {"format": k, "href": f"{base}/{files[k]}"}
                    for k in ("pdf", "ipynb")
                    if k in files and files[k] != main
                ],
            }
        )
    return pages, skipped


def _glued(rec: dict | None, key: str) -> Any:
    """The first value glued under ``key`` by the report's notebooks, in notebook order (None: none)."""
    for nb in (rec or {}).get("notebooks", []):
        value = (nb.get("glue") or {}).get(key)
        if value is not None:
            return value
    return None


def finding(rec: dict | None) -> str:
    """What a province story found, from the values its first notebook glued: ``"10.6%, 2nd of 31"``; a story
    without a growth figure says so; an old build without glued values gives ""."""
    if rec is None or not any("glue" in nb for nb in rec.get("notebooks", [])):
        return ""
    growth, rank, n = _glued(rec, "growth"), _glued(rec, "rank"), _glued(rec, "n_ranked")
    if growth is None:
        return "no published growth figure"
    text = f"{pct(growth)} growth"
    if rank is not None and n:
        text += f", {ordinal(int(rank))} of {int(n)}"
    return text


#: How a language is named in the index, in that language.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def _languages(good: dict, up: str = "") -> list[dict[str, str]]:
    """The story in the other languages built: its name in that language, its code and its first page."""
    out = []
    for lang, rec in sorted(good.get("_languages", {}).items()):
        pages, _ = _pages(rec, up)
        if pages:
            out.append({"lang": lang, "name": LANGUAGE_NAMES.get(lang, lang), "href": pages[0]["href"]})
    return out


def _entry(key: Key, good: dict | None, fails: list[dict], up: str = "") -> dict[str, Any]:
    """What the index shows for one report: status, finding, pages of the last good build (and those not
    published, with why), the failed latest attempt."""
    fails = sorted(fails, key=lambda r: r.get("finished", ""))
    last_fail = (
        fails[-1] if fails and (good is None or fails[-1].get("finished", "") > good.get("finished", "")) else None
    )
    rec = last_fail or good
    assert rec is not None, key  # _collect found a good or a failed build for every key
    label = "The China Daily article check" if key == ARTICLE else f"{key[1]}, {key[0]}"
    pages, skipped = _pages(good, up) if good else ([], [])
    return {
        "label": label,
        "province": None if key == ARTICLE else key[1],
        "year": None if key == ARTICLE else key[0],
        "status": "failed" if last_fail else "ok",
        "finding": finding(good) if key != ARTICLE else "",
        "growth": _glued(good, "growth") if key != ARTICLE else None,
        "rank": _glued(good, "rank") if key != ARTICLE else None,
        "finished": str(rec.get("finished", "")).replace("T", " ").replace("+00:00", " UTC"),
        "seconds": float(rec.get("seconds") or 0),
        "pages": pages,
        "languages": _languages(good, up) if good else [],
        "skipped": skipped,
        "data": f"{up}{good['_dir']}/{DATAPACKAGE}" if good and (Path(good["_abs"]) / DATAPACKAGE).is_file() else None,
        "build_json": f"{up}{good['_dir']}/{BUILD_FILE}" if good else None,
        "good_finished": str(good.get("finished", "")) if good else None,
        "errors": list(last_fail.get("failures", [])) if last_fail else [],
        "kept": f"{up}{last_fail['_dir']}" if last_fail else None,
    }


def _lede(article: dict | None) -> Markup:
    """The article check's lede as HTML for the index: the Markdown ``lede`` glued by its first notebook, else the
    claims headline it glued (:func:`markdown_html`, its links rebased onto the article check's folder)."""
    if article is None:
        return Markup("")
    notebooks = article.get("notebooks", [])
    first = (notebooks[0].get("glue") or {}) if notebooks else {}
    text = str(first.get("lede") or _glued(article, "lede") or _glued(article, "headline") or "")
    return markdown_html(text, f"{ARTICLE_DIR}/")


#: The relative links a notebook's glued Markdown may hold: a page of its own set, maybe with an anchor, or an anchor.
_RELATIVE_LINK = re.compile(r"[\w.-]+\.html(#[\w.-]*)?|#[\w.-]+")


def markdown_html(text: str, base: str = "") -> Markup:
    """Markdown a notebook glued (e.g. the article check's lede) as HTML on another page: raw HTML in it is shown
    as text, a relative link to a page of its set is rebased onto ``base`` (the set's folder as seen from that
    page), an absolute link kept only if :func:`~shanxi_analysis.present.safe_url` accepts it, any other link
    reduced to its text.  Escaping happens here, where the text is rendered (mistune, which nbconvert uses)."""
    import mistune

    from ..present import safe_url

    class Links(mistune.HTMLRenderer):
        def link(self, text: str, url: str, title: str | None = None) -> str:
            if _RELATIVE_LINK.fullmatch(url):
                return super().link(text, url if url.startswith("#") else base + url, title)
            if safe_url(url):
                return super().link(text, url, title)
            return text

    return Markup(mistune.create_markdown(renderer=Links(escape=True))(text))


def _province_order(entry: dict) -> tuple:
    """Year pages list provinces by rank (fastest first), those without a rank after them by name."""
    rank = entry.get("rank")
    return (rank is None, rank if rank is not None else 0, entry["province"])


def index_data(out_dir: Path | str) -> dict[str, Any]:
    """What the index pages show, from every ``build.json`` under ``out_dir``: the article check and its lede,
    every province story by province and by year (each with its finding), the latest stories, failed latest
    attempts, and how the latest build was made (versions and checksums; no local path, no command line)."""
    out = Path(out_dir)
    good, failed = _collect(out)
    for rec in good.values():
        rec["_abs"] = str(out / rec["_dir"])
    keys = set(good) | set(failed)
    article = _entry(ARTICLE, good.get(ARTICLE), failed.get(ARTICLE, [])) if ARTICLE in keys else None
    if article is not None:
        article["lede"] = _lede(good.get(ARTICLE))
    story_keys = sorted((k for k in keys if isinstance(k, tuple)), key=lambda k: (k[1], k[0]))  # not ARTICLE
    stories = {k: _entry(k, good.get(k), failed.get(k, []), "../") for k in story_keys}
    years = sorted({k[0] for k in stories})
    provinces = sorted({k[1] for k in stories})
    by_province = [
        {
            "province": p,
            "slug": province_slug(p),
            "href": f"{PROVINCES_DIR}/{province_slug(p)}.html",
            "entries": [stories[k] for k in story_keys if k[1] == p],
        }
        for p in provinces
    ]
    by_year = [
        {
            "year": y,
            "href": f"{YEARS_DIR}/{y}.html",
            "entries": sorted((stories[k] for k in story_keys if k[0] == y), key=_province_order),
        }
        for y in years
    ]
    failures = [
        _entry(k, good.get(k), failed.get(k, []))
        for k, e in sorted(stories.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
        if e["status"] == "failed"
    ]
    if article and article["status"] == "failed":
        failures.insert(0, article)
    recent = sorted((k for k in good if k != ARTICLE), key=lambda k: good[k].get("finished", ""), reverse=True)
    latest_entries = [_entry(k, good[k], failed.get(k, [])) for k in recent[:LATEST]]
    latest = max(
        list(good.values()) + [r for rs in failed.values() for r in rs],
        key=lambda r: r.get("finished", ""),
        default=None,
    )
    return {
        "article": article,
        "years": years,
        "provinces": by_province,
        "by_year": by_year,
        "latest": latest_entries,
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
        "timeout": latest.get("timeout_per_cell"),
        "libraries": {"python": prov.get("python", ""), **prov.get("libraries", {})},
        "manifest_sha256": str(dm.get("sha256", "")),
        "resources": dict(dm.get("resources", {})),
        "differ": differ,
    }


def render_pages(out_dir: Path | str) -> dict[str, str]:
    """The HTML of every index page, by path relative to ``out_dir``: ``index.html``, a page per province and
    a page per year (pure apart from reading the ``build.json`` files).

    Rendered with Jinja2 templates with autoescaping on, so no text from a ``build.json`` (an error message, a
    glued value) can become markup.
    """
    data = index_data(out_dir)
    pages = {INDEX_FILE: render(TEMPLATES, INDEX_TEMPLATE, **data, build_file=BUILD_FILE)}
    for i, prov in enumerate(data["provinces"]):
        pages[prov["href"]] = render(
            TEMPLATES,
            PROVINCE_TEMPLATE,
            group=prov,
            previous=data["provinces"][i - 1] if i else None,
            next=data["provinces"][i + 1] if i + 1 < len(data["provinces"]) else None,
            build_file=BUILD_FILE,
        )
    for i, year in enumerate(data["by_year"]):
        pages[year["href"]] = render(
            TEMPLATES,
            YEAR_TEMPLATE,
            group=year,
            previous=data["by_year"][i - 1] if i else None,
            next=data["by_year"][i + 1] if i + 1 < len(data["by_year"]) else None,
            build_file=BUILD_FILE,
        )
    return pages


def render_index(out_dir: Path | str) -> str:
    """The HTML of ``index.html`` from every ``build.json`` under ``out_dir`` (see :func:`render_pages`)."""
    return render(TEMPLATES, INDEX_TEMPLATE, **index_data(out_dir), build_file=BUILD_FILE)


def _write_pages(out: Path) -> None:
    for rel, html in render_pages(out).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if path.read_text(encoding="utf-8") == html:
                continue  # unchanged: not rewritten
        except OSError:
            pass
        write_atomic(path, html)


def write_index(out_dir: Path | str, *, locked: bool = False) -> Path:
    """Regenerate ``index.html`` and the per-province and per-year pages from every ``build.json``, under the
    lock, each via a temporary file (a page whose text did not change is left alone)."""
    out = Path(out_dir)
    if locked:
        _write_pages(out)
    else:
        with lock(out):
            _write_pages(out)
    return out / INDEX_FILE
