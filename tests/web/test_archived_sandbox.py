"""An archived page that carries scripts, opened through the article page in Chromium (with
JavaScript on, as users browse): no script of it runs and no request leaves govnews."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from tests.web.hostile import ARTICLE, HOST, MARKERS, TITLE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def opened(browser, served, shots):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1400})  # JavaScript on
    page = ctx.new_page()
    requests, console = [], []
    page.on("request", lambda r: requests.append(r.url))
    failed = page.failed = {}
    page.on("requestfailed", lambda r: failed.setdefault(r.url, r.failure))
    page.on("console", lambda m: console.append(m.text))
    page.goto(served.url + "/article?url=" + quote(ARTICLE, safe=""))
    page.wait_for_load_state("networkidle")
    frame = page.frame_locator("#archived")
    frame.locator("#zoom").wait_for()  # the archived page did render in the iframe
    page.screenshot(path=str(shots / "article-archived.png"), full_page=True)
    yield page, requests, console
    ctx.close()


def archived_frame(page):
    """The iframe's own document (not the article page, whose URL names the article too)."""
    frame = page.locator("#archived").element_handle().content_frame()
    assert "/archive/" in frame.url
    return frame


def test_archived_page_renders_in_a_sandboxed_iframe(opened):
    page, _, _ = opened
    iframe = page.locator("#archived")
    assert iframe.get_attribute("sandbox") == ""  # a bare sandbox: no allow-scripts, no allow-same-origin
    frame = archived_frame(page)
    assert "安全生产工作会议" in frame.locator("h1").inner_text()


def test_no_marker_is_set_in_the_page_or_the_frame(opened):
    page, _, _ = opened
    for marker in MARKERS:
        assert page.evaluate(f"typeof window.{marker}") == "undefined", marker
        assert page.evaluate(f"typeof window.top.{marker}") == "undefined", marker
    assert page.title() != "PWNED" and TITLE in page.title()
    frame = archived_frame(page)
    # the frame's own JS context: Playwright evaluates there even though the page's scripts may not run
    for marker in MARKERS:
        assert frame.evaluate(f"typeof window.{marker}") == "undefined", marker
    assert frame.evaluate("document.title") != "PWNED"


def test_no_request_leaves_govnews(opened, served, canary):
    """Chromium reports the archived page's attempts at other hosts (its style sheet, an image) as
    requests, each failed by the CSP before any connection; the canary host gets none of them."""
    page, requests, _ = opened
    here = urlsplit(served.url).netloc
    assert requests, "the browser recorded the page's requests"
    outside = [u for u in requests if urlsplit(u).netloc != here]
    assert {u.rsplit("/", 1)[1] for u in outside} <= {"style.css", "pixel.gif", "frame.html"}, outside
    for u in outside:
        assert u.startswith(canary.url)
        assert page.failed.get(u) in ("csp", "net::ERR_BLOCKED_BY_CSP"), (u, page.failed.get(u))
    assert canary.hits == []  # nothing reached the other host: no script, beacon, tracker, image or frame
    assert not any("beacon" in u or "tracker" in u for u in requests)  # scripts never ran nor loaded


def test_archived_image_comes_from_the_warc(opened, served):
    page, requests, _ = opened
    image = f"{served.url}/archive/{HOST}/art/2024/3/8/logo.png"
    assert image in requests
    frame = archived_frame(page)
    imgs = frame.evaluate("Array.from(document.images).map(i => [i.getAttribute('src'), i.naturalWidth])")
    assert ["logo.png", 4] in imgs, imgs  # the PNG decoded


def test_archived_response_headers(served):
    status, headers, body = served.get(f"/archive/{HOST}/art/2024/3/8/art_1_101.html")
    assert status == 200
    csp = headers["content-security-policy"]
    assert csp == "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
    assert headers["x-content-type-options"] == "nosniff"
    assert b"<script>window.PWNED = 1;" in body  # served as archived, byte for byte, yet never run
    status, headers, body = served.get(f"/text/{HOST}/art/2024/3/8/art_1_101.html")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert "sandbox" in headers["content-security-policy"]


def test_archived_page_opened_directly_runs_nothing(browser, served, canary):
    """Even outside the iframe (a user opening the link), the CSP ``sandbox`` keeps its scripts off."""
    ctx = browser.new_context()
    page = ctx.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{served.url}/archive/{HOST}/art/2024/3/8/art_1_101.html")
    page.wait_for_load_state("networkidle")
    for marker in MARKERS:
        assert page.evaluate(f"typeof window.{marker}") == "undefined", marker
    assert page.title() == TITLE
    assert canary.hits == []
    assert not any("beacon" in u or "tracker" in u for u in requests)
    ctx.close()


def test_control_the_page_does_set_its_markers_where_scripts_may_run(browser, served):
    """The control: the same archived bytes, as a plain page with scripts on (every request aborted
    by Playwright, so nothing reaches the canary), do set the markers the tests above look for."""
    _, _, body = served.get(f"/text/{HOST}/art/2024/3/8/art_1_101.html")
    ctx = browser.new_context()
    ctx.route("**/*", lambda route: route.abort())
    page = ctx.new_page()
    page.set_content(body.decode("utf-8"))
    page.wait_for_function("window.PWNED === 1 && window.PWNED_IMG === 1")
    assert page.title() == "PWNED"
    ctx.close()
