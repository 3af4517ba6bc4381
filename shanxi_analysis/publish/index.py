"""The index of a reports folder: its data (every report set, good or failed) and its pages, rendered from Jinja2
templates with autoescaping: ``index.html`` (the article check with its lede, the provinces and years to choose
from, the latest stories, failed attempts, how it was made), a page per province listing its years
(``provinces/<slug>.html``) and a page per year listing its provinces (``years/<year>.html``), every entry with its
finding (growth and rank, glued by the story's first notebook) and links to the set's pages. Two taps from the
index reach any story; no page shows a local path or a command line.

Where stories were built in another language too (``DIR/zh/<year>/<slug>/``), that language has its own index under
``DIR/<lang>/`` (``zh/index.html``, ``zh/provinces/<slug>.html``, ``zh/years/<year>.html``) listing those stories:
headings from the language's templates (``index.zh.html.j2`` beside ``index.html.j2``, as the navigation's
``nav.zh.md.j2``), province names from ``provinces()`` (``name_zh``), page names and findings from the catalog
(:func:`~shanxi_analysis.publish.export.page_name`, ``index.finding``), ``<html lang="zh-CN">``; each index page
links to its counterpart in the other language."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..data.province_names import slug as province_slug
from ..templating import render
from .export import DATAPACKAGE_FILE as DATAPACKAGE
from .export import page_name
from .planning import ARTICLE, ARTICLE_DIR, BUILD_FILE, DEFAULT_LANG, FAILED_DIR, INDEX_FILE
from .staging import lock, write_atomic

TEMPLATES = Path(__file__).with_name("templates")
INDEX_TEMPLATE = "index.html.j2"
PROVINCE_TEMPLATE = "index_province.html.j2"
YEAR_TEMPLATE = "index_year.html.j2"
#: Folders of the per-province and per-year index pages (beside the ``<year>/<slug>/`` report folders).
PROVINCES_DIR, YEARS_DIR = "provinces", "years"
#: How many of the latest province stories the index links directly.
LATEST = 12
#: While a run publishes sets, :class:`IndexWriter` rewrites the index at most every this many seconds...
INDEX_EVERY = 30.0
#: ... and at most every this many times what its last rewrite took (a rewrite reads every ``build.json``).
INDEX_COST_RATIO = 10.0


def index_template(name: str, lang: str = DEFAULT_LANG) -> str:
    """The template of an index page in ``lang``: ``index.html.j2`` in English, ``index.zh.html.j2`` in Chinese (the
    same for ``index_province``, ``index_year``, ``index_story``)."""
    return name if lang == DEFAULT_LANG else name.replace(".html.j2", f".{lang}.html.j2")


def _local_dir(rec: dict, lang: str) -> str:
    """A report's folder relative to the index of ``lang`` (``DIR/`` in English, ``DIR/<lang>/`` in another)."""
    return rec["_dir"] if lang == DEFAULT_LANG else rec["_dir"].removeprefix(f"{lang}/")


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


def _failed_in(out: Path, lang: str) -> dict[Key, list[dict]]:
    """Every kept failed attempt of a report set in ``lang`` (``DIR/_failed/<lang>/<year>/<slug>/<stamp>/`` and
    ``DIR/_failed/<lang>/article-check/<stamp>/``), by key; the English ones are :func:`_collect`'s."""
    failed: dict[Key, list[dict]] = {}
    for path in [
        *out.glob(f"{FAILED_DIR}/{lang}/[0-9]*/*/*/{BUILD_FILE}"),
        *out.glob(f"{FAILED_DIR}/{lang}/{ARTICLE_DIR}/*/{BUILD_FILE}"),
    ]:
        rec = read_json(path)
        if rec:
            rec["_dir"] = path.parent.relative_to(out).as_posix()
            key: Key = (
                ARTICLE
                if rec.get("kind") == ARTICLE
                else (int(rec["parameters"]["year"]), rec["parameters"]["province"])
            )
            failed.setdefault(key, []).append(rec)
    return failed


def _pages(
    rec: dict, up: str = "", lang: str = DEFAULT_LANG, base: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The published pages of a report (name in ``lang``, href of the main file, other formats, in notebook order)
    and the pages a notebook chose not to publish (name and the reason it glued), hrefs relative to ``up`` (the
    report's folder as seen from the index of ``lang``, or ``base``)."""
    base = f"{up}{_local_dir(rec, lang)}" if base is None else base
    pages, skipped = [], []
    for nb in rec.get("notebooks", []):
        stem = Path(nb["notebook"]).stem
        if nb.get("published") is False:
            skipped.append({"name": page_name(stem, lang), "stem": stem, "reason": str(nb.get("reason") or "")})
            continue
        files = nb.get("files", {})
        main = files.get("html") or files.get("ipynb")
        if not main:
            continue
        pages.append(
            {
                "name": page_name(stem, lang),
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


def finding(rec: dict | None, lang: str = DEFAULT_LANG) -> str:
    """What a province story found, from the values its first notebook glued, in ``lang`` (the catalog's
    ``index.finding``): ``"10.6% growth, 2nd of 31"``, ``"增长10.6%，居全国第2位"``, a shared rank ``"joint 16th of
    31"``, ``"并列全国第16位"``, a shared last rank ``"joint last of 31"``; a story without a growth figure
    says so; an old build without glued values gives ""."""
    from ..messages import say

    if rec is None or not any("glue" in nb for nb in rec.get("notebooks", [])):
        return ""
    growth, rank, n = _glued(rec, "growth"), _glued(rec, "rank"), _glued(rec, "n_ranked")
    return say(
        "index.finding",
        lang,
        growth=growth,
        rank=None if rank is None else int(rank),
        n_ranked=int(n) if n else None,
        tied=list(_glued(rec, "tied") or []),  # the others sharing its rank (not glued before 2026-12-04: not said)
        flag=_glued(rec, "flag"),  # a flagged figure is published, but no growth (none in builds before it was glued)
        artefact_value=_glued(rec, "artefact_value"),
    )


#: How a language is named in the index, in that language.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
#: The HTML ``lang`` of an index page in each language.
HTML_LANGS = {"en": "en", "zh": "zh-CN"}


def _languages(good: dict, up: str = "", lang: str = DEFAULT_LANG) -> list[dict[str, str]]:
    """The story in the other languages built: its name in that language, its code and its first page; ``good`` is
    the English record (its ``_languages``), ``up`` leads from the index page of ``lang`` to its language's root."""
    out = []
    if lang != DEFAULT_LANG:  # the English story, from DIR/<lang>/...
        pages, _ = _pages(good, base=f"{up}../{good['_dir']}")
        return [{"lang": DEFAULT_LANG, "name": LANGUAGE_NAMES[DEFAULT_LANG], "href": pages[0]["href"]}] if pages else []
    for other, rec in sorted(good.get("_languages", {}).items()):
        pages, _ = _pages(rec, up)
        if pages:
            out.append({"lang": other, "name": LANGUAGE_NAMES.get(other, other), "href": pages[0]["href"]})
    return out


def _label(key: Key, lang: str = DEFAULT_LANG) -> str:
    """A report as the index names it: ``"Shanxi, 2020"``, ``"山西，2020年"`` (the province's ``name_zh``)."""
    if key == ARTICLE:
        return "The China Daily article check"
    if lang == DEFAULT_LANG:
        return f"{key[1]}, {key[0]}"
    from ..messages import place

    return f"{place(key[1], lang)}，{key[0]}年"


def _entry(
    key: Key, good: dict | None, fails: list[dict], up: str = "", lang: str = DEFAULT_LANG, english: dict | None = None
) -> dict[str, Any]:
    """What the index shows for one report: status, finding, pages of the last good build (and those not
    published, with why), the failed latest attempt; in ``lang`` (``good``: the record in that language,
    ``english``: its English record, linked as the counterpart)."""
    fails = sorted(fails, key=lambda r: r.get("finished", ""))
    last_fail = (
        fails[-1] if fails and (good is None or fails[-1].get("finished", "") > good.get("finished", "")) else None
    )
    rec = last_fail or good
    assert rec is not None, key  # _collect found a good or a failed build for every key
    pages, skipped = _pages(good, up, lang) if good else ([], [])
    if lang == DEFAULT_LANG:
        languages = _languages(good, up) if good else []
    else:
        languages = _languages(english, up, lang) if english else []
    return {
        "label": _label(key, lang),
        "province": None if key == ARTICLE else key[1],
        "place": None if key == ARTICLE else _place(key[1], lang),
        "year": None if key == ARTICLE else key[0],
        "status": "failed" if last_fail else "ok",
        "finding": finding(good, lang) if key != ARTICLE else "",
        "growth": _glued(good, "growth") if key != ARTICLE else None,
        "rank": _glued(good, "rank") if key != ARTICLE else None,
        "finished": str(rec.get("finished", "")).replace("T", " ").replace("+00:00", " UTC"),
        "seconds": float(rec.get("seconds") or 0),
        "pages": pages,
        "languages": languages,
        "skipped": skipped,
        "data": f"{up}{_local_dir(good, lang)}/{DATAPACKAGE}"
        if good and (Path(good["_abs"]) / DATAPACKAGE).is_file()
        else None,
        "build_json": f"{up}{_local_dir(good, lang)}/{BUILD_FILE}" if good else None,
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


def _by_rank(entries: Iterable[dict], lang: str = DEFAULT_LANG) -> list[dict]:
    """A year page's stories by rank (fastest first), those without a rank after them in the order of the
    language's province lists (:func:`~shanxi_analysis.messages.province_order`)."""
    from ..messages import province_order

    entries = list(entries)
    place = {p: i for i, p in enumerate(province_order({e["province"] for e in entries}, lang))}
    return sorted(entries, key=lambda e: (e.get("rank") is None, e.get("rank") or 0, place[e["province"]]))


def index_data(out_dir: Path | str, lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """What the index pages show, from every ``build.json`` under ``out_dir``: the article check and its lede,
    every province story by province and by year (each with its finding), the latest stories, failed latest
    attempts, and how the latest build was made (versions and checksums; no local path, no command line).

    In another language (``lang``), what its index under ``DIR/<lang>/`` shows: the stories built in it, each with its
    English counterpart, the article check (in that language, else the English one), when the latest of them was
    built, and the failed latest attempts in that language (kept under ``DIR/_failed/<lang>/``), as the English
    index lists the English ones."""
    out = Path(out_dir)
    return _index_data(out, lang, _collect(out))


def _index_data(out: Path, lang: str, collected: tuple[dict[Key, dict], dict[Key, list[dict]]]) -> dict[str, Any]:
    """:func:`index_data` from the records :func:`_collect` read (once for every language of a rewrite)."""
    if lang != DEFAULT_LANG:
        return _index_data_in(out, lang, collected[0])
    good, failed = collected
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
            "entries": _by_rank(stories[k] for k in story_keys if k[0] == y),
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


def _place(name: str, lang: str) -> str:
    """A province's name in ``lang`` (``name_zh`` from ``provinces()`` in Chinese)."""
    if lang == DEFAULT_LANG:
        return name
    from ..messages import place

    return place(name, lang)


def _index_data_in(out: Path, lang: str, good: dict[Key, dict]) -> dict[str, Any]:
    """:func:`index_data` for the index of ``lang`` at ``DIR/<lang>/`` (see there), from the good records."""
    from ..messages import province_order, say

    local: dict[Key, dict] = {}
    for k, rec in good.items():
        rec["_abs"] = str(out / rec["_dir"])
        if k != ARTICLE and lang in rec.get("_languages", {}):
            local[k] = rec["_languages"][lang]
            local[k]["_abs"] = str(out / local[k]["_dir"])
    article: dict[str, Any] | None = None
    if ARTICLE in good:
        own = good[ARTICLE].get("_languages", {}).get(lang)
        if own is not None:  # the article check in this language, beside this index (DIR/<lang>/article-check/)
            pages, _ = _pages(own, lang=lang, base=ARTICLE_DIR)
            article = {"pages": pages, "status": "ok", "lang": lang, "lede": _lede(own)}
        else:  # built in English only: one folder up
            pages, _ = _pages(good[ARTICLE], lang=lang, base=f"../{good[ARTICLE]['_dir']}")
            article = {"pages": pages, "status": "ok", "lang": DEFAULT_LANG, "lede": None}
    story_keys = sorted((k for k in local if isinstance(k, tuple)), key=lambda k: (k[1], k[0]))
    stories = {k: _entry(k, local[k], [], "../", lang, good[k]) for k in story_keys}
    by_province = [
        {
            "province": p,
            "place": _place(p, lang),
            "slug": province_slug(p),
            "href": f"{PROVINCES_DIR}/{province_slug(p)}.html",
            "entries": [stories[k] for k in story_keys if k[1] == p],
        }
        for p in province_order({k[1] for k in story_keys}, lang)  # 北京、天津 ... in Chinese, as NBS lists them
    ]
    by_year = [
        {
            "year": y,
            "href": f"{YEARS_DIR}/{y}.html",
            "entries": _by_rank((stories[k] for k in story_keys if k[0] == y), lang),
        }
        for y in sorted({k[0] for k in story_keys})
    ]
    recent = sorted(story_keys, key=lambda k: local[k].get("finished", ""), reverse=True)
    latest = local[recent[0]] if recent else None
    fails = _failed_in(out, lang)
    own_good = dict(local)
    if ARTICLE in good and lang in good[ARTICLE].get("_languages", {}):
        own_good[ARTICLE] = good[ARTICLE]["_languages"][lang]
        own_good[ARTICLE]["_abs"] = str(out / own_good[ARTICLE]["_dir"])
    failures = []
    for k in sorted(fails, key=lambda k: (k != ARTICLE, -k[0] if isinstance(k, tuple) else 0, str(k))):
        e = _entry(k, own_good.get(k), fails[k], "", lang, good.get(k))
        if e["status"] == "failed":
            e["kept"] = f"../{e['kept']}"  # DIR/_failed/<lang>/..., seen from DIR/<lang>/
            failures.append(e)
    if article is not None and any(e["province"] is None for e in failures):  # the article check's
        article["status"] = "failed"
    return {
        "article": article,
        "years": [y["year"] for y in by_year],
        "provinces": by_province,
        "by_year": by_year,
        "latest": [_entry(k, local[k], [], "", lang, good[k]) for k in recent[:LATEST]],
        "failures": failures,
        "n_good": len(local),
        "made": {
            "finished": say("page.built", lang, when=latest.get("finished", "")),
            "version": str(latest.get("provenance", {}).get("version")),
        }
        if latest
        else None,
    }


def index_languages(out_dir: Path | str) -> list[str]:
    """The languages other than English that stories under ``out_dir`` were built in (each gets an index)."""
    out = Path(out_dir)
    return _languages_in(out, _collect(out)[0])


def _languages_in(out: Path, good: dict[Key, dict]) -> list[str]:
    failed = {p.parts[-1] for p in out.glob(f"{FAILED_DIR}/[a-z][a-z]") if _failed_in(out, p.parts[-1])}
    return sorted({lang for rec in good.values() for lang in rec.get("_languages", {})} | failed)


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
    out = Path(out_dir)
    collected = _collect(out)  # every build.json read once
    langs = [DEFAULT_LANG, *_languages_in(out, collected[0])]
    data = {lang: _index_data(out, lang, collected) for lang in langs}
    # every page of every language's index: (lang, path relative to that language's root, template, values)
    todo: list[tuple[str, str, str, dict[str, Any]]] = []
    for lang, d in data.items():
        todo.append((lang, INDEX_FILE, INDEX_TEMPLATE, dict(d)))
        for name, groups in ((PROVINCE_TEMPLATE, d["provinces"]), (YEAR_TEMPLATE, d["by_year"])):
            for i, group in enumerate(groups):
                values = {
                    "group": group,
                    "previous": groups[i - 1] if i else None,
                    "next": groups[i + 1] if i + 1 < len(groups) else None,
                }
                todo.append((lang, group["href"], name, values))
    made = {(lang, rel) for lang, rel, _, _ in todo}
    pages = {}
    for lang, rel, name, values in todo:
        up = "../" * rel.count("/")  # from this page to its language's root
        root = up if lang == DEFAULT_LANG else up + "../"  # ... and to DIR
        others = [
            {
                "lang": other,
                "html_lang": HTML_LANGS.get(other, other),
                "name": LANGUAGE_NAMES.get(other, other),
                "href": root + ("" if other == DEFAULT_LANG else f"{other}/") + rel,
            }
            for other in langs
            if other != lang and (other, rel) in made
        ]
        path = rel if lang == DEFAULT_LANG else f"{lang}/{rel}"
        pages[path] = render(
            TEMPLATES,
            index_template(name, lang),
            **values,
            build_file=BUILD_FILE,
            html_lang=HTML_LANGS.get(lang, lang),
            others=others,
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


class IndexWriter:
    """When a run rewrites the index of ``out`` while it publishes sets: after the first set, then at most every
    ``max(every, ratio x the last rewrite's seconds)`` as more are published, and once more at the end
    (:meth:`flush`, also after Ctrl-C or a failure).

    A rewrite reads every ``build.json`` and renders every index page, so rewriting after every set costs a grid
    of N sets N rewrites of up to N sets each (quadratic: 3.4 s a rewrite at 1,342 sets, longer than building a
    set). Between rewrites the index lags behind by the sets published since the last one; it never lists a set
    that is not published (a published folder is only ever swapped for a newer good build).

    ``clock`` returns seconds (tests pass their own).
    """

    def __init__(
        self,
        out: Path | str,
        *,
        every: float = INDEX_EVERY,
        ratio: float = INDEX_COST_RATIO,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.out, self.every, self.ratio, self.clock = Path(out), every, ratio, clock
        self.pending = False  # a set was published (or kept as failed) since the last rewrite
        self.last: float | None = None  # when the last rewrite ended
        self.cost = 0.0  # what it took
        self.writes = 0

    def published(self) -> bool:
        """A set was published or kept as failed: rewrite the index if one is due; whether it was rewritten."""
        self.pending = True
        if self.last is not None and self.clock() - self.last < max(self.every, self.ratio * self.cost):
            return False
        return self.flush()

    def flush(self) -> bool:
        """Rewrite the index if a set was published since the last rewrite; whether it was rewritten."""
        if not self.pending:
            return False
        t0 = self.clock()
        write_index(self.out)
        self.last = self.clock()
        self.cost, self.pending = self.last - t0, False
        self.writes += 1
        return True
