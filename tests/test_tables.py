"""Tables as a reader sees them (shanxi_analysis.present.html_table): text left, numbers right with the prose's
rounding, no internal ids, dates on one line, sources as short publisher names linked to full references, every
data text escaped.  Expected texts are written by hand or taken from the data and the prose, never from the
table code."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from shanxi_analysis import numbers, present


class _Cells(HTMLParser):
    """Rows of (tag, attrs, text) for every th/td of a table, and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, dict, str]]] = []
        self.links: list[tuple[str, str]] = []
        self._cell: list | None = None
        self._href: str | None = None
        self._in_list = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = [tag, a, ""]
        elif tag == "a":
            self._href = a.get("href")
            self.links.append((a.get("href"), ""))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(tuple(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data
        if self.links and self._href is not None:
            href, text = self.links[-1]
            self.links[-1] = (href, text + data)


def _parse(html: str) -> _Cells:
    p = _Cells()
    p.feed(html)
    return p


def test_numbers_right_text_left_and_escaped():
    df = pd.DataFrame(
        {
            "name": ["<script>alert(1)</script>", "Mining & quarrying"],
            "growth_pct": [574.0, 1.0],
            "n": [7200, 12],
            "flag": [True, False],
            "year": [2020, 2019],
        }
    )
    html = present.html_table(
        df, {"name": "Sector", "growth_pct": "Growth", "n": "Projects", "flag": "Derived", "year": "Year"}
    )
    assert "<script>" not in html and "&lt;script&gt;" in html and "Mining &amp; quarrying" in html
    rows = _parse(html).rows
    head, first, second = rows
    assert [c[2] for c in head] == ["Sector", "Growth", "Projects", "Derived", "Year"]
    assert [c[1].get("class") for c in head] == [None, "num", "num", None, "num"]
    assert [c[2] for c in first] == ["<script>alert(1)</script>", "574.0%", "7,200", "yes", "2020"]
    assert [c[2] for c in second][1:] == ["1.0%", "12", "no", "2019"]
    assert ["num" in (c[1].get("class") or "") for c in first] == [False, True, True, False, True]


def test_a_cell_breaks_after_a_slash_and_reads_the_same():
    """03's sector table at 400 px: "agriculture/forestry/livestock/fishery" had no place to break and ran over the
    amount beside it.  A cell may break after each slash; its text reads the same and stays escaped."""
    df = pd.DataFrame({"name": ["agriculture/forestry/livestock/fishery", "a </b> b"], "growth_pct": [26.9, 1.0]})
    html = present.html_table(df, {"name": "Sector", "growth_pct": "Growth"})
    assert "agriculture/<wbr>forestry/<wbr>livestock/<wbr>fishery" in html
    assert [c[2] for c in _parse(html).rows[1]][0] == "agriculture/forestry/livestock/fishery"
    assert "&lt;/b&gt;" in html and [c[2] for c in _parse(html).rows[2]][0] == "a </b> b"  # escaped, whole


@pytest.mark.parametrize(
    "kind,prose",
    [
        ("pct", numbers.pct),
        ("pp", numbers.pp),
        ("number", numbers.number),
        ("integer", numbers.integer),
        ("ordinal", numbers.ordinal),
    ],
)
def test_table_numbers_have_the_prose_rounding(kind, prose):
    values = [574.0, 1.0, 0.05, 0.04999, -3.25, 190.449861, 12345.678, 2.0, float("nan")]
    df = pd.DataFrame({"v": values})
    cells = [r[0][2] for r in _parse(present.html_table(df, {"v": "V"}, formats={"v": kind})).rows[1:]]
    expected = ["\u2014" if np.isnan(v) else prose(v) for v in values]
    if kind == "ordinal":
        expected = ["\u2014" if np.isnan(v) else prose(int(v)) for v in values]
        cells = [
            r[0][2]
            for r in _parse(
                present.html_table(
                    pd.DataFrame({"v": [int(v) if not np.isnan(v) else None for v in values]}),
                    {"v": "V"},
                    formats={"v": kind},
                )
            ).rows[1:]
        ]
    assert cells == expected


def test_amounts_in_billions_match_the_prose_amounts():
    df = pd.DataFrame({"amount_100m_yuan": [3324.3, 335.2, 9.96]})
    cells = [
        r[0][2]
        for r in _parse(
            present.html_table(
                df, {"amount_100m_yuan": "Amount (billion yuan)"}, formats={"amount_100m_yuan": "billion_yuan"}
            )
        ).rows[1:]
    ]
    assert [c + " billion yuan" for c in cells] == [numbers.yuan_100m(v) for v in df["amount_100m_yuan"]]


def test_figures_as_given_never_print_unrounded_noise():
    assert (
        numbers.as_given(1.24) == "1.24"
        and numbers.as_given(0.7306) == "0.7306"
        and numbers.as_given(7200.0) == "7,200"
    )
    assert numbers.as_given(190.449861, most=1) == "190.4" and numbers.as_given(-2.5) == "\u22122.5"
    df = pd.DataFrame({"value": [190.449861, 1.24]})
    assert [r[0][2] for r in _parse(present.html_table(df, {"value": "V"})).rows[1:]] == ["190.4499", "1.24"]


def test_ledger_data_values_are_rounded_as_in_the_evidence():
    """The first figure the published claims table gives as "Data says" appears, written the same way, in that
    claim's full evidence (never 0.7 in the table and 0.73 in the text)."""
    import shanxi_analysis as sa
    from shanxi_analysis import present

    ledger = present.by_importance(sa.claims.ledger())
    html = present.html_table(present.display_table(ledger), present.DISPLAY_COLUMNS, id_column="claim_id")
    rows = _parse(html).rows[1:]
    column = list(present.DISPLAY_COLUMNS).index("data")
    number = re.compile(r"[\u2212-]?\d[\d,]*(?:\.\d+)?")
    checked = 0
    for row, (_, r) in zip(rows, ledger.iterrows(), strict=True):
        assert row[0][2] != r["claim_id"] and "_" not in row[0][2]  # the claim in words, not its id
        first = number.search(row[column][2])
        if first:
            figure = first.group().replace("\u2212", "-").lstrip("-")
            evidence = r["evidence"].replace("\u2212", "-")
            assert re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d])", evidence), (row[column][2], r["evidence"])
            checked += 1
    assert checked >= 5


def test_dates_are_kept_on_one_line():
    df = pd.DataFrame(
        {"period": ["2020-02-28..2020-08-08", "2021-03-26"], "note": ["repost of 2021-01-01 report", "x"]}
    )
    html = present.html_table(df, {"period": "Period", "note": "Note"})
    assert '<span class="sa-nowrap">2020-02-28..2020-08-08</span>' in html
    assert '<span class="sa-nowrap">2021-01-01</span>' in html


def cell_breaks(html: str, text: str) -> list[str]:
    """The pieces a browser may break ``text``'s cell between: its kept spans, and each character of the text
    outside them (Chinese text breaks between any two characters)."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    inner = next(c for c in cells if re.sub(r"<[^>]+>", "", c) == text)
    pieces = []
    for kept, loose in re.findall(r'<span class="sa-nowrap">([^<]*)</span>|([^<]+)', inner):
        pieces += [kept] if kept else list(loose)
    return pieces


def test_a_chinese_label_breaks_only_where_a_reader_would():
    """A narrow cell (a phone) breaks 软件和信息技术服务业 before 服务业 or at 和, never inside a word
    (软件和信息技术服/务业 was seen at 400 px); a Chinese sentence and an English label break as their text does."""
    df = pd.DataFrame(
        {
            "name": ["软件和信息技术服务业", "电力、热力、燃气及水生产和供应业", "Software and IT services"],
            "note": ["这是一个很长的句子，它有许多字，超过二十个字符的长度，所以照常换行。", "短", "x"],
        }
    )
    zh = present.html_table(df, {"name": "行业", "note": "说明"}, lang="zh")

    def breaks(text: str) -> set[int]:  # where the cell may break: after so many characters
        pieces = cell_breaks(zh, text)
        assert "".join(pieces) == text
        return {sum(map(len, pieces[:i])) for i in range(1, len(pieces))}

    words = {"软件": 0, "信息技术": 3, "服务业": 7}  # a word and where it starts
    cuts = breaks("软件和信息技术服务业")
    assert cuts and not any(start < c < start + len(w) for w, start in words.items() for c in cuts)
    cuts = breaks("电力、热力、燃气及水生产和供应业")
    assert 13 in cuts and not {1, 4, 7, 14, 15} & cuts  # before 供应业; never inside 电力, 热力, 燃气 or 供应业
    assert '<span class="sa-nowrap">这是' not in zh  # a sentence: no piece kept whole
    en = present.html_table(df, {"name": "Industry", "note": "Note"})
    assert "sa-nowrap" not in en


def test_sources_are_short_names_linked_to_full_references():
    df = pd.DataFrame(
        {
            "desc": [
                "China Industrial Economy Information Network 2021-02-07, citing the Shanxi Statistics Bureau",
                "same",
                "Xinhua 2019-06-13 <b>bold</b>",
                "A local note",
            ],
            "url": [
                "http://cinic.org.cn/xy/sx/1029847.html",
                "http://cinic.org.cn/xy/sx/1029847.html",
                "javascript:alert(1)",
                None,
            ],
        }
    )
    html = present.html_table(df, {"desc": "Source"}, sources={"desc": "url"})
    p = _parse(html)
    cells = [r[0][2] for r in p.rows[1:]]
    assert cells == ["Shanxi Statistics Bureau1", "Shanxi Statistics Bureau1", "Xinhua2", "A local note3"]
    hrefs = [h for h, _ in p.links]
    assert "javascript:alert(1)" not in hrefs and "http://cinic.org.cn/xy/sx/1029847.html" in hrefs
    anchors = re.findall(r'<li id="([^"]+)">', html)
    assert len(anchors) == 3 and all(f'href="#{a}"' in html for a in anchors)
    assert "China Industrial Economy Information Network" in html  # the full reference is kept in the list
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_sources_from_ledger_style_strings():
    df = pd.DataFrame(
        {
            "sources": [
                "China Daily, 'Investment booms in Shanxi in 2020' (2021-03-26) "
                "<https://shanxi.chinadaily.com.cn/2021-03/26/c_606595.htm> | NBS via Xinhua via "
                "english.gov.cn 2021-01-18 <http://english.www.gov.cn/archive/x.html>"
            ]
        }
    )
    p = _parse(present.html_table(df, {"sources": "Sources"}, sources={"sources": None}))
    assert p.rows[1][0][2] == "China Daily1, NBS2"


@pytest.mark.parametrize(
    "text,short",
    [
        (
            "National Bureau of Statistics of China (NBS), via a Wind terminal export "
            "(indicator IDs M9003589-M9003619)",
            "NBS",
        ),
        (
            "China Daily 2020-06-03 citing Shanxi Development and Reform Commission (NOT statistics bureau)",
            "Shanxi DRC",
        ),
        ("湖北日报 2021-01-20 citing Hubei Statistics Bureau", "Hubei Statistics Bureau"),
        ("Shanxi provincial government press conference 2020-08-27 (repost)", "Shanxi government"),
        ("FRED EXCHUS via GitHub", "FRED"),
    ],
)
def test_short_source_names_the_original_publisher(text, short):
    assert present.short_source(text) == short


def test_every_dataset_publisher_has_a_short_name():
    import shanxi_analysis as sa

    for res in sa.data.manifest().values():
        for s in res.sources:
            name = present.short_source(s.get("title", ""), s.get("path"))
            assert name and len(name) <= 60 and "http" not in name, (s, name)


def test_claims_show_their_topic_not_their_id():
    import shanxi_analysis as sa

    df = pd.DataFrame({"claim_id": ["rank_2020"]})
    p = _parse(present.html_table(df, {"claim_id": "Claim"}, claims=["claim_id"]))
    assert p.rows[1][0][2] == sa.claims.TOPICS["rank_2020"]
    assert p.links == [(f"{present.CLAIMS_REPORT}#claim-rank_2020", sa.claims.TOPICS["rank_2020"])]
    assert (
        present.claim_link("rank_2020") == f"[{sa.claims.TOPICS['rank_2020']}]({present.CLAIMS_REPORT}#claim-rank_2020)"
    )


def test_long_text_tables_become_cards_on_phones_and_bad_columns_are_named():
    df = pd.DataFrame({"a": ["word " * 30], "b": [1.5]})
    html = present.html_table(df, {"a": "Evidence", "b": "Value"})
    assert 'class="sa-table sa-cards"' in html and 'data-label="Evidence"' in html and 'class="long"' in html
    with pytest.raises(KeyError, match="'missing'"):
        present.html_table(df, {"missing": "X"})
    with pytest.raises(ValueError, match="unknown format 'percent'"):
        present.html_table(df, {"b": "B"}, formats={"b": "percent"})


def test_chart_references_are_collected_once_with_safe_links():
    ref = present.reference(
        "National Bureau of Statistics of China (NBS)", "Growth", "2023-01-30", "https://example.org/x"
    )
    bad = {"text": "Evil", "url": "javascript:alert(1)"}
    nb = {
        "cells": [
            {"outputs": [{"metadata": {present.SOURCES_META: [ref, bad]}}]},
            {"outputs": [{"metadata": {present.SOURCES_META: [ref]}}]},
            {"cell_type": "markdown"},
        ]
    }
    refs = present.chart_references(nb)
    assert [r["short"] for r in refs] == ["NBS", "Evil"]
    assert refs[0]["url"] == "https://example.org/x" and refs[1]["url"] is None
    assert [r["named"] for r in refs] == [True, False]  # metadata without the flag shows the short name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_page_names_a_publisher_once_in_its_list_of_sources(tmp_path, lang):
    """ "国家统计局：国家统计局，……" said the publisher twice: a reference whose text names its publishers is listed
    without its short name; one whose short name the text does not spell out keeps it before the text."""
    import nbformat
    from bs4 import BeautifulSoup

    from shanxi_analysis import publish

    named = present.reference(
        {
            "en": "National Bureau of Statistics of China (NBS), via a Wind terminal export",
            "zh": "国家统计局，经万得导出",
        }[lang],
        "Growth",
        "2023-01-30",
        "https://example.org/x",
        lang=lang,
        recorded="National Bureau of Statistics of China (NBS), via a Wind terminal export",
    )
    shortened = present.reference(
        {"en": "Shanxi Development and Reform Commission", "zh": "山西省发展和改革委员会"}[lang],
        "Projects",
        "2021-01-20",
        lang=lang,
        recorded="Shanxi Development and Reform Commission",
    )  # short name "Shanxi DRC", which the English text does not spell out
    assert named["named"] and shortened["named"] is (lang == "zh")  # 山西省发展和改革委员会 both ways
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output(
        "display_data", {"text/plain": "chart"}, metadata={present.SOURCES_META: [named, shortened]}
    )
    nb.cells = [nbformat.v4.new_code_cell("chart", outputs=[out])]
    publish.export_notebook(nb, tmp_path, "page", "A page", pdf=False, lang=lang)
    items = BeautifulSoup((tmp_path / "page.html").read_text(encoding="utf-8"), "html.parser").select(
        ".sa-page-sources li"
    )
    texts = [li.get_text() for li in items]
    assert texts[0].startswith(named["text"]) and not items[0].select(".sa-short")
    if lang == "en":
        assert [s.get_text() for s in items[1].select(".sa-short")] == ["Shanxi DRC"]
        assert texts[1].startswith("Shanxi DRC: Shanxi Development and Reform Commission (2021-01-20), Projects")
    else:
        assert not items[1].select(".sa-short") and texts[1].startswith(shortened["text"])


# --------------------------------------------------------------------------------------------- escaping at render
INJECTED = "<script>alert(1)</script> [x](javascript:alert(1)) *em* _u_ `code` new_projects"


def test_md_and_tables_render_injected_data_text_inert():
    """present.md escapes every value once, on insertion (HTML and Markdown punctuation); tables escape through
    Jinja2's autoescape only; a javascript: address never becomes a link anywhere."""
    from bs4 import BeautifulSoup
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    shown = present.md("**Note:** {note} ({link})", note=INJECTED, link=present.link("javascript:alert(1)", "x")).data
    soup = BeautifulSoup(markdown2html_mistune(shown), "html.parser")
    assert [el.name for el in soup.find_all(True)] == ["p", "strong"]  # only the template's own markup
    assert " ".join(soup.get_text().split()) == f"Note: {INJECTED} (x)"
    assert "<script>" not in shown and "](javascript" not in shown
    df = pd.DataFrame({"text": [INJECTED], "src": ["NBS"], "url": ["javascript:alert(1)"]})
    html = present.html_table(df, {"text": "Text", "src": "Source"}, sources={"src": "url"})
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script") and all(not a["href"].startswith("javascript") for a in soup.find_all("a"))
    assert INJECTED in soup.get_text() and "&amp;#" not in html  # escaped once, not twice


def test_md_values_plain_text_in_markup_out():
    assert present.escape("Shanxi's 10.6% (COVID-19)") == "Shanxi's 10.6% (COVID-19)"  # no entity soup
    assert present.md("{a}", a=present.link("https://x.example/?a=1&b=2", "s")).data == (
        '<a href="https://x.example/?a=1&amp;b=2" rel="noopener noreferrer">s</a>'
    )
    assert present.md("{items}", items=["a*", "b"]).data == "- a&#42;\n- b"
    assert present.md("## {t}\n\n{body}", t="T", body=present.paragraphs("x", "", None, "y")).data == "## T\n\nx\n\ny"
    assert present.md("as *is* {x}").data == "as *is* {x}"  # no values: the project's own Markdown as it is
    assert present.safe_href("../../article-check/03.html") == "../../article-check/03.html"
    assert present.safe_href("javascript:alert(1)") is None and present.safe_href("//evil.example") is None
    with pytest.raises(KeyError, match="'b'"):
        present.md("{a} {b}", a=1)


def test_the_scrolling_wrapper_is_a_named_region_a_keyboard_can_reach():
    """The wrapper scrolls sideways on a narrow screen (axe: scrollable-region-focusable): it is in the tab order,
    a region named by the caption, or else by the column headers (escaped like every text)."""
    df = pd.DataFrame({"a": ["x"], "b": [1.0]})
    wrap = re.match(r"<div ([^>]*)>", present.html_table(df, {"a": "Claim", "b": "<b>Value</b>"})).group(1)
    assert 'role="region"' in wrap and 'tabindex="0"' in wrap
    assert 'aria-label="Claim, &lt;b&gt;Value&lt;/b&gt;"' in wrap
    html = present.html_table(df, {"a": "Claim", "b": "Value"}, caption="Projects by city")
    assert 'aria-label="Projects by city"' in re.match(r"<div ([^>]*)>", html).group(1)


# ------------------------------------------------------------------------------------------------ in Chinese
def _sources_table() -> pd.DataFrame:
    """Two sectors of Shanxi 2020 with their source: the manifest's record of the breakdown (cited by its URL) and
    a document the manifest does not hold."""
    from shanxi_analysis.data import raw

    record = raw.resource("shanxi_investment_2020").as_dict()
    df = pd.DataFrame(
        {
            "sector": ["manufacturing", "mining"],
            "amount": [1284.4, 508.3],
            "projects": [12345, 17],
            "growth_pct": [25.9, -7.2],
            "source": ["China Industrial Economy Information Network 2021-02-07, citing the Shanxi Statistics Bureau",
                       "Xinhua 2021-01-20"],
            "url": [record["url"], "https://www.news.cn/fortune/2021-01/20/c_1127004.htm"],
        }
    )  # fmt: skip
    df.attrs["sources"] = [record]
    return df


_COLUMNS = {"sector": "行业", "amount": "金额（亿元）", "projects": "项目个数", "growth_pct": "增速", "source": "来源"}


def test_a_chinese_table_writes_numbers_as_chinese_statistics_do():
    df = _sources_table()
    zh = _parse(present.html_table(df, _COLUMNS, formats={"amount": "number"}, sources={"source": "url"}, lang="zh"))
    en = _parse(present.html_table(df, _COLUMNS, formats={"amount": "number"}, sources={"source": "url"}))
    assert [r[1][2] for r in zh.rows[1:]] == ["1284.4", "508.3"]  # never 1,284.4
    assert [r[2][2] for r in zh.rows[1:]] == ["12345", "17"]
    assert [r[3][2] for r in zh.rows[1:]] == ["25.9%", "\u22127.2%"]
    assert [r[1][2] for r in en.rows[1:]] == ["1,284.4", "508.3"] and en.rows[1][2][2] == "12,345"  # English as before


def test_a_chinese_table_cites_its_sources_as_the_charts_do():
    from shanxi_analysis.present import theme

    df = _sources_table()
    html = present.html_table(df, _COLUMNS, sources={"source": "url"}, lang="zh")
    (chart,) = theme.references(df, lang="zh")  # the page's charts cite the same record so
    p = _parse(html)
    assert p.rows[1][4][2] == chart["short"] + "1" == "山西省统计局1"
    assert p.rows[2][4][2] == "新华社2"  # the publisher's Chinese name (messages/terms/zh.yml)
    items = re.findall(r'<li id="[^"]+"><span class="sa-short">([^<]+)</span>(.*?)</li>', html)
    assert items[0][0] == chart["short"] and items[0][1].startswith("：")
    assert re.sub(r"<[^>]+>", "", items[0][1]).startswith("：" + chart["text"])  # publisher，《title》，date in Chinese
    assert "，山西2020年" in items[0][1] and "2021年2月7日" in items[0][1]
    # a document the manifest does not hold: the data's own text
    assert re.sub(r"<[^>]+>", "", items[1][1]).startswith("：Xinhua 2021-01-20")
    # in English the table cites the data's text, as it always did
    en = present.html_table(df, _COLUMNS, sources={"source": "url"})
    assert en == present.html_table(df, _COLUMNS, sources={"source": "url"}, lang="en")
    # the footnote number is kept with the name's last character, so it never starts a line on its own
    assert 'Shanxi Statistics Burea<span class="sa-keep">u<sup>1</sup></span>' in en
    assert "</span>: China Industrial Economy" in en


def test_two_documents_of_one_publisher_are_told_apart_in_the_pages_language():
    df = pd.DataFrame(
        {
            "what": ["a", "b"],
            "source": ["Xinhua 2021-01-20", "Xinhua 2021-03-02"],
            "url": ["https://www.news.cn/a.htm", "https://www.news.cn/b.htm"],
        }
    )
    en = _parse(present.html_table(df, {"what": "What", "source": "Source"}, sources={"source": "url"}))
    zh = _parse(present.html_table(df, {"what": "What", "source": "Source"}, sources={"source": "url"}, lang="zh"))
    assert [r[1][2] for r in en.rows[1:]] == ["Xinhua, 2021-01-201", "Xinhua, 2021-03-022"]
    assert [r[1][2] for r in zh.rows[1:]][0].endswith("，2021年1月20日1")


def test_documents_of_one_publisher_are_never_told_apart_by_a_web_site():
    # The claims ledger cites three NBS documents: two dated in their text, and a Wind export the data manifest holds
    # (a GitHub address, no date in its text): its record's date of publication tells it apart, never "github.com"
    wind = {
        "publisher": "National Bureau of Statistics of China (NBS), via a Wind terminal export",
        "publisher_zh": "国家统计局，经万得（Wind）终端导出",
        "title": "Provincial FAI growth (%), 1992-2022",
        "title_zh": "分省固定资产投资完成额同比增长（%），1992—2022年",
        "published": "2023-01-30",
        "url": "https://github.com/common2016/CapitalStock/blob/master/fai.xlsx",
    }
    df = pd.DataFrame(
        {
            "what": ["a", "b", "c", "d"],
            "source": [
                "NBS via Xinhua 2021-01-18",
                "NBS via CRI 2021-03-01",
                "National Bureau of Statistics of China (NBS), via a Wind terminal export",
                "NBS 2020 statistical communique as summarised by China Daily",
            ],
            "url": [
                "http://english.www.gov.cn/a.html",
                "http://cri.cn/b.html",
                wind["url"],
                "https://chinaservicesinfo.com/s/202103/01/c.html",
            ],
        }
    )
    df.attrs["sources"] = [wind]
    cols = {"what": "What", "source": "Source"}
    en = _parse(present.html_table(df, cols, sources={"source": "url"}, records=[wind]))
    zh = _parse(present.html_table(df, cols, sources={"source": "url"}, records=[wind], lang="zh"))
    cells_en = [r[1][2] for r in en.rows[1:]]
    cells_zh = [r[1][2] for r in zh.rows[1:]]
    assert cells_en == ["NBS, 2021-01-181", "NBS, 2021-03-012", "NBS, 2023-01-303", "NBS4"]
    assert cells_zh == [
        "国家统计局，2021年1月18日1",
        "国家统计局，2021年3月1日2",
        "国家统计局，2023年1月30日3",
        "国家统计局4",
    ]
    assert not any(re.search(r"github|chinaservicesinfo", c) for c in cells_en + cells_zh)


def test_every_figure_found_is_cited_by_its_publisher_not_a_web_site():
    # the figures table of the article check cites each figure's source: a reader sees 《运城日报》, not the host of
    # the repost (jmarkadlighting.com); the publisher's short name has its Chinese (messages/terms/zh.yml)
    import shanxi_analysis as sa

    figures = sa.data.independent_figures()
    host = re.compile(r"^[\w.-]+\.(com|cn|net|org|us)$")
    for desc, url in zip(figures["source_desc"], figures["source_url"], strict=True):
        names = present.short_source(desc, url).split(", ")
        assert not any(host.match(n) for n in names), (desc, names)
        zh = sa.messages.say("reference.short", "zh", names=names)
        assert re.search(r"[\u4e00-\u9fff]", zh) or zh in {"FRED"}, (desc, zh)
