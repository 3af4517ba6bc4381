"""The reports index in each language built (issue 22): stories built in English and Chinese get a Chinese index
under DIR/zh/ (index, a page per province, a page per year) with Chinese headings, province names from provinces.csv
(山西, never 陕西), Chinese page names and findings, ``<html lang="zh-CN">``, every page linking to its English
counterpart and back; the English index is what it was apart from that link.  The build records are written by hand
(no notebook runs); expected names come from the raw provinces.csv, never from the index code."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import raw_rows

from shanxi_analysis import publish

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
STEMS = ("00-overview", "01-investment-growth", "06-peers")
#: Stories built: (province, year, growth, rank, in Chinese too).
STORIES = [("Shanxi", 2020, 10.6, 2, True), ("Shaanxi", 2020, 4.1, 16, True), ("Guangdong", 2019, 11.1, 8, False)]


def _names_zh() -> dict[str, str]:
    return {r["name_en"]: r["name_zh"] for r in raw_rows("provinces.csv")}


def _write(out: Path, folder: str, province: str, year: int, growth: float, rank: int, lang: str | None) -> None:
    """A good build.json for a province story in ``folder``, and its pages (empty files the links must reach)."""
    params = {"province": province, "year": year} | ({"lang": lang} if lang else {})
    rec = {
        "kind": "province",
        "parameters": params,
        "status": "ok",
        "finished": f"2026-12-0{1 + (year % 3)}T0{rank % 10}:00:00+00:00",
        "seconds": 1.0,
        "failures": [],
        "timeout_per_cell": 600,
        "provenance": {
            "version": "0.1.0",
            "python": "3.11",
            "libraries": {},
            "command": ["x"],
            "data_manifest": {"path": "p", "sha256": "s", "resources": {}},
        },
        "notebooks": [
            {
                "notebook": f"{stem}.ipynb",
                "files": {"html": f"{stem}.html"},
                "glue": {"growth": growth, "rank": rank, "n_ranked": 31} if stem.startswith("00") else {},
            }
            for stem in STEMS
        ],
    }
    (out / folder).mkdir(parents=True)
    (out / folder / "build.json").write_text(json.dumps(rec), encoding="utf-8")
    for stem in STEMS:
        (out / folder / f"{stem}.html").write_text("", encoding="utf-8")


def _build(out: Path, chinese: bool = True) -> dict[str, str]:
    for province, year, growth, rank, zh in STORIES:
        slug = province.lower()
        _write(out, f"{year}/{slug}", province, year, growth, rank, None)
        if zh and chinese:
            _write(out, f"zh/{year}/{slug}", province, year, growth, rank, "zh")
    return publish.render_pages(out)


def _links(html: str) -> list[str]:
    return [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)]


def _text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for el in soup.select("style, code"):
        el.decompose()
    for el in soup.find_all(lang=re.compile(r"^en")):  # links to the English pages are named in English
        el.decompose()
    return re.sub(r"“[^”]*”|shanxi-analysis|build\.json", "", soup.get_text(" "))  # the article's title, quoted


def test_a_chinese_index_is_written_beside_the_english_one(tmp_path):
    pages = _build(tmp_path)
    zh = {p for p in pages if p.startswith("zh/")}
    assert zh == {"zh/index.html", "zh/provinces/shanxi.html", "zh/provinces/shaanxi.html", "zh/years/2020.html"}
    assert "provinces/guangdong.html" in pages and "zh/provinces/guangdong.html" not in pages  # English only
    publish.write_index(tmp_path)
    assert all((tmp_path / p).is_file() for p in pages)


def test_the_chinese_index_is_chinese(tmp_path):
    pages = _build(tmp_path)
    names = _names_zh()
    for path in (p for p in pages if p.startswith("zh/")):
        html = pages[path]
        assert '<html lang="zh-CN">' in html, path
        text = _text(html)
        cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
        assert cjk >= 0.9 * (cjk + latin), f"{path}: {cjk} CJK against {latin} Latin letters"
    index = BeautifulSoup(pages["zh/index.html"], "html.parser")
    provinces = [a.get_text(" ").split()[0] for a in index.select("#provinces a")]
    # from provinces.csv, never mixed up; in NBS's order (山西 14xxxx before 陕西 61xxxx), not the English alphabet's
    assert provinces == [names["Shanxi"], names["Shaanxi"]] == ["山西", "陕西"]
    english = BeautifulSoup(pages["index.html"], "html.parser")
    in_english = [a.get_text(" ").split()[0] for a in english.select("#provinces a")]
    assert in_english == sorted(in_english) and {"Shaanxi", "Shanxi"} <= set(in_english)  # the alphabet's order
    shanxi = BeautifulSoup(pages["zh/provinces/shanxi.html"], "html.parser")
    assert shanxi.h1.get_text().startswith("山西") and "陕西" not in shanxi.select_one(".stories").get_text()
    assert shanxi.select_one(".prevnext").get_text().split() == ["陕西", "→"]  # the next province, by its name
    entry = shanxi.select_one(".story-head")
    assert entry.select_one(".finding").get_text() == "增长10.6%，居全国第2位"
    assert [a.get_text() for a in shanxi.select(".pages a")] == ["概览", "增速与排名", "所在地区与相邻省份"]
    year = BeautifulSoup(pages["zh/years/2020.html"], "html.parser")
    assert [a.get_text() for a in year.select(".story-head .what a")] == ["山西", "陕西"]  # fastest first


def test_every_link_of_both_indexes_resolves_and_each_page_links_its_counterpart(tmp_path):
    pages = _build(tmp_path)
    publish.write_index(tmp_path)
    for path, html in pages.items():
        for href in _links(html):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), href.split("#")[0]))
            assert not target.startswith(".."), (path, href)
            assert (tmp_path / target).is_file(), (path, href)
    for path in (p for p in pages if p.startswith("zh/")):
        english = path.removeprefix("zh/")
        soup = BeautifulSoup(pages[path], "html.parser")
        (back,) = soup.select(".langs a")
        assert back["hreflang"] == "en" and back["lang"] == "en" and back.get_text() == "English"
        assert posixpath.normpath(posixpath.join(posixpath.dirname(path), back["href"])) == english
        (there,) = BeautifulSoup(pages[english], "html.parser").select(".langs a")
        assert there["hreflang"] == "zh" and there["lang"] == "zh-CN" and there.get_text() == "中文"
        assert posixpath.normpath(posixpath.join(posixpath.dirname(english), there["href"])) == path
    # each Chinese story links its English story, and the Chinese index links the Chinese stories
    index = BeautifulSoup(pages["zh/index.html"], "html.parser")
    stories = {a["href"] for a in index.select("#latest-stories .what a")}
    assert stories == {"2020/shanxi/00-overview.html", "2020/shaanxi/00-overview.html"}
    english = {a["href"] for a in index.select("#latest-stories a.lang")}
    assert english == {"../2020/shanxi/00-overview.html", "../2020/shaanxi/00-overview.html"}
    assert not BeautifulSoup(pages["provinces/guangdong.html"], "html.parser").select(".langs")


def test_the_english_index_is_unchanged_apart_from_the_link_to_the_chinese_one(tmp_path):
    with_zh = _build(tmp_path / "both")
    english_only = _build(tmp_path / "en", chinese=False)
    assert not any(p.startswith("zh/") for p in english_only)
    langs = re.compile(r'<p class="langs">.*?</p>\n')
    for path, html in english_only.items():
        assert '<html lang="en">' in html and 'class="langs"' not in html, path
        # the stories in Chinese are also linked beside each English story (class="lang"), as before
        other = re.sub(r' <a class="lang" lang="zh-CN" hreflang="zh" href="[^"]+">中文</a>', "", with_zh[path])
        assert langs.sub("", other) == html, path


def _write_article(out: Path, folder: str, lede: str) -> None:
    """A good build.json for the article check in ``folder`` (its three pages, empty files), glueing ``lede``."""
    stems = ["03-projects-zones-industries", "04-business-climate", "05-claims"]
    rec = {
        "kind": "article",
        "parameters": {"province": "Shanxi", "year": 2020},
        "status": "ok",
        "finished": "2026-12-02T01:00:00+00:00",
        "notebooks": [
            {"notebook": f"{s}.ipynb", "files": {"html": f"{s}.html"}, "glue": {"lede": lede} if s[:2] == "03" else {}}
            for s in stems
        ],
    }
    (out / folder).mkdir(parents=True)
    (out / folder / "build.json").write_text(json.dumps(rec), encoding="utf-8")
    for s in stems:
        (out / folder / f"{s}.html").write_text("", encoding="utf-8")


@pytest.mark.parametrize("chinese_check", [True, False])
def test_the_chinese_index_lists_the_article_check_in_chinese_when_it_was_built(tmp_path, chinese_check):
    _write_article(tmp_path, "article-check", "The article got the national average wrong.")
    if chinese_check:
        _write_article(tmp_path, "zh/article-check", "文章把全国平均增速说错了。")
    html = _build(tmp_path)["zh/index.html"]
    section = html[html.index('id="article-check"') :]
    section = section[: section.index("</section>")]
    hrefs = re.findall(r'href="([^"]+)"', section)
    assert hrefs and all((tmp_path / "zh" / h.split("#")[0]).resolve().is_file() for h in hrefs), hrefs
    if chinese_check:  # the Chinese pages beside this index, its Chinese lede, no word of an English-only check
        assert all(h.startswith("article-check/") for h in hrefs), hrefs
        assert "文章把全国平均增速说错了" in section and "英文" not in section and 'hreflang="en"' not in section
    else:  # only the English check: linked one folder up and said to be English
        assert all(h.startswith("../article-check/") for h in hrefs), hrefs
        assert "（英文）" in section and 'hreflang="en"' in section


def _write_failed(out: Path, folder: str, province: str, year: int, lang: str, finished: str) -> str:
    """A failed attempt kept as the builder keeps it (``_failed/<lang>/<year>/<slug>/<stamp>/build.json``)."""
    rec = {
        "kind": "province",
        "parameters": {"province": province, "year": year, "lang": lang},
        "status": "failed",
        "finished": finished,
        "seconds": 1.0,
        "failures": ["06-peers.ipynb, cell 9 (In [10]): RuntimeError: a failing cell"],
        "provenance": {"version": "0.1.0"},
        "notebooks": [],
    }
    kept = out / "_failed" / lang / folder / "20261231T000000-abc123"
    kept.mkdir(parents=True)
    (kept / "build.json").write_text(json.dumps(rec), encoding="utf-8")
    return kept.relative_to(out).as_posix()


@pytest.mark.parametrize("good_in_chinese", [True, False])
def test_a_failed_chinese_set_is_listed_on_the_chinese_index(tmp_path, good_in_chinese):
    # Shanxi 2020 failed in Chinese after its good builds (or, without any Chinese build, on its first attempt):
    # the Chinese index lists it as the English index lists an English failure; the English story is not failed
    kept = _write_failed(tmp_path, "2020/shanxi", "Shanxi", 2020, "zh", "2026-12-31T00:00:00+00:00")
    pages = _build(tmp_path, chinese=good_in_chinese)
    assert "zh/index.html" in pages
    index = BeautifulSoup(pages["zh/index.html"], "html.parser")
    (section,) = [s for s in index.select("section") if s.select_one("#failed")]
    (item,) = section.select("li")
    assert item.select_one(".what").get_text() == "山西，2020年" and "生成失败" in item.get_text()
    assert "RuntimeError: a failing cell" in item.select_one(".err").get_text()
    (link,) = [a["href"] for a in item.select("a") if "build.json" in a["href"]]
    assert posixpath.normpath(posixpath.join("zh", link)) == f"{kept}/build.json"
    assert ("上一次成功生成" in item.get_text()) == good_in_chinese
    english = BeautifulSoup(pages["index.html"], "html.parser")
    assert not english.select("#failed") and "latest build failed" not in english.get_text()
    publish.write_index(tmp_path)
    for href in _links(pages["zh/index.html"]):  # every link of the Chinese index resolves
        assert (tmp_path / posixpath.normpath(posixpath.join("zh", href.split("#")[0]))).is_file(), href


def test_a_flagged_figure_is_not_called_unpublished_on_the_index(tmp_path):
    """Liaoning 2016's card read "no published growth figure" while its overview said "published as -63.5%": the
    overview glues the flag and the value as published, and the index says what they are."""
    for lang, folder in ((None, "2016/liaoning"), ("zh", "zh/2016/liaoning")):
        _write(tmp_path, folder, "Liaoning", 2016, 0.0, 1, lang)
        path = tmp_path / folder / "build.json"
        rec = json.loads(path.read_text(encoding="utf-8"))
        rec["notebooks"][0]["glue"] = {
            "growth": None, "rank": None, "n_ranked": 30, "flag": "revision artefact", "artefact_value": -63.5,
        }  # fmt: skip
        path.write_text(json.dumps(rec), encoding="utf-8")
    pages = publish.render_pages(tmp_path)
    english = " ".join(
        BeautifulSoup(html, "html.parser").get_text(" ") for name, html in pages.items() if "zh" not in name
    )
    chinese = " ".join(BeautifulSoup(html, "html.parser").get_text(" ") for name, html in pages.items() if "zh" in name)
    assert "\u221263.5% as published, flagged as a data-revision artefact, not ranked" in english
    assert "no published growth figure" not in english
    assert "公布下降63.5%（被标记为数据修订异常值，未参与排名）" in chinese and "未公布增速" not in chinese
