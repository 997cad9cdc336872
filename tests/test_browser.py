"""`quotetrail serve` in a real browser: Debian's Chromium driven by Playwright, against the command
started on a free 127.0.0.1 port. Search, open a result, open its trail and see the changed word;
a facet narrows the list; the next page continues it; hostile text is text and inline script does
not run. Without /usr/bin/chromium these tests skip, except under CI=true, where they fail."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from web_helpers import HOSTILE

CHROMIUM = Path("/usr/bin/chromium")
QUOTETRAIL = str(Path(sys.executable).with_name("quotetrail"))


@pytest.fixture(scope="module")
def server(web_db):
    """`quotetrail serve --port 0` on the web test database; its base URL."""
    process = subprocess.Popen([QUOTETRAIL, "serve", "--db", str(web_db), "--port", "0"],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    line = process.stderr.readline()
    found = re.search(r"read-only at (http://127\.0\.0\.1:\d+/)", line)
    if not found:
        process.kill()
        pytest.fail(f"quotetrail serve did not start: {line}{process.stderr.read()}")
    yield found.group(1).rstrip("/")
    process.send_signal(signal.SIGINT)  # Ctrl-C
    assert process.wait(timeout=10) == 130 and process.stderr.read() == "quotetrail: stopped\n"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found (apt-get install -y --no-install-recommends chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; under CI the browser tests must run")
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server) -> Page:
    context = browser.new_context(base_url=server)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()


def quote_count(page: Page) -> int:
    return int(re.match(r"([\d,]+) quotes?", page.locator("h1").inner_text()).group(1).replace(",", ""))


def test_search_open_a_result_then_its_trail_shows_the_changed_word(page):
    page.goto("/")
    page.locator("form.big input[name=q]").fill("passengers")
    page.locator("form.big input[name=q]").press("Enter")
    expect(page.locator("h1")).to_contain_text("for “passengers”")
    page.locator("li.result blockquote a", has_text="week").click()
    expect(page.locator("blockquote.quote")).to_contain_text("passengers in a week")
    expect(page.locator("p.trail")).to_contain_text("First reported by Kestrel News on 2024-02-23; 4 reports in 3")
    page.get_by_role("link", name="the whole trail").click()
    expect(page).to_have_url(re.compile(r"/clusters/c2$"))
    altered = page.locator("li.member.altered")
    expect(altered.locator("del")).to_have_text("day")
    expect(altered.locator("ins")).to_have_text("week")
    expect(altered.locator(".flag")).to_have_text("altered word: day → week")
    expect(page.locator("li.member").first.locator(".relation")).to_have_text("primary")


def test_a_facet_narrows_the_list(page):
    page.goto("/quotes")
    everything = quote_count(page)
    facet = page.locator("aside.facets section", has=page.locator("h2", has_text="kind")).locator("li").first
    value, shown = facet.locator("a").inner_text(), int(facet.locator(".n").inner_text())
    facet.locator("a").click()
    expect(page.locator("li.chosen a")).to_have_text(value)
    assert quote_count(page) == shown < everything
    metas = page.locator("li.result .meta").all_inner_texts()
    assert metas and all(f" {value} " in f" {meta} " for meta in metas)


def test_the_next_page_continues_the_list(page):
    page.goto("/quotes?limit=10")
    first = page.locator("li.result blockquote a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    page.locator("a.next").click()
    expect(page.locator("a", has_text="first page")).to_be_visible()
    second = page.locator("li.result blockquote a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(first) == len(second) == 10 and not set(first) & set(second)


def test_a_hostile_quote_renders_as_text(page):
    page.goto("/quotes?q=pwned")
    page.locator("li.result blockquote a").first.click()
    expect(page.locator("blockquote.quote")).to_have_text(HOSTILE)
    assert page.locator("script").count() == 0 and "pwned" not in page.title()
    page.get_by_role("link", name="<b>Not bold</b>").click()  # the title, as text
    expect(page.locator("h1")).to_have_text("<b>Not bold</b>")
    assert page.locator("h1 b").count() == 0


def test_an_inline_script_is_blocked_by_the_servers_policy(page):
    """The server's own response, with an inline script slipped in on the way: the browser, holding
    the server's Content-Security-Policy, refuses to run it."""
    refused = []
    page.on("console", lambda message: refused.append(message.text))

    def slip_in_a_script(route):
        response = route.fetch()
        body = response.text().replace("</main>", "<script>document.title = 'pwned'</script></main>")
        route.fulfill(response=response, body=body)

    page.route("**/speakers", slip_in_a_script)
    page.goto("/speakers")
    expect(page.locator("h1")).to_have_text("Speakers")
    assert page.locator("script").count() == 1 and page.title() == "speakers · quotetrail"
    assert any("Content Security Policy" in text for text in refused), refused


def test_the_real_server_answers_a_100_kb_url_without_failing(server):
    try:
        status = urllib.request.urlopen(f"{server}/quotes?q={'money+' * 17_000}", timeout=10).status
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert 400 <= status < 500
    with urllib.request.urlopen(f"{server}/quotes.json?q=money", timeout=10) as response:
        assert response.status == 200  # and it goes on serving
