"""Browser tests of the dashboard: a real server on 127.0.0.1 over a store filled by the real pipeline, driven by
Playwright in Debian's headless Chromium (never `playwright install`: it downloads browsers).

Skipped, with the reason, where Chromium or Playwright is missing; in CI ($CI set) that fails instead, since CI
installs both (scripts/ci_browser.sh).
Every request the page makes to an address other than the test server is aborted, so a test can never reach
out (and the map's tiles are never fetched from the internet).
"""

import os
import shutil
import socket
import threading
import time
from urllib.parse import urlparse

import pytest

from wirecoder.pipeline import make_article
from wirecoder.store import open_store

CHROMIUM = os.environ.get("WIRECODER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# a payload that would set window.__xss if any of it ran as HTML or script
XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'

# invented articles (not real news); the last carries script payloads in its text, title, outlet and url
ARTICLES = [
    dict(id="herat-1", published="2024-03-08", outlet="Kestrel Wire", title="Checkpoint attack in Herat",
         text="Taliban fighters attacked a police checkpoint in Herat on Tuesday, killing four police officers, "
              "the provincial governor said."),
    dict(id="herat-2", published="2024-03-08", outlet="Lantern Daily", title="Four police killed",
         text="Four policemen were killed when Taliban gunmen stormed a checkpoint in Herat province on "
              "Tuesday, according to local officials."),
    dict(id="nairobi-1", published="2024-03-15", outlet="Kestrel Wire", title="March in Nairobi",
         text="Thousands of protesters marched in Nairobi on Friday to demand lower food prices, police said."),
    dict(id="aleppo-1", published="2024-02-20", outlet="Lantern Daily", title="Market strike",
         text="An air strike hit a crowded market in Aleppo on Monday, killing 12 civilians, a monitoring "
              "group said."),
    dict(id="xss-1", published="2024-01-10", outlet="Outlet " + XSS, title="Raid " + XSS,
         url="javascript:window.__xss=3",
         text="Gunmen attacked a police station in Kandahar on Monday, killing two officers, a police spokesman "
              "said. " + XSS),
]


def _chromium_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright; see scripts/ci_browser.sh)"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; see scripts/ci_browser.sh)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _need_chromium():
    # session-scoped, so that it runs before the session fixtures that build a store and launch the browser
    reason = _chromium_missing()
    if reason and os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests")  # a skip there would hide a broken setup
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory, pipeline):
    path = str(tmp_path_factory.mktemp("e2e") / "store.db")
    with open_store(path) as store:
        for item in ARTICLES:
            meta = {k: v for k, v in item.items() if k not in ("text", "id", "published")}
            article = make_article(item["text"], id=item["id"], published=item["published"], **meta)
            store.save(article, pipeline(article), source=f"e2e:{item['id']}")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn in a thread on 127.0.0.1, serving one app; `url` is its base URL."""

    def __init__(self, app):
        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve(e2e_db, pipeline):
    """serve(**create_app options) -> a running Server over the e2e store (stopped at the end of the session)."""
    from wirecoder.serve import create_app

    servers = []

    def start(**options):
        server = Server(create_app(e2e_db, pipeline=pipeline, **options)).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


@pytest.fixture(scope="session")
def server(serve):
    return serve()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that may only talk to 127.0.0.1, and that records script errors and dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})

    def only_loopback(route):
        if urlparse(route.request.url).hostname == "127.0.0.1" or route.request.url.startswith("data:"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.errors, page.dialogs = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


@pytest.fixture
def dashboard(page, server):
    """dashboard(url=the default test server) -> the page, once the dashboard has listed and drawn incidents."""

    def load(url: str = server.url):
        page.goto(url + "/")
        page.wait_for_selector("body[data-state=ready]", timeout=30_000)
        return page

    return load
