"""Compile the reference figures in ``../shared/sources/`` into the project's own ``data/raw/`` tables.

A maintainer runs this by hand when the reference sources change; nothing at run time or in the tests
calls it, and nothing else writes into ``data/raw/``.  It only transcribes and reshapes: every number is
taken as published (or as marked DERIVED by the source compiler) and no value is computed, filled or
adjusted.  After running it, update the sha256 in ``data/datapackage.json`` with
``python scripts/update_manifest.py``.

Usage:  python scripts/compile_raw_data.py [SOURCES_DIR]
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _write(name: str, rows: list[dict], columns: list[str]) -> None:
    path = RAW / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: ("" if r.get(c) is None else r.get(c)) for c in columns})
    print(f"wrote {path.relative_to(ROOT)} ({len(rows)} rows)")


def _num(text: str) -> str:
    """The leading plain number of a cell such as '84100 (8.41 tn)'; '' for approximate or empty cells."""
    text = (text or "").strip()
    m = re.match(r"^(-?\d+(?:\.\d+)?)(?:\s|$)", text)
    return m.group(1) if m else ""


def _decimals(text: str) -> int:
    """The decimals a figure is published to, as written: '25' 0, '24.0' 1, '-5.4' 1."""
    text = text.strip()
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        raise ValueError(f"not a plain published figure: {text!r}")
    return len(text.partition(".")[2])


def fai_by_province(src: Path) -> None:
    x = pd.read_excel(src / "nbs_fai_growth_by_province_1992_2022_wind_export.xlsx", header=None)
    header = x.iloc[0]
    rows = []
    for i in range(1, len(x)):
        name = x.iat[i, 1]
        if not isinstance(name, str) or "固定资产投资" not in name:
            continue
        for j in range(8, x.shape[1]):
            year = pd.Timestamp(header.iat[j]).year
            v = x.iat[i, j]
            rows.append(
                {
                    "indicator_id": x.iat[i, 4],
                    "indicator_name": name,
                    "year": year,
                    "fai_growth_pct": "" if pd.isna(v) else repr(float(v)),
                }
            )
    _write("nbs_fai_growth_by_province.csv", rows, ["indicator_id", "indicator_name", "year", "fai_growth_pct"])


def gdp_by_province(src: Path) -> None:
    x = pd.read_excel(src / "nbs_gross_regional_product_by_province_2004_2023.xls", header=None)
    hdr = next(i for i in range(len(x)) if str(x.iat[i, 0]).strip() == "Region")
    years = [int(v) for v in x.iloc[hdr, 1:]]
    rows = []
    for i in range(hdr + 1, len(x)):
        region = x.iat[i, 0]
        if not isinstance(region, str) or region.startswith("Data Sources"):
            continue
        for j, year in enumerate(years, start=1):
            v = x.iat[i, j]
            rows.append({"region": region.strip(), "year": year, "gdp_100m_yuan": "" if pd.isna(v) else repr(float(v))})
    rows.sort(key=lambda r: (r["region"], r["year"]))
    _write("nbs_gdp_by_province.csv", rows, ["region", "year", "gdp_100m_yuan"])


SCOPES = {"全社会": "whole society", "城镇": "urban", "不含农户": "excluding rural households"}


#: A row's scope where its source does not name one, for the years whose neighbours' totals are whole-society.
_WHOLE_SOCIETY_INFERRED = (
    "全社会 (total society; not named in the source: the annual total NBS announced then was "
    "whole-society investment, the scope of the totals published for 1998, 2000 and 2001)"
)
#: One report gives 2003 and, as the year before, 2002.
_AFP_2004 = {
    "source_url": "https://brecorder.com/news/amp/3006554",
    "source_desc": 'AFP via Business Recorder 2004-01-21, reporting the NBS release ("Chinese economy grows 9.1 '
    'percent in 2003")',
}
_AFP_2004_QUOTE = (
    'Verbatim: "Massive fixed asset investment - a measure of government spending on infrastructure - served as a '
    'main engine for growth, jumping 26.7 percent, compared to 16.1 percent in 2002."'
)

#: National figures found by the project's own research rather than in the reference sources, each read from a
#: stored public page (the verbatim sentence is in the note): 1998 (issue 19), then 1999-2003, 2005, 2007 and 2012
#: (2026-12-04), mostly NBS's January releases as reported by news agencies.  :func:`national_fai` sorts the rows by
#: year with the reference rows.
RESEARCHED_NATIONAL_ROWS: tuple[dict, ...] = (
    {
        "year": "1998",
        "scope_zh": "全社会",
        "scope": "whole society",
        "scope_detail": "全社会 (total society)",
        "growth_pct": "14.1",
        "derived": "false",
        "level_100m_yuan": "28457",
        "level_as_published": "28457 (28457亿元)",
        "basis": "preliminary (初步统计), nominal, NBS press conference 1999-02-26",
        "source_url": "http://news.sina.com.cn./richtalk/news/china/9902/022706.html",
        "source_desc": "Xinhua 1999-02-26 (新华社北京2月26日电, 记者杨晓红), "
        "国家统计局公布去年经济增长数字, quoting NBS; reposted by sina.com.cn",
        "note": 'Verbatim: "初步统计,全年国有经济投资比上年增长19.6%。 '
        '加上城乡集体、个人及其他投资,全社会固定资产投资全年完成28457亿元, 增长14.1%。" '
        "Preliminary and nominal; later yearbook revisions not checked.",
    },
    {
        "year": "1999",
        "scope_zh": "全社会",
        "scope": "whole society",
        "scope_detail": _WHOLE_SOCIETY_INFERRED,
        "growth_pct": "5.2",
        "derived": "false",
        "level_100m_yuan": "",
        "level_as_published": "",
        "basis": "NBS head at the State Council Information Office press conference, 2000-02-28; nominal",
        "source_url": "http://j.people.com.cn/2000/03/01/newfiles/a1200.html",
        "source_desc": (
            "People's Daily (人民日报) 2000-03-01 p.2, Japanese edition (人民網日本語版), quoting NBS head Liu Hong"
        ),
        "note": (
            'Verbatim: "国家統計局の劉洪局長が昨年の固定資産投資が5.2%の割合で増長し、'
            '昨年の13.9%を大きく下回った原因について以下のように解説した。" The page gives '
            "1998 as 13.9 (revised; 14.1 preliminary, the 1998 row)."
        ),
    },
    {
        "year": "2000",
        "scope_zh": "全社会",
        "scope": "whole society",
        "scope_detail": "全社会 (total society: state, collective and individual investment)",
        "growth_pct": "9.3",
        "derived": "false",
        "level_100m_yuan": "32619",
        "level_as_published": "32619 (3261,9 Mrd. Yuan)",
        "basis": "NBS annual statistics as translated by China.org.cn; nominal",
        "source_url": "http://german.china.org.cn/de-tongji/4.htm",
        "source_desc": "China.org.cn (German), statistics summary, section Anlageinvestition, from NBS figures",
        "note": (
            'Verbatim: "2000 betrugen die getätigten Anlageinvestitionen 3261,9 Mrd. Yuan, eine Zunahme um '
            '9,3% im Vergleich zu 1999." State units 2328.4, collective 473.9 and individuals 459.6 bn sum '
            "to the total: whole society."
        ),
    },
    {
        "year": "2001",
        "scope_zh": "全社会",
        "scope": "whole society",
        "scope_detail": "全社会 (total society: state and other, collective and individual investment)",
        "growth_pct": "12.1",
        "derived": "false",
        "level_100m_yuan": "36898",
        "level_as_published": "36898 (3689,8 Mrd. Yuan)",
        "basis": "NBS annual statistics as translated by China.org.cn; nominal",
        "source_url": "http://german.china.org.cn/de-tongji/2001/4.htm",
        "source_desc": "China.org.cn (German), statistics summary 2001, section Anlageinvestition, from NBS figures",
        "note": (
            'Verbatim: "2001 betrugen die getätigten Anlageinvestitionen 3689,8 Mrd. Yuan, eine Zunahme um '
            '12,1% im Vergleich zu 2000." State and other 2640.1, collective 518.9 and individuals 530.8 bn '
            "sum to the total: whole society. Also french.china.org.cn: 3.69 trillion, +12.1%."
        ),
    },
    {
        "year": "2002",
        "scope_zh": "全社会",
        "scope": "whole society",
        "scope_detail": _WHOLE_SOCIETY_INFERRED,
        "growth_pct": "16.1",
        "derived": "false",
        "level_100m_yuan": "",
        "level_as_published": "",
        "basis": "NBS release of 2004-01-20 (the year before, as quoted); nominal",
        **_AFP_2004,
        "note": (
            _AFP_2004_QUOTE
            + " French China.org.cn (China in figures 2003) gives 4.3202 trillion yuan, +16.1%; not read here."
        ),
    },
    {
        "year": "2003",
        "scope_zh": "全社会",
        "scope": "whole society",
        "scope_detail": _WHOLE_SOCIETY_INFERRED,
        "growth_pct": "26.7",
        "derived": "false",
        "level_100m_yuan": "",
        "level_as_published": "",
        "basis": "NBS release of 2004-01-20 (NBS director Li Deshui); preliminary, nominal",
        **_AFP_2004,
        "note": (_AFP_2004_QUOTE + " Also China Daily 2004-01-20: 26.7%."),
    },
    {
        "year": "2005",
        "scope_zh": "全社会",
        "scope": "whole society",
        "scope_detail": (
            "全社会 (total society; not named in the source: 8.9 trillion yuan is the whole-society level the "
            "2006 rows imply, 10.987 trillion / 1.240 = 8.86, not the urban one, 9.3472 trillion / 1.245 = "
            "7.51)"
        ),
        "growth_pct": "25.7",
        "derived": "false",
        "level_100m_yuan": "",
        "level_as_published": "≈89000 (8.9 trillion yuan)",
        "basis": "NBS release of 2006-01-25; preliminary, nominal",
        "source_url": "https://www.latimes.com/archives/la-xpm-2006-jan-25-fi-china25-story.html",
        "source_desc": (
            'Associated Press via the Los Angeles Times 2006-01-25 ("Chinese Economy Posts Growth of 9.9% in '
            '2005"), reporting the NBS statement'
        ),
        "note": (
            'Verbatim: "Investments in construction and factories grew 25.7% to 8.9 trillion yuan ($1.1 '
            'trillion)". Also RTE and ABC (2006-01-25): 25.7%.'
        ),
    },
    {
        "year": "2007",
        "scope_zh": "全社会",
        "scope": "whole society",
        "scope_detail": '全社会 (total society: "the overall investment in assets")',
        "growth_pct": "24.8",
        "derived": "false",
        "level_100m_yuan": "",
        "level_as_published": "≈137000 (13.7 trillion yuan)",
        "basis": "NBS press conference 2008-01-24 (NBS head Xie Fuzhan); preliminary, nominal",
        "source_url": "http://china.org.cn/business/news/2008-01/24/content_1240561.htm",
        "source_desc": "China.org.cn 2008-01-24, reporting the NBS press conference",
        "note": (
            'Verbatim: "China saw its fixed asset investment rising 24.8 percent year-on-year in 2007, up '
            "0.9 percentage points from 2006 ... The overall investment in assets last year stood at 13.7 "
            'trillion yuan". Also japanese.china.org.cn 2008-01-24: 24.8%, 13兆7239億元.'
        ),
    },
    {
        "year": "2007",
        "scope_zh": "城镇",
        "scope": "urban",
        "scope_detail": "城镇 (urban)",
        "growth_pct": "25.8",
        "derived": "false",
        "level_100m_yuan": "",
        "level_as_published": "≈117000 (11.7 trillion yuan)",
        "basis": "NBS press conference 2008-01-24 (NBS head Xie Fuzhan); preliminary, nominal",
        "source_url": "http://china.org.cn/business/news/2008-01/24/content_1240561.htm",
        "source_desc": "China.org.cn 2008-01-24, reporting the NBS press conference",
        "note": (
            'Verbatim: "The urban fixed-asset investment was 11.7 trillion yuan, representing an annual '
            'increase of 25.8 percent"'
        ),
    },
    {
        "year": "2012",
        "scope_zh": "不含农户",
        "scope": "excluding rural households",
        "scope_detail": (
            '不含农户 (not named in the source: the level, 36.5 trillion yuan, and 2011\'s "24 percent" are those '
            "of the series excluding rural households that NBS published monthly in 2012 (2011: 23.8%, the "
            "2011 row))"
        ),
        "growth_pct": "20.6",
        "derived": "false",
        "level_100m_yuan": "",
        "level_as_published": "≈365000 (36.5 trillion yuan)",
        "basis": "NBS release of 2013-01-18; preliminary, nominal",
        "source_url": "http://en.people.cn./90778/8098149.html",
        "source_desc": "Shanghai Daily via People's Daily Online 2013-01-18, reporting the NBS release",
        "note": (
            'Verbatim: "Fixed-asset investment increased 20.6 percent to 36.5 trillion yuan, slower than '
            "2011's 24 percent rise.\""
        ),
    },
)


def national_fai(src: Path) -> None:
    rows = list(RESEARCHED_NATIONAL_ROWS)  # found by the project's own research
    for r in csv.DictReader((src / "national_fai_growth.csv").open(encoding="utf-8")):
        scope_zh = next(k for k in SCOPES if r["scope"].startswith(k))
        level = r["level_100m_yuan"].strip()
        rows.append(
            {
                "year": r["year"],
                "scope_zh": scope_zh,
                "scope": SCOPES[scope_zh],
                "scope_detail": r["scope"],
                "growth_pct": r["growth_pct"],
                "derived": str(r["basis"].startswith("DERIVED")).lower(),
                "level_100m_yuan": _num(level),
                "level_as_published": level,
                "basis": r["basis"],
                "source_url": r["source_url"],
                "source_desc": r["source_desc"],
                "note": r["note"],
            }
        )
    rows += _yearbook_national_rows()  # 2023 and 2024, from the yearbook images (see OUR_TRANSCRIPTION)
    rows.sort(key=lambda r: int(r["year"]))  # stable: a year's scopes keep their order
    for r in rows:  # how precisely the source gives the figure: 2004's "25" is a whole percent, not 25.0
        r["growth_decimals"] = _decimals(str(r["growth_pct"]))
    _write(
        "national_fai_growth.csv",
        rows,
        [
            "year",
            "scope_zh",
            "scope",
            "scope_detail",
            "growth_pct",
            "growth_decimals",
            "derived",
            "level_100m_yuan",
            "level_as_published",
            "basis",
            "source_url",
            "source_desc",
            "note",
        ],
    )


def monthly(src: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "fai_2020_monthly_cumulative.csv").open(encoding="utf-8")):
        end_month = int(r["period"].split("..")[1])
        desc = r["source_desc"]
        status = (
            "not found" if desc.startswith("NOT FOUND") else ("derived" if desc.startswith("DERIVED") else "published")
        )
        rows.append(
            {
                "region": "China" if r["region"].startswith("China") else r["region"],
                "year": 2020,
                "end_month": end_month,
                "period": r["period"],
                "period_zh": r["period_cn"],
                "cum_growth_pct": r["cum_yoy_growth_pct"],
                "status": status,
                "level_100m_yuan": _num(r["level_100m_yuan"]),
                "level_as_published": r["level_100m_yuan"],
                "source_url": r["source_url"],
                "source_desc": "" if status == "not found" else desc,
                "note": r["note"],
            }
        )
    _write(
        "fai_2020_monthly_cumulative.csv",
        rows,
        [
            "region",
            "year",
            "end_month",
            "period",
            "period_zh",
            "cum_growth_pct",
            "status",
            "level_100m_yuan",
            "level_as_published",
            "source_url",
            "source_desc",
            "note",
        ],
    )


def census(src: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "census2020_population_by_province.csv").open(encoding="utf-8")):
        kind = {"现役军人": "military", "全国": "national"}.get(r["province_cn"], "province")
        rows.append(
            {
                "name_zh": r["province_cn"],
                "kind": kind,
                "population": r["population_2020_11_01"],
                "share_pct_2020": r["share_pct_2020"],
                "share_pct_2010": r["share_pct_2010"],
                "source_url": r["source_url"],
                "source_desc": r["source_desc"],
                "cross_check": r["cross_check"],
            }
        )
    _write(
        "census2020_population.csv",
        rows,
        [
            "name_zh",
            "kind",
            "population",
            "share_pct_2020",
            "share_pct_2010",
            "source_url",
            "source_desc",
            "cross_check",
        ],
    )


def rates(src: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "cny_per_usd.csv").open(encoding="utf-8")):
        rows.append(
            {
                "period": r["period"],
                "measure": r["measure"],
                "cny_per_usd": r["cny_per_usd"],
                "kind": "implied by the article" if r["period"] == "check" else "published",
                "source_url": r["source_url"],
                "source_desc": r["source_desc"],
                "note": r["note"],
            }
        )
    _write("cny_per_usd.csv", rows, ["period", "measure", "cny_per_usd", "kind", "source_url", "source_desc", "note"])


def crosschecks(src: Path) -> None:
    rows = list(csv.DictReader((src / "provincial_fai_crosschecks.csv").open(encoding="utf-8")))
    _write("provincial_fai_crosschecks.csv", rows, ["province", "year", "fai_growth_pct", "source_url", "source_desc"])


CITY_EN = {
    "太原市": "Taiyuan",
    "阳泉市": "Yangquan",
    "忻州市": "Xinzhou",
    "大同市": "Datong",
    "晋中市": "Jinzhong",
    "朔州市": "Shuozhou",
    "运城市": "Yuncheng",
    "晋城市": "Jincheng",
    "吕梁市": "Lüliang",
    "长治市": "Changzhi",
    "临汾市": "Linfen",
    "山西省": "Shanxi",
}


def shanxi_detail(src: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "shanxi_fai_2020_sector_city.csv").open(encoding="utf-8")):
        level, unit = r["level"], r["unit"]
        base = {"source_url": r["source_url"], "source_desc": r["source_desc"]}
        note = r["verbatim_or_note"]
        if level == "province structure":
            for name, share in zip(
                ["primary industry", "secondary industry", "tertiary industry"], r["share_pct"].split(":"), strict=True
            ):
                rows.append(
                    {
                        **base,
                        "breakdown": "structure",
                        "name_zh": unit,
                        "name_en": name,
                        "indicator": "share of total FAI by the three sectors",
                        "share_pct": share,
                        "share_of": "provincial FAI",
                        "derived": "false",
                        "note": f"published as {r['share_pct']}; {r['extra']}",
                    }
                )
            continue
        if level.startswith("sector"):
            zh, en = [s.strip() for s in unit.split(" / ", 1)]
            rows.append(
                {
                    **base,
                    "breakdown": "sector",
                    "name_zh": zh,
                    "name_en": en,
                    "indicator": "industry-type project investment",
                    "amount_100m_yuan": r["amount_100m_yuan"],
                    "growth_pct": r["growth_pct"],
                    "share_pct": _num(r["share_pct"]),
                    "share_of": "industry-type project investment",
                    "derived": "false",
                    "note": note,
                }
            )
        elif level.startswith("city (") or level == "province_total":
            rows.append(
                {
                    **base,
                    "breakdown": "city" if level.startswith("city") else "province",
                    "name_zh": unit,
                    "name_en": CITY_EN[unit],
                    "indicator": "industry-type project investment",
                    "amount_100m_yuan": r["amount_100m_yuan"],
                    "growth_pct": r["growth_pct"],
                    "share_pct": _num(r["share_pct"]),
                    "share_of": "city FAI" if level.startswith("city") else "provincial FAI",
                    "derived": "false",
                    "note": "; ".join(s for s in (r["extra"], note) if s),
                }
            )
        elif level == "city total FAI":
            derived = "DERIVED" in r["growth_pct"] or "derived" in r["extra"]
            uncitable = r["source_url"].startswith("NO CITABLE")
            rows.append(
                {
                    "breakdown": "city total FAI",
                    "name_zh": unit,
                    "name_en": CITY_EN[unit],
                    "indicator": "total FAI",
                    "growth_pct": _num(r["growth_pct"]),
                    "derived": str(derived).lower(),
                    "source_url": "" if uncitable else r["source_url"],
                    "source_desc": r["source_desc"],
                    "note": "; ".join(
                        s for s in (r["extra"], "no citable URL: verify before use" if uncitable else "", note) if s
                    ),
                }
            )
        elif level == "province total FAI":
            rows.append(
                {
                    **base,
                    "breakdown": "province total FAI",
                    "name_zh": unit,
                    "name_en": "Shanxi",
                    "indicator": "total FAI (level DERIVED from industry-type investment and its share)",
                    "amount_100m_yuan": re.match(r"≈(\d+)", r["amount_100m_yuan"]).group(1),
                    "growth_pct": r["growth_pct"],
                    "derived": "true",
                    "note": f"published cell: '{r['amount_100m_yuan']}'; {r['extra']}",
                }
            )
        else:
            raise SystemExit(f"unexpected level {level!r} in shanxi_fai_2020_sector_city.csv")
    _write(
        "shanxi_investment_2020.csv",
        rows,
        [
            "breakdown",
            "name_zh",
            "name_en",
            "indicator",
            "amount_100m_yuan",
            "growth_pct",
            "share_pct",
            "share_of",
            "derived",
            "source_url",
            "source_desc",
            "note",
        ],
    )


def devzones(src: Path) -> None:
    rows = list(csv.DictReader((src / "shanxi_devzones_2020.csv").open(encoding="utf-8")))
    for r in rows:
        r["derived"] = str("DERIVED" in r["finding"] or "DERIVED" in r["source_desc"]).lower()
    _write("shanxi_devzones.csv", rows, ["region", "period", "finding", "derived", "source_url", "source_desc"])


# ------------------------------------------------------------------ provincial panels (issue 13)
def _wind_long(
    x: pd.DataFrame, name_col: int, first_value_col: int, years: range, value_col: str, id_col: int | None = None
) -> list[dict]:
    """One row per (indicator, year) of a Wind export laid out one row per indicator, one column per year;
    years outside ``years`` are not compiled, empty cells stay empty."""
    header = x.iloc[0]
    rows = []
    for i in range(1, len(x)):
        name = x.iat[i, name_col]
        if not isinstance(name, str) or ":" not in name:
            continue
        for j in range(first_value_col, x.shape[1]):
            year = pd.Timestamp(header.iat[j]).year
            if year not in years:
                continue
            v = x.iat[i, j]
            row = {"indicator_name": name, "year": year, value_col: "" if pd.isna(v) else repr(float(v))}
            if id_col is not None:
                row["indicator_id"] = x.iat[i, id_col]
            rows.append(row)
    rows.sort(key=lambda r: (r["indicator_name"], r["year"]))
    return rows


def fai_level(src: Path) -> None:
    rows = [
        {"region_zh": r["province_zh"], "year": r["year"], "fai_100m_yuan": r["fai_total_100m_yuan"]}
        for r in csv.DictReader(
            (src / "provincial_panels" / "fai_level_by_province_2005_2017.csv").open(encoding="utf-8")
        )
    ]
    _write("fai_level_by_province.csv", rows, ["region_zh", "year", "fai_100m_yuan"])


def fai_price_index(src: Path) -> None:
    x = pd.read_excel(src / "provincial_panels" / "wind_fai_price_index_by_province_1991_2019.xlsx", header=None)
    rows = _wind_long(x, 1, 8, range(1991, 2020), "index_prev_year_100", id_col=4)
    _write("fai_price_index_by_province.csv", rows, ["indicator_id", "indicator_name", "year", "index_prev_year_100"])


def gfcf(src: Path) -> None:
    # The workbook is laid out one row per year and one column per province: transpose it first.
    x = pd.read_excel(src / "provincial_panels" / "wind_gfcf_by_province_1978_2018.xlsx", header=None).T
    x = x.reset_index(drop=True)
    x.columns = range(x.shape[1])
    rows = _wind_long(x, 0, 1, range(1993, 2019), "gfcf_100m_yuan")
    _write("gfcf_by_province.csv", rows, ["indicator_name", "year", "gfcf_100m_yuan"])


def _nbs_export(text: str) -> tuple[list[int], list[list[str]]]:
    """Years and data rows of an NBS data.stats.gov.cn export (a title block, a '地区' header with 'YYYY年'
    cells, one row per region, then notes); tabs around separators are dropped."""
    lines = [[c.strip() for c in cells] for cells in csv.reader(text.replace("\t", "").splitlines())]
    hdr = next(i for i, cells in enumerate(lines) if cells and cells[0] == "地区")
    years = [int(c.removesuffix("年")) if c else None for c in lines[hdr][1:]]
    data = [cells for cells in lines[hdr + 1 :] if len(cells) > 1 and not cells[0].startswith(("注", "数据来源"))]
    return years, data


def grp_index(src: Path) -> None:
    text = (src / "provincial_panels" / "nbs_grp_index_by_province_2016_2024.csv").read_text(encoding="utf-8-sig")
    years, data = _nbs_export(text)
    rows = []
    for cells in data:  # a row of the export may end before its header does (trailing empty cells dropped)
        for year, v in zip(years, cells[1:], strict=False):
            if year is None or year > 2024:  # the export's 2025 column is empty
                if year is not None and v:
                    raise SystemExit(f"GRP index: unexpected value {v!r} for {cells[0]} {year}")
                continue
            rows.append({"region_zh": cells[0], "year": year, "index_prev_year_100": v})
    rows.sort(key=lambda r: (r["region_zh"], r["year"]))
    _write("grp_index_by_province.csv", rows, ["region_zh", "year", "index_prev_year_100"])


def population_yearend(src: Path) -> None:
    path = src / "provincial_panels" / "nbs_yearend_population_by_province_2015_2024_gb18030.csv"
    years, data = _nbs_export(path.read_text(encoding="gb18030"))
    rows = [
        {"region_zh": cells[0], "year": year, "population_10k": v}
        for cells in data
        for year, v in zip(years, cells[1:], strict=False)
        if year is not None
    ]
    rows.sort(key=lambda r: (r["region_zh"], r["year"]))
    _write("population_yearend_by_province.csv", rows, ["region_zh", "year", "population_10k"])


# ------------------------------------------------------------------ yearbook table 10-5 (issue 13)
# Our own transcription of the two images in shared/sources/yearbook_2024_2025/, made cell by cell from enlarged
# PNG crops of the JPGs: region, then 全部投资 / #基础设施 / 制造业 / 房地产开发, in the table's row order.
YEARBOOK_IMAGES = {
    2023: "nbs_yearbook2024_table10-5_fai_growth_by_field_2023.jpg",
    2024: "nbs_yearbook2025_table10-5_fai_growth_by_field_2024.jpg",
}
YEARBOOK_EDITION = {2023: "China Statistical Yearbook 2024", 2024: "China Statistical Yearbook 2025"}
YEARBOOK_COLUMNS = [
    ("全部投资", "all"),
    ("#基础设施", "infrastructure"),
    ("制造业", "manufacturing"),
    ("房地产开发", "real estate development"),
]
FIRST_TRANSCRIPTION_COLUMNS = [
    "fai_total_growth_pct",
    "infrastructure_growth_pct",
    "manufacturing_growth_pct",
    "real_estate_dev_growth_pct",
]
OUR_TRANSCRIPTION = {
    2023: """
全国 3.0 5.9 6.5 -9.5
北京 4.9 2.2 -1.6 0.6
天津 -16.4 -16.7 -5.6 -42.1
河北 6.3 26.8 12.6 -12.7
山西 -6.6 -18.1 -11.7 -0.2
内蒙古 19.8 -7.9 46.4 1.0
辽宁 4.0 9.4 14.0 -26.2
吉林 0.3 4.0 3.9 -18.9
黑龙江 -14.8 -7.1 -34.1 -27.1
上海 13.8 4.2 6.7 18.2
江苏 5.2 6.3 9.1 -4.2
浙江 6.1 1.6 14.1 2.0
安徽 4.0 6.3 20.0 -16.4
福建 2.5 3.6 11.6 -12.7
江西 -5.9 19.1 -21.1 -6.4
山东 5.2 18.9 11.5 -8.8
河南 2.1 4.6 7.4 -8.9
湖北 5.0 6.4 6.7 -3.7
湖南 -3.1 -16.1 4.4 -13.1
广东 2.5 -0.5 20.7 -9.3
广西 -15.5 -16.4 -9.6 -31.2
海南 1.1 1.7 -15.6 0.9
重庆 4.3 6.1 13.5 -13.1
四川 2.4 8.5 21.6 -23.3
贵州 -5.7 0.7 1.9 -19.7
云南 -10.6 -21.5 11.8 -45.6
西藏 35.1 34.8 38.2 30.9
陕西 0.2 8.0 9.4 -11.2
甘肃 5.9 0.0 11.0 -14.7
青海 -7.5 -21.4 26.4 -32.0
宁夏 5.5 -9.2 5.7 3.9
新疆 12.4 -0.7 1.5 6.8
""",
    2024: """
全国 3.2 4.4 9.2 -10.6
北京 5.1 21.3 33.8 -10.6
天津 3.1 13.8 -3.4 2.5
河北 6.8 15.2 1.6 -6.8
山西 3.2 3.1 0.7 -5.1
内蒙古 13.6 9.0 -0.7 -7.2
辽宁 5.3 13.6 14.4 -20.0
吉林 0.7 2.5 22.1 -22.2
黑龙江 6.0 11.0 -15.2 -27.9
上海 4.8 1.3 10.3 2.8
江苏 1.5 -0.3 7.3 -10.3
浙江 0.4 11.0 3.3 -10.0
安徽 4.7 11.1 13.3 -14.1
福建 3.9 8.7 12.6 -21.3
江西 4.8 10.9 8.8 -8.4
山东 3.3 -4.0 15.1 -11.7
河南 7.0 -1.8 24.7 -7.5
湖北 6.5 9.8 15.4 -5.9
湖南 2.8 6.1 9.5 -13.0
广东 -4.5 -1.6 7.4 -18.2
广西 -3.2 -1.8 -10.2 -13.0
海南 7.1 12.3 -6.4 3.3
重庆 0.1 -3.8 8.0 -8.3
四川 2.4 -1.7 15.3 -9.9
贵州 0.6 -2.9 -4.7 0.0
云南 -7.7 -9.7 -12.6 -28.5
西藏 19.6 11.6 12.3 -43.0
陕西 5.2 1.6 13.3 0.5
甘肃 3.2 -7.8 13.3 -7.7
青海 4.3 2.4 -1.4 -27.4
宁夏 7.9 9.2 -9.8 -3.1
新疆 6.9 -1.5 0.8 -6.7
""",
}
# Every cell where our reading differs from the first transcription, or needed a second look: (year, region,
# column) -> note.  A difference without a note stops the script.  Our reading agreed with the first
# transcription in all 256 cells; scripts/check_yearbook_transcription.py then compared every digit glyph with the
# glyphs read as the same digit elsewhere and flagged only the cell below.
TRANSCRIPTION_NOTES: dict[tuple[int, str, str], str] = {
    (2024, "全国", "房地产开发"): "second look: the national row is set in bold, so the glyph check matched its bold "
    "'1' to a regular '4'; at 8x the cell reads -10.6, as in the first transcription",
}


def _our_lines(year: int) -> list[list[str]]:
    """Our transcription of one image: [region, all, infrastructure, manufacturing, real estate] per table row."""
    return [line.split() for line in OUR_TRANSCRIPTION[year].strip().splitlines()]


def _yearbook_national_rows() -> list[dict]:
    """The national row's all-investment growth of table 10-5, as rows of the national series with their scope."""
    rows = []
    for year in OUR_TRANSCRIPTION:
        national = next(cells for cells in _our_lines(year) if cells[0] == "全国")
        rows.append(
            {
                "year": year,
                "scope_zh": "不含农户",
                "scope": "excluding rural households",
                "scope_detail": "全部投资 in yearbook table 10-5 (comparable basis, continuing the 不含农户 series)",
                "growth_pct": national[1],
                "derived": "false",
                "level_100m_yuan": "",
                "level_as_published": "",
                "basis": f"NBS {YEARBOOK_EDITION[year]}, table 10-5 (transcribed from the image)",
                "source_url": f"https://www.stats.gov.cn/sj/ndsj/{year + 1}/",
                "source_desc": f"NBS, {YEARBOOK_EDITION[year]}, table 10-5 分地区按领域分固定资产投资比上年增长情况 "
                f"({year}); image via Liushenwuzhu-Alpaca/province-economy",
                "note": "growth on a comparable basis; the table gives no level",
            }
        )
    return rows


def yearbook_table(src: Path) -> None:
    first = {
        (int(r["year"]), r["province"]): r
        for r in csv.DictReader(
            (src / "yearbook_2024_2025" / "table10-5_2023_2024_first_transcription.csv").open(encoding="utf-8")
        )
    }
    record, table = [], []
    for year in OUR_TRANSCRIPTION:
        lines = _our_lines(year)
        if {(year, cells[0]) for cells in lines} != {k for k in first if k[0] == year}:
            raise SystemExit(f"table 10-5 {year}: our regions differ from the first transcription's")
        for row_no, cells in enumerate(lines, start=1):
            region, values = cells[0], cells[1:]
            if len(values) != 4:
                raise SystemExit(f"table 10-5 {year} {region}: {len(values)} values, expected 4")
            for (col_zh, field), ours, first_col in zip(
                YEARBOOK_COLUMNS, values, FIRST_TRANSCRIPTION_COLUMNS, strict=True
            ):
                theirs = first[(year, region)][first_col].strip()
                note = TRANSCRIPTION_NOTES.get((year, region, col_zh), "")
                agrees = ours == theirs
                if not agrees and not note:
                    raise SystemExit(
                        f"table 10-5 {year} {region} {col_zh}: ours {ours!r} vs first {theirs!r} "
                        "with no note; look at the image again and record why"
                    )
                record.append(
                    {
                        "image": YEARBOOK_IMAGES[year],
                        "year": year,
                        "row": row_no,
                        "region_zh": region,
                        "column_zh": col_zh,
                        "field": field,
                        "first_transcription": theirs,
                        "our_value": ours,
                        "agrees": str(agrees).lower(),
                        "note": note,
                    }
                )
                table.append(
                    {
                        "region_zh": region,
                        "year": year,
                        "field": field,
                        "field_zh": col_zh,
                        "growth_pct": "" if ours == "…" else ours,
                        "note": "" if ours != "…" else "no figure in the yearbook",
                    }
                )
    _write(
        "yearbook_table10_5_transcription.csv",
        record,
        [
            "image",
            "year",
            "row",
            "region_zh",
            "column_zh",
            "field",
            "first_transcription",
            "our_value",
            "agrees",
            "note",
        ],
    )
    _write(
        "nbs_yearbook_fai_growth_by_field.csv", table, ["region_zh", "year", "field", "field_zh", "growth_pct", "note"]
    )


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "sources"
    if not (src / "SOURCES.md").exists():
        raise SystemExit(f"{src} does not look like the reference sources folder (no SOURCES.md)")
    for step in (
        fai_by_province,
        gdp_by_province,
        national_fai,
        monthly,
        census,
        rates,
        crosschecks,
        shanxi_detail,
        devzones,
        fai_level,
        fai_price_index,
        gfcf,
        grp_index,
        population_yearend,
        yearbook_table,
    ):
        step(src)


if __name__ == "__main__":
    main(sys.argv)
