"""Browser test: open the built index and a report in headless Chromium (Debian's ``chromium`` and
``chromium-driver``, installed by ``make browser-deps``), follow links, and check every figure loaded and no
error is shown.

Selenium is pointed at the system chromedriver and chromium explicitly and ``SE_OFFLINE=true`` is set, so
selenium-manager never downloads anything.  Without Chromium the test skips with the install command, except
under CI (``CI=true``), where it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import REAL_SETS, SHARED_BUILD_GROUP

import shanxi_analysis as sa

# one worker runs every browser test, beside the shared build it reads
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group(SHARED_BUILD_GROUP)]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL = "install with: make browser-deps (sudo apt-get install chromium chromium-driver)"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
ERROR_SELECTOR = (
    '.output_error, .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"], '
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
)


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(Path(p).name))]
    if missing:
        msg = f"{', '.join(missing)} not found; {INSTALL}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run under CI: {msg}")
        pytest.skip(msg)


@pytest.fixture(scope="session")
def report_set(reports) -> Path:
    """The suite's shared real build (conftest.reports): two report sets, another province and year, and the
    article's (with the article check)."""
    _require_browser()
    return reports


@pytest.fixture(scope="module")
def driver():
    _require_browser()
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    drv = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


def _check_page(driver) -> int:
    """Every image loaded with a non-zero natural size, no error output, no traceback; returns image count."""
    from selenium.webdriver.common.by import By

    state = driver.execute_script("return document.readyState")
    assert state == "complete"
    images = driver.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.src.slice(0, 40)])"
    )
    bad = [i for i in images if not (i[0] and i[1] > 0 and i[2] > 0)]
    assert not bad, f"images that did not load on {driver.current_url}: {bad}"
    errors = driver.find_elements(By.CSS_SELECTOR, ERROR_SELECTOR)
    assert not errors, [e.text[:200] for e in errors]
    assert "Traceback" not in driver.find_element(By.TAG_NAME, "body").text
    return len(images)


def test_index_and_reports_open_with_figures_loaded(driver, report_set):
    from selenium.webdriver.common.by import By

    driver.get((report_set / "index.html").as_uri())
    assert "shanxi-analysis reports" in driver.title
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "Guangdong" in body and "2019" in body and "How this was made" in body
    _check_page(driver)
    links = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href$=\\'.html\\']')).map(a => a.getAttribute('href'))"
    )
    assert links, "the index links no report"
    # followed as a reader would: the index's own pages, the article check and the sets of REAL_SETS; the other
    # sets' links must lead to a page (each set's pages are opened by the looks tests below)
    followed = ("provinces/", "years/", "article-check/", *(f"{y}/{sa.data.slug(p)}/" for p, y in REAL_SETS))
    total_images = 0
    for rel in links:
        if not rel.startswith(followed):
            assert (report_set / rel.partition("#")[0]).is_file(), rel
            continue
        driver.get((report_set / "index.html").as_uri())
        driver.find_element(By.CSS_SELECTOR, f"a[href='{rel}']").click()  # follow the link as a reader would
        assert driver.current_url == (report_set / rel).as_uri()
        total_images += _check_page(driver)
        if rel.startswith(("provinces/", "years/")):  # the index's own pages: a province's years, a year's provinces
            continue
        record = json.loads(((report_set / rel).parent / "build.json").read_text(encoding="utf-8"))
        province = record["parameters"].get("province", "Shanxi")  # the article check's parameters are the article's
        names = {province, sa.data.name_zh(province)}  # a Chinese page names the province in Chinese
        assert any(name in driver.find_element(By.TAG_NAME, "body").text for name in names), (rel, names)
    assert total_images >= 1


def test_report_page_links_back_to_index(driver, report_set):
    from selenium.webdriver.common.by import By

    page = next((report_set / "2019" / "guangdong").glob("*.html"))
    driver.get(page.as_uri())
    _check_page(driver)
    driver.find_element(By.PARTIAL_LINK_TEXT, "all reports").click()
    assert driver.current_url == (report_set / "index.html").as_uri()


# --------------------------------------------------------------------------------------------- looks (issue 14)
WIDTHS = (400, 1280)
MAX_PAGE_BYTES = 150_000  # HTML without its embedded images
CJK_FAMILIES = (
    "Noto Sans CJK",
    "Noto Serif CJK",
    "Source Han",
    "WenQuanYi",
    "PingFang",
    "Microsoft YaHei",
    "Droid Sans Fallback",
)

# What a reader would see go wrong, measured in the page: horizontal scrolling, long text cells not aligned left,
# and pieces of text (per line box) drawn over one another.
LAYOUT_JS = r"""
const out = {innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
             longCells: 0, misaligned: [], overlaps: []};
for (const td of document.querySelectorAll('td')) {
  const t = td.innerText.trim();
  if (t.length > 40 && !td.classList.contains('num')) {
    out.longCells++;
    const a = getComputedStyle(td).textAlign;
    if (!['left', 'start', '-webkit-left'].includes(a)) out.misaligned.push([a, t.slice(0, 40)]);
  }
}
const boxes = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
let node, id = 0;
while ((node = walker.nextNode())) {
  if (!node.textContent.trim()) continue;
  const el = node.parentElement, closed = el.closest('details:not([open])');
  if ((closed && !el.closest('summary')) || (el.checkVisibility && !el.checkVisibility())) continue;
  const range = document.createRange();
  range.selectNodeContents(node);
  for (const r of range.getClientRects()) {
    if (r.width > 0.5 && r.height > 0.5)
      boxes.push([id, r.left, r.top, r.right, r.bottom, node.textContent.trim().slice(0, 30)]);
  }
  id++;
}
for (let i = 0; i < boxes.length && out.overlaps.length < 10; i++) {
  for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a[0] === b[0]) continue;
    const w = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    const h = Math.min(a[4], b[4]) - Math.max(a[2], b[2]);
    if (w > 2 && h > 2) out.overlaps.push([a[5], b[5]]);
  }
}
return out;
"""


def _pages(report_set: Path) -> list[Path]:
    """The pages the looks tests open: the sets of REAL_SETS, the first of them in Chinese, the article check in
    both languages."""
    (province, year), *_ = REAL_SETS
    folders = [f"{y}/{sa.data.slug(p)}" for p, y in REAL_SETS] + [
        f"zh/{year}/{sa.data.slug(province)}",
        "article-check",
        "zh/article-check",
    ]
    assert (report_set / "zh" / "article-check").is_dir()  # built with the Chinese stories
    pages = sorted(page for folder in folders for page in (report_set / folder).glob("*.html"))
    assert len(pages) >= 4 * 3, pages
    return pages


def _viewport(driver, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_screen_with_text_left_and_nothing_drawn_over_text(driver, report_set, width):
    _viewport(driver, width)
    long_cells = 0
    try:
        for page in _pages(report_set):
            driver.get(page.as_uri())
            res = driver.execute_script(LAYOUT_JS)
            where = f"{page.parent.name}/{page.name} at {width} px"
            assert res["innerWidth"] == width, where
            assert res["scrollWidth"] <= res["innerWidth"], f"{where} scrolls sideways ({res['scrollWidth']} px)"
            assert res["misaligned"] == [], where
            assert res["overlaps"] == [], where
            long_cells += res["longCells"]
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert long_cells >= 20  # the claims ledger and the evidence tables were really checked


def test_a_narrow_table_fits_a_phone_without_scrolling_in_its_box(driver, report_set):
    """06's peers table (four columns) scrolled sideways inside its box at 400 px: "Rank among all provinces" and
    "FAI growth 2020" stayed on one line.  Its number headers now wrap between words, in both languages; 03's sector
    table scrolled by 7 px in English and 28 px in Chinese (a Chinese header does not break between its characters,
    and 占产业类项目投资比重 was one word).  Every table a phone shows as a table (not as cards) on those pages fits
    its box."""
    (province, year), *_ = REAL_SETS
    story = (f"{year}/{sa.data.slug(province)}", "06-peers.html")
    check = ("article-check", "03-projects-zones-industries.html")
    _viewport(driver, 400)
    try:
        for folder, page in (story, check, *((f"zh/{folder}", page) for folder, page in (story, check))):
            driver.get((report_set / folder / page).as_uri())
            boxes = driver.execute_script(
                "return Array.from(document.querySelectorAll('.sa-table-wrap'))"
                ".filter(w => !w.querySelector('table').classList.contains('sa-cards'))"
                ".map(w => [w.clientWidth, w.scrollWidth])"
            )
            assert boxes, f"{folder}/{page}: no table"
            assert all(scroll <= client for client, scroll in boxes), (folder, page, boxes)
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_chinese_text_is_drawn_with_a_cjk_font(driver, report_set):
    pages = [p for p in _pages(report_set) if re.search(r"[\u4e00-\u9fff]", p.read_text(encoding="utf-8"))]
    assert pages, "no page with Chinese text to check"
    driver.get(pages[0].as_uri())
    stack = driver.execute_script("return getComputedStyle(document.body).fontFamily")
    assert any(f in stack for f in CJK_FAMILIES), f"the page declares no CJK font: {stack}"
    found = driver.execute_script(r"""
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      let n;
      while ((n = walker.nextNode())) {
        const m = n.textContent.match(/[\u4e00-\u9fff]+/);
        if (m) { const s = document.createElement('span'); s.id = 'cjk-probe'; s.textContent = m[0];
                 n.parentElement.insertBefore(s, n); n.textContent = n.textContent.replace(m[0], ''); return m[0]; }
      }
      return null;""")
    assert found
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": "#cjk-probe"})["nodeId"]
    fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    used = [f["familyName"] for f in fonts if f.get("glyphCount", 0) > 0]
    assert used and all(any(c in f for c in CJK_FAMILIES) for f in used), (found, fonts)


def test_pages_are_light_and_self_contained(report_set):
    for page in _pages(report_set):
        text = page.read_text(encoding="utf-8")
        without_images = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=\s]+", "", text)
        size = len(without_images.encode("utf-8"))
        assert size < MAX_PAGE_BYTES, f"{page.name}: {size} bytes besides its figures"
        assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet", text), f"{page.name} loads from the network"
        assert "jp-Notebook" not in without_images[:5000]  # not JupyterLab's stylesheet and body


def test_printed_pages_keep_figures_and_tables_whole_without_forced_breaks(driver, report_set):
    page = next(p for p in _pages(report_set) if "projects" in p.name and "article-check" in str(p))
    driver.get(page.as_uri())
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        res = driver.execute_script("""
          const st = (sel) => Array.from(document.querySelectorAll(sel)).map(e => getComputedStyle(e).breakInside);
          const forced = Array.from(document.querySelectorAll('body *')).filter(e => {
            const s = getComputedStyle(e); return ['page', 'always', 'left', 'right'].includes(s.breakBefore)
              || ['page', 'always', 'left', 'right'].includes(s.breakAfter); }).length;
          return {images: st('.jp-RenderedImage'), tables: st('.sa-table-wrap:not(.sa-long)'),
                  rows: st('.sa-table tr'), forced: forced,
                  overflow: Array.from(document.querySelectorAll('.sa-table-wrap'))
                                 .map(e => getComputedStyle(e).overflowX)};""")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert res["tables"] and set(res["tables"]) == {"avoid"}
    assert set(res["rows"]) == {"avoid"} and set(res["images"]) <= {"avoid"}
    assert res["forced"] == 0
    assert set(res["overflow"]) == {"visible"}  # nothing cut off at a scroll box's edge on paper


def test_tables_write_each_figure_as_the_prose_does(report_set):
    """A percentage printed in a table and in the text of the same page is written the same way (never "574" in
    one and "574.0%" in the other, or "1" and "1.0%")."""
    from html import unescape

    pct = re.compile(r"[\u2212-]?\d[\d,]*(?:\.\d+)?%")
    shared = 0
    for page in _pages(report_set):
        html = page.read_text(encoding="utf-8")
        table_figures = set()  # percentages in tables: cells with "%", or numbers under a header with "%"
        for table in re.findall(r"<table.*?</table>", html, flags=re.S):
            heads = [unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S):
                for k, c in enumerate(re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)):
                    c = unescape(re.sub(r"<[^>]+>", "", c)).strip()
                    if pct.fullmatch(c):
                        table_figures.add(c)
                    elif re.fullmatch(r"[\u2212-]?\d[\d,]*(?:\.\d+)?", c) and k < len(heads) and "%" in heads[k]:
                        table_figures.add(c + "%")
        prose = re.sub(r"<table.*?</table>", " ", html, flags=re.S)
        prose = re.sub(r"data:image/[^\"]+", "", re.sub(r"<[^>]+>", " ", prose))
        prose_figures = set(pct.findall(unescape(prose)))

        def value(text: str) -> float:
            return float(text.rstrip("%").replace(",", "").replace("\u2212", "-"))

        for t in table_figures:
            for p in prose_figures:
                if t == p:
                    shared += 1
                    continue
                same_figure = value(t) == value(p) and t.rstrip("%").split(".")[0] == p.rstrip("%").split(".")[0]
                assert not same_figure, f"{page.name}: the table writes {t!r}, the text {p!r}"
    assert shared >= 1  # some figure really appears in both


# --------------------------------------------------------------------------------------------- issue 21
AXE = Path(__file__).resolve().parents[1] / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
MAX_INDEX_BYTES = 60_000  # each index page of the 1,023-set grid


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> Path:
    """A reports folder with the whole grid (31 provinces x 33 years) written without running a notebook."""
    from synthetic_grid import write_grid

    from shanxi_analysis import publish

    out = tmp_path_factory.mktemp("grid")
    assert write_grid(out, pages=True, skip_year_in_detail=frozenset({2012})) == 1023
    publish.write_index(out)
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_index_pages_of_the_whole_grid_fit_the_screen_and_stay_small(driver, grid, width):
    pages = [grid / "index.html", grid / "provinces" / "shanxi.html", grid / "years" / "2020.html"]
    _viewport(driver, width)
    try:
        for page in pages:
            assert page.stat().st_size < MAX_INDEX_BYTES, f"{page.name}: {page.stat().st_size} bytes"
            driver.get(page.as_uri())
            res = driver.execute_script(LAYOUT_JS)
            where = f"{page.relative_to(grid)} at {width} px"
            assert res["innerWidth"] == width, where
            assert res["scrollWidth"] <= res["innerWidth"], f"{where} scrolls sideways ({res['scrollWidth']} px)"
            assert res["overlaps"] == [], where
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_any_story_is_two_taps_from_the_index(driver, grid):
    from selenium.webdriver.common.by import By

    driver.get((grid / "index.html").as_uri())
    driver.find_element(By.PARTIAL_LINK_TEXT, "Liaoning").click()  # tap 1: the province (first: the chooser)
    assert driver.current_url.endswith("provinces/liaoning.html")
    assert "2016" in driver.find_element(By.TAG_NAME, "body").text
    driver.find_element(By.LINK_TEXT, "2016").click()  # tap 2: the year's story
    assert driver.current_url == (grid / "2016" / "liaoning" / "00-overview.html").as_uri()
    driver.get((grid / "index.html").as_uri())
    driver.find_element(By.PARTIAL_LINK_TEXT, "2012").click()  # or by year
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "No year-in-detail page for this year. " in body
    assert re.search(r"Shanxi\s+[\u2212\d.]+% growth, \d+(st|nd|rd|th) of 31", body), body[:500]


def _axe(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script("""
      const done = arguments[arguments.length - 1];
      axe.run(document, {resultTypes: ['violations']}).then(
        r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))),
        e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));""")


def test_axe_finds_no_serious_violation_on_any_page(driver, report_set, grid):
    if not AXE.is_file():
        msg = f"{AXE} not found; install with: make browser-deps (npm's axe-core)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    driver.set_script_timeout(120)
    pages = [report_set / "index.html", *_pages(report_set)]
    pages += sorted((report_set / "provinces").glob("*.html")) + sorted((report_set / "years").glob("*.html"))
    pages += [grid / "index.html", grid / "provinces" / "shanxi.html", grid / "years" / "2020.html"]
    found = {}
    for page in pages:
        driver.get(page.as_uri())
        bad = [v for v in _axe(driver) if v["impact"] in ("serious", "critical")]
        if bad:
            found[page.name] = [(v["id"], v["impact"], v["help"], v["nodes"]) for v in bad]
    assert not found, found
    assert len(pages) >= 10


def test_every_figure_has_alt_text_with_a_number_a_caption_and_its_data(driver, report_set):
    figures = 0
    for page in _pages(report_set):
        driver.get(page.as_uri())
        figs = driver.execute_script("""
          return Array.from(document.querySelectorAll('main img')).map(i => {
            const f = i.closest('figure'), a = f && f.querySelector('a.sa-fig-data');
            return {alt: i.getAttribute('alt') || '', figure: !!f,
                    caption: f && f.querySelector('figcaption') ? f.querySelector('figcaption').innerText : '',
                    csv: a ? a.getAttribute('href') : null, svg: i.src.startsWith('data:image/svg+xml')}; });""")
        for f in figs:
            where = f"{page.parent.name}/{page.name}"
            assert f["figure"] and f["svg"], where
            assert re.search(r"\d", f["alt"]) and "No description" not in f["alt"], (where, f["alt"])
            assert f["caption"].strip(), where
            assert f["csv"] and (page.parent / f["csv"]).is_file(), (where, f["csv"])
            text = (page.parent / f["csv"]).read_text(encoding="utf-8")
            source = "资料来源" if "/zh/" in page.as_posix() else "Source:"  # the source line in the page's language
            assert re.search(r"^[^#].*,", text, flags=re.M) and source in text, where
            figures += 1
        package = page.parent / "datapackage.json"
        if figs:
            paths = {r["path"] for r in json.loads(package.read_text(encoding="utf-8"))["resources"]}
            assert {f["csv"] for f in figs} <= paths, page.name
    assert figures >= 4
