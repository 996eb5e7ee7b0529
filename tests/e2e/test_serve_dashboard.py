"""The dashboard in headless Chromium: map, timeline, filters, incident view, and articles shown as text only."""

import os

import httpx

# the README's screenshot is this test's view of an incident: WIRECODER_SCREENSHOT=docs/dashboard.png retakes it
SCREENSHOT = os.environ.get("WIRECODER_SCREENSHOT")


def _incidents(server, **params):
    return httpx.get(f"{server.url}/api/incidents", params={"limit": 500, **params}).json()["items"]


def test_serve_dashboard_draws_every_placed_incident(dashboard, server):
    page = dashboard()
    incidents = _incidents(server)
    placed = [i for i in incidents if i["place"] and i["place"]["lat"] is not None]
    assert placed
    assert page.locator("#incidents li").count() == len(incidents)
    assert page.locator("path.incident-marker").count() == len(placed)
    # the plain basemap (country shapes) is drawn: there is no tile server here
    assert page.locator(".leaflet-basemap-pane path").count() > 100
    assert page.locator("#timeline-chart rect.bar").count() >= 1
    assert not page.errors


def test_serve_dashboard_filters_by_country_and_text(dashboard, server):
    page = dashboard()
    af = _incidents(server, country="AF")
    assert af and len(af) < len(_incidents(server))
    page.select_option("select[name=country]", "AF")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("body[data-state=ready]")
    ids = page.locator("button.incident").evaluate_all("nodes => nodes.map(n => n.dataset.id)")
    assert sorted(ids) == sorted(i["id"] for i in af)

    page.fill("input[name=text]", "marched")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("body[data-state=ready]")
    assert page.locator("button.incident").count() == 0
    assert "No incident matches" in page.text_content("#status")

    page.click("#filters button[type=reset]")
    page.wait_for_function("document.querySelectorAll('button.incident').length > 0")


def test_serve_dashboard_incident_view_highlights_evidence(dashboard, server):
    page = dashboard()
    herat = next(i for i in _incidents(server, country="AF") if i["num_sources"] >= 2)
    page.click(f"button.incident[data-id='{herat['id']}']")
    page.wait_for_selector(f"#detail[data-incident='{herat['id']}'][data-state=ready]")
    sources = page.locator("#detail article.source")
    assert sources.count() == len(herat["mentions"])
    triggers = page.locator("#detail blockquote.evidence mark.hl-trigger")
    assert triggers.count() == len(herat["mentions"])
    told = {m["sentence"] for m in herat["mentions"]}
    for text in page.locator("#detail blockquote.evidence").all_text_contents():
        assert any(s in text or text in s for s in told)
    assert page.locator("#detail blockquote.evidence mark.hl-place").count() >= 1
    assert any(t.startswith("according to ") for t in page.locator("#detail .according").all_text_contents())
    if SCREENSHOT:
        page.screenshot(path=SCREENSHOT)
    assert not page.errors


def test_serve_dashboard_full_article_view(dashboard, server):
    page = dashboard()
    incident = _incidents(server, country="SY")[0]
    page.click(f"button.incident[data-id='{incident['id']}']")
    page.wait_for_selector("#detail[data-state=ready] button.full-text")
    page.click("#detail button.full-text")
    page.wait_for_selector("#detail[data-article][data-state=ready] .article-text")
    article = httpx.get(f"{server.url}/api/articles/aleppo-1").json()
    assert page.text_content("#detail .article-text") == article["text"]
    assert page.locator("#detail .article-text mark.hl-place").first.text_content() == "Aleppo"


def test_serve_dashboard_points_show_when_tiles_cannot_load(serve, dashboard):
    # a tile server that refuses every request: the map keeps its plain basemap and the points
    closed = serve(tiles="http://127.0.0.1:9/{z}/{x}/{y}.png")
    page = dashboard(closed.url)
    assert page.locator("path.incident-marker").count() >= 1
    assert page.locator(".leaflet-tile-pane img").count() >= 1
    assert page.locator(".leaflet-basemap-pane path").count() > 100


def test_serve_dashboard_shows_script_payloads_as_text(dashboard, server):
    page = dashboard()
    incident = next(i for i in _incidents(server) if any(m["article_id"] == "xss-1" for m in i["mentions"]))
    page.click(f"button.incident[data-id='{incident['id']}']")
    page.wait_for_selector(f"#detail[data-incident='{incident['id']}'][data-state=ready]")
    heading = page.text_content("#detail article.source h4")
    assert "<script>window.__xss = 1</script>" in heading  # title and outlet, as characters
    assert page.locator("#detail article.source h4 a").count() == 0  # the javascript: url is no link

    page.click("#detail button.full-text")
    page.wait_for_selector("#detail[data-article][data-state=ready] .article-text")
    text = page.text_content("#detail .article-text")
    assert '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">' in text
    assert page.locator("img[src=x], #detail script").count() == 0
    page.hover("path.incident-marker >> nth=0")  # tooltips are built from text too
    assert page.evaluate("window.__xss") is None
    assert not page.dialogs and not page.errors
