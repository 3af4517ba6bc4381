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
            rows.append({"indicator_id": x.iat[i, 4], "indicator_name": name, "year": year,
                         "fai_growth_pct": "" if pd.isna(v) else repr(float(v))})
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


def national_fai(src: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "national_fai_growth.csv").open(encoding="utf-8")):
        scope_zh = next(k for k in SCOPES if r["scope"].startswith(k))
        level = r["level_100m_yuan"].strip()
        rows.append({
            "year": r["year"], "scope_zh": scope_zh, "scope": SCOPES[scope_zh], "scope_detail": r["scope"],
            "growth_pct": r["growth_pct"], "derived": str(r["basis"].startswith("DERIVED")).lower(),
            "level_100m_yuan": _num(level), "level_as_published": level,
            "basis": r["basis"], "source_url": r["source_url"], "source_desc": r["source_desc"], "note": r["note"],
        })
    _write("national_fai_growth.csv", rows, ["year", "scope_zh", "scope", "scope_detail", "growth_pct", "derived",
                                             "level_100m_yuan", "level_as_published", "basis", "source_url",
                                             "source_desc", "note"])


def monthly(src: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "fai_2020_monthly_cumulative.csv").open(encoding="utf-8")):
        end_month = int(r["period"].split("..")[1])
        desc = r["source_desc"]
        status = "not found" if desc.startswith("NOT FOUND") else ("derived" if desc.startswith("DERIVED") else "published")
        rows.append({
            "region": "China" if r["region"].startswith("China") else r["region"], "year": 2020,
            "end_month": end_month, "period": r["period"], "period_zh": r["period_cn"],
            "cum_growth_pct": r["cum_yoy_growth_pct"], "status": status,
            "level_100m_yuan": _num(r["level_100m_yuan"]), "level_as_published": r["level_100m_yuan"],
            "source_url": r["source_url"], "source_desc": "" if status == "not found" else desc, "note": r["note"],
        })
    _write("fai_2020_monthly_cumulative.csv", rows, ["region", "year", "end_month", "period", "period_zh",
                                                     "cum_growth_pct", "status", "level_100m_yuan",
                                                     "level_as_published", "source_url", "source_desc", "note"])


def census(src: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "census2020_population_by_province.csv").open(encoding="utf-8")):
        kind = {"现役军人": "military", "全国": "national"}.get(r["province_cn"], "province")
        rows.append({"name_zh": r["province_cn"], "kind": kind, "population": r["population_2020_11_01"],
                     "share_pct_2020": r["share_pct_2020"], "share_pct_2010": r["share_pct_2010"],
                     "source_url": r["source_url"], "source_desc": r["source_desc"], "cross_check": r["cross_check"]})
    _write("census2020_population.csv", rows, ["name_zh", "kind", "population", "share_pct_2020", "share_pct_2010",
                                               "source_url", "source_desc", "cross_check"])


def rates(src: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "cny_per_usd.csv").open(encoding="utf-8")):
        rows.append({"period": r["period"], "measure": r["measure"], "cny_per_usd": r["cny_per_usd"],
                     "kind": "implied by the article" if r["period"] == "check" else "published",
                     "source_url": r["source_url"], "source_desc": r["source_desc"], "note": r["note"]})
    _write("cny_per_usd.csv", rows, ["period", "measure", "cny_per_usd", "kind", "source_url", "source_desc", "note"])


def crosschecks(src: Path) -> None:
    rows = list(csv.DictReader((src / "provincial_fai_crosschecks.csv").open(encoding="utf-8")))
    _write("provincial_fai_crosschecks.csv", rows, ["province", "year", "fai_growth_pct", "source_url", "source_desc"])


CITY_EN = {"太原市": "Taiyuan", "阳泉市": "Yangquan", "忻州市": "Xinzhou", "大同市": "Datong", "晋中市": "Jinzhong",
           "朔州市": "Shuozhou", "运城市": "Yuncheng", "晋城市": "Jincheng", "吕梁市": "Lüliang", "长治市": "Changzhi",
           "临汾市": "Linfen", "山西省": "Shanxi"}


def shanxi_detail(src: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "shanxi_fai_2020_sector_city.csv").open(encoding="utf-8")):
        level, unit = r["level"], r["unit"]
        base = {"source_url": r["source_url"], "source_desc": r["source_desc"]}
        note = r["verbatim_or_note"]
        if level == "province structure":
            for name, share in zip(["primary industry", "secondary industry", "tertiary industry"], r["share_pct"].split(":")):
                rows.append({**base, "breakdown": "structure", "name_zh": unit, "name_en": name,
                             "indicator": "share of total FAI by the three sectors", "share_pct": share,
                             "share_of": "provincial FAI", "derived": "false", "note": f"published as {r['share_pct']}; {r['extra']}"})
            continue
        if level.startswith("sector"):
            zh, en = [s.strip() for s in unit.split(" / ", 1)]
            rows.append({**base, "breakdown": "sector", "name_zh": zh, "name_en": en,
                         "indicator": "industry-type project investment", "amount_100m_yuan": r["amount_100m_yuan"],
                         "growth_pct": r["growth_pct"], "share_pct": _num(r["share_pct"]),
                         "share_of": "industry-type project investment", "derived": "false", "note": note})
        elif level.startswith("city (") or level == "province_total":
            rows.append({**base, "breakdown": "city" if level.startswith("city") else "province",
                         "name_zh": unit, "name_en": CITY_EN[unit], "indicator": "industry-type project investment",
                         "amount_100m_yuan": r["amount_100m_yuan"], "growth_pct": r["growth_pct"],
                         "share_pct": _num(r["share_pct"]),
                         "share_of": "city FAI" if level.startswith("city") else "provincial FAI",
                         "derived": "false", "note": "; ".join(s for s in (r["extra"], note) if s)})
        elif level == "city total FAI":
            derived = "DERIVED" in r["growth_pct"] or "derived" in r["extra"]
            uncitable = r["source_url"].startswith("NO CITABLE")
            rows.append({"breakdown": "city total FAI", "name_zh": unit, "name_en": CITY_EN[unit],
                         "indicator": "total FAI", "growth_pct": _num(r["growth_pct"]),
                         "derived": str(derived).lower(), "source_url": "" if uncitable else r["source_url"],
                         "source_desc": r["source_desc"],
                         "note": "; ".join(s for s in (r["extra"], "no citable URL: verify before use" if uncitable else "", note) if s)})
        elif level == "province total FAI":
            rows.append({**base, "breakdown": "province total FAI", "name_zh": unit, "name_en": "Shanxi",
                         "indicator": "total FAI (level DERIVED from industry-type investment and its share)",
                         "amount_100m_yuan": re.match(r"≈(\d+)", r["amount_100m_yuan"]).group(1), "growth_pct": r["growth_pct"], "derived": "true",
                         "note": f"published cell: '{r['amount_100m_yuan']}'; {r['extra']}"})
        else:
            raise SystemExit(f"unexpected level {level!r} in shanxi_fai_2020_sector_city.csv")
    _write("shanxi_investment_2020.csv", rows, ["breakdown", "name_zh", "name_en", "indicator", "amount_100m_yuan",
                                                "growth_pct", "share_pct", "share_of", "derived", "source_url",
                                                "source_desc", "note"])


def devzones(src: Path) -> None:
    rows = list(csv.DictReader((src / "shanxi_devzones_2020.csv").open(encoding="utf-8")))
    for r in rows:
        r["derived"] = str("DERIVED" in r["finding"] or "DERIVED" in r["source_desc"]).lower()
    _write("shanxi_devzones.csv", rows, ["region", "period", "finding", "derived", "source_url", "source_desc"])


def main(argv: list[str]) -> None:
    src = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "sources"
    if not (src / "SOURCES.md").exists():
        raise SystemExit(f"{src} does not look like the reference sources folder (no SOURCES.md)")
    for step in (fai_by_province, gdp_by_province, national_fai, monthly, census, rates, crosschecks,
                 shanxi_detail, devzones):
        step(src)


if __name__ == "__main__":
    main(sys.argv)
