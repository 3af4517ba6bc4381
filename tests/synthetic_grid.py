"""A large reports folder without running a notebook: a ``build.json`` per province story (31 provinces x every
year of the series, 1,023 sets) whose notebooks glued the values notebook 00 glues (province, year, growth, rank,
n_ranked), taken from the real FAI series, plus the article check's; optionally a one-line HTML file per page
so every link of the index pages leads somewhere. Used by the index tests in test_reports.py and test_browser.py."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import shanxi_analysis as sa

STEMS = ("00-overview", "01-investment-growth", "02-year-in-detail", "06-peers", "07-investment-and-economy")
ARTICLE_STEMS = ("03-projects-zones-industries", "04-business-climate", "05-claims")
SKIP_REASON = "nothing in the data for this year beyond the overview"


def _record(kind: str, province: str, year: int, notebooks: list[dict], finished: str) -> dict:
    return {
        "kind": kind,
        "parameters": {"province": province, "year": year},
        "slug": sa.data.slug(province),
        "status": "ok",
        "started": finished,
        "finished": finished,
        "seconds": 1.0,
        "formats": ["html"],
        "timeout_per_cell": 600,
        "notebooks": notebooks,
        "failures": [],
        "provenance": {
            "version": "0",
            "python": "3",
            "libraries": {},
            "command": ["shanxi-analysis", "report", "--out", "/home/someone/secret-folder"],
            "data_manifest": {"path": "/home/someone/secret-folder/datapackage.json", "sha256": "s", "resources": {}},
        },
    }


def write_grid(out: Path, *, pages: bool = False, skip_year_in_detail: frozenset[int] = frozenset()) -> int:
    """Write the grid under ``out``; returns the number of province stories. Years in ``skip_year_in_detail``
    have no 02-year-in-detail page (glued ``page_publish=False``)."""
    fai = sa.data.fai_growth()
    provinces = sa.data.provinces()["name_en"].tolist()
    first, last = sa.data.year_range()
    n = 0
    for year in range(first, last + 1):
        table = sa.analysis.year_table(fai, year).set_index("province")
        for province in provinces:
            has = province in table.index and pd.notna(table.at[province, "rank"])  # flagged values have no rank
            glue = {
                "notebook": "00",
                "province": province,
                "year": year,
                "growth": float(table.at[province, "fai_growth_pct"]) if has else None,
                "rank": int(table.at[province, "rank"]) if has else None,
                "n_ranked": len(table),
                "tied": sa.analysis.tied_with(table.reset_index(), province) if has else [],
            }
            notebooks = []
            for stem in STEMS:
                rec: dict = {"notebook": f"{stem}.ipynb", "status": "ok", "files": {"html": f"{stem}.html"}}
                rec["glue"] = glue if stem.startswith("00") else {}
                if stem.startswith("02") and year in skip_year_in_detail:
                    rec.update(files={}, published=False, reason=SKIP_REASON, glue={"page_publish": False})
                notebooks.append(rec)
            folder = out / str(year) / sa.data.slug(province)
            folder.mkdir(parents=True, exist_ok=True)
            finished = f"2026-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}+00:00"
            (folder / "build.json").write_text(json.dumps(_record("province", province, year, notebooks, finished)))
            if pages:
                for rec in notebooks:
                    for name in rec["files"].values():
                        (folder / name).write_text(f"<!DOCTYPE html><title>{province} {year}</title>", encoding="utf-8")
            n += 1
    article = out / "article-check"
    article.mkdir(parents=True, exist_ok=True)
    notebooks = [
        {
            "notebook": f"{stem}.ipynb",
            "status": "ok",
            "files": {"html": f"{stem}.html"},
            "glue": {"headline": "Of 40 claims, 12 are confirmed."} if stem.startswith("03") else {},
        }
        for stem in ARTICLE_STEMS
    ]
    (article / "build.json").write_text(
        json.dumps(_record("article", "Shanxi", 2020, notebooks, "2026-01-02T00:00:00+00:00"))
    )
    if pages:
        for stem in ARTICLE_STEMS:
            (article / f"{stem}.html").write_text("<!DOCTYPE html><title>article</title>", encoding="utf-8")
    return n
