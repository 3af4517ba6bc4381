"""Browser test: open the built index and a report in headless Chromium (Debian's ``chromium`` and
``chromium-driver``, installed by ``make browser-deps``), follow links, and check every figure loaded and no
error is shown.

Selenium is pointed at the system chromedriver and chromium explicitly and ``SE_OFFLINE=true`` is set, so
selenium-manager never downloads anything.  Without Chromium the test skips with the install command, except
under CI (``CI=true``), where it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL = "install with: make browser-deps (sudo apt-get install chromium chromium-driver)"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")
ERROR_SELECTOR = ('.output_error, .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"], '
                  '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(Path(p).name))]
    if missing:
        msg = f"{', '.join(missing)} not found; {INSTALL}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test cannot run under CI: {msg}")
        pytest.skip(msg)


def _tiny_notebooks(folder: Path) -> Path:
    for name, cells in (("01-figures.ipynb", ["import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\n"
                                              "plt.title(f'{province} {year}')\nplt.show()"]),
                        ("02-text.ipynb", ["print(province, year)"])):
        nb = nbformat.v4.new_notebook()
        p = nbformat.v4.new_code_cell('province: str = "Shanxi"\nyear: int = 2020')
        p.metadata["tags"] = ["parameters"]
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}"), p] + [nbformat.v4.new_code_cell(c) for c in cells]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(folder / name))
    return folder


@pytest.fixture(scope="session")
def report_set(tmp_path_factory) -> Path:
    """A real report set built once: the project's notebooks if present, else two tiny ones."""
    _require_browser()
    tmp = tmp_path_factory.mktemp("browser")
    real = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    nbs = real[0].parent if real else _tiny_notebooks(tmp / "nbs")
    out = tmp / "out"
    env = {**os.environ, "MPLBACKEND": "Agg"}
    res = subprocess.run([sys.executable, "-m", "shanxi_analysis", "report", "--no-progress", "--province",
                          "Guangdong", "--year", "2019", "--no-article-check", "--notebooks", str(nbs),
                          "--out", str(out)],
                         capture_output=True, text=True, env=env, timeout=900, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-3000:]
    return out


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
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight, "
        "i.src.slice(0, 40)])")
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
        "return Array.from(document.querySelectorAll('a[href$=\\'.html\\']')).map(a => a.getAttribute('href'))")
    assert links, "the index links no report"
    total_images = 0
    for rel in links:
        driver.get((report_set / "index.html").as_uri())
        driver.find_element(By.CSS_SELECTOR, f"a[href='{rel}']").click()  # follow the link as a reader would
        assert driver.current_url == (report_set / rel).as_uri()
        total_images += _check_page(driver)
        assert "Guangdong" in driver.find_element(By.TAG_NAME, "body").text
    assert total_images >= 1


def test_report_page_links_back_to_index(driver, report_set):
    from selenium.webdriver.common.by import By

    page = next((report_set / "2019" / "guangdong").glob("*.html"))
    driver.get(page.as_uri())
    _check_page(driver)
    driver.find_element(By.PARTIAL_LINK_TEXT, "all reports").click()
    assert driver.current_url == (report_set / "index.html").as_uri()
