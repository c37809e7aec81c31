"""The Quality Monitor in a real browser: headless Chromium (Debian's) loads
/monitor from the running api, the page reads the live event stream, and the
numbers it shows match /api/v1/stats. A screenshot is saved for people."""
import json
import os
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from conftest import API_KEY, SYNTH_HOME


def api_json(services, path):
    request = urllib.request.Request(services["api"] + path, headers={"Authorization": "Bearer " + API_KEY})
    return json.loads(urllib.request.urlopen(request, timeout=30).read())


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1800"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


# The page replaces its elements on every snapshot, so a WebElement found one
# moment can be stale the next. Each read is one script run in the page:
# the query and the attribute read happen in the same task, never in between.
def shown(browser, name):
    return browser.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.getAttribute('data-value') : null;",
        '[data-metric="%s"]' % name)


def attributes(browser, selector, attribute):
    return browser.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]), e => e.getAttribute(arguments[1]));",
        selector, attribute)


def text_of(browser, element_id):
    return browser.execute_script(
        "const e = document.getElementById(arguments[0]); return e ? e.innerText : null;", element_id)


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError("timed out waiting for " + what)


def test_the_page_shows_the_apis_numbers_live(services, browser):
    # Make sure something finished, so the breakdowns have rows.
    import examples
    import run_examples
    task = examples.load_example(examples.example_dirs(examples.DEFAULT_EXAMPLES_DIR, [])[0])
    ids = run_examples.submit(services["api"], [task])
    run_examples.wait_for_tasks(services["api"], ids, timeout=300, progress=False)

    browser.get(services["api"] + "/monitor#key=" + API_KEY)
    wait_until(lambda: text_of(browser, "connection") == "live", 30, "the stream to connect")
    first = attributes(browser, "#generated", "data-value")
    wait_until(lambda: shown(browser, "tasks-total") not in (None, ""), 30, "the first snapshot")
    # The page updates in place as new snapshots arrive (server-sent events).
    wait_until(lambda: attributes(browser, "#generated", "data-value") != first, 30, "a second snapshot")

    # Compare with /api/v1/stats while nothing is moving: stats can change between two reads.
    for _ in range(20):
        stats = api_json(services, "/api/v1/stats")
        time.sleep(2.5)
        if api_json(services, "/api/v1/stats")["tasks_total"] == stats["tasks_total"]:
            break
    time.sleep(2.5)
    assert int(shown(browser, "tasks-total")) == stats["tasks_total"]
    assert float(shown(browser, "pass-rate")) == pytest.approx(stats["pass_rate"])
    assert float(shown(browser, "mean-reward")) == pytest.approx(stats["mean_reward"])
    assert int(shown(browser, "queue-ready")) == stats["queue"]["ready"]
    assert int(shown(browser, "queue-dead")) == stats["queue"]["dead"]
    assert task["category"] in attributes(browser, "#by-category tr[data-key]", "data-key")
    assert "oracle" in attributes(browser, "#by-model tr[data-key]", "data-key"), "the oracle model has a row"
    assert attributes(browser, "#workers tr[data-worker]", "data-worker"), "the running executor is listed"
    assert attributes(browser, "#alerts tr[data-rule]", "data-rule"), "alert rules are listed"
    failures = browser.execute_script(
        "const f = document.getElementById('failures'); return [f.innerText, f.querySelectorAll('tr').length];")
    assert "no failures" in failures[0] or failures[1] > 0
    path = SYNTH_HOME / "monitor.png"
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 10_000


def test_a_wrong_key_is_refused_on_the_page(services, browser):
    browser.execute_script("sessionStorage.clear()")
    browser.get("about:blank")  # a fresh load: only the fragment would change otherwise
    browser.get(services["api"] + "/monitor#key=not-a-key")
    wait_until(lambda: "refused" in (text_of(browser, "connection") or ""), 30, "the refusal to show")


def test_the_stream_needs_a_key(services):
    try:
        urllib.request.urlopen(services["api"] + "/api/v1/monitor/stream", timeout=10)
        raise AssertionError("expected 401")
    except urllib.error.HTTPError as error:
        assert error.code == 401
