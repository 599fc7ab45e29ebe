"""Browser test fixtures: Debian's chromium driven by Playwright (never a downloaded browser),
the app served in this process on a free loopback port with CSRF on, a fresh database for each
test module, and tabs that check every page they load (see browser_support).

Without /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it) every test here is
skipped with that reason.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import Factory, database_url, make_app
from tests.e2e.browser_support import Tab
from tisc.extensions import db

CHROMIUM = Path("/usr/bin/chromium")


# Package scope: the browser closes when the last browser test is done, before the rest of the
# suite runs.
@pytest.fixture(scope="package", autouse=True)
def chromium() -> Path:
    """Debian's chromium, or a skip for every browser test."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need {CHROMIUM} (apt-get install chromium); it is missing")
    return CHROMIUM


@pytest.fixture(scope="package")
def browser(chromium: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        found = playwright.chromium.launch(
            executable_path=str(chromium),
            headless=True,
            # Containers and CI runners have no user namespaces for the sandbox, and a small
            # /dev/shm; the pages are our own app on loopback.
            args=["--no-sandbox", "--headless=new", "--disable-dev-shm-usage"],
        )
        yield found
        found.close()


class _QuietHandler(WSGIRequestHandler):
    """Keeps the request log out of the test output (failures still show as statuses)."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


@dataclass
class Live:
    """The app serving on loopback."""

    app: Flask
    url: str

    @property
    def factory(self) -> Factory:
        return Factory(self.app)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, postgres_schema: None) -> Iterator[Live]:
    """The app with CSRF on (real forms, real tokens) on a fresh database, served in a thread."""
    app = make_app(
        SQLALCHEMY_DATABASE_URI=database_url(tmp_path_factory.mktemp("e2e")),
        WTF_CSRF_ENABLED=True,
    )
    with app.app_context():
        db.drop_all()  # a PostgreSQL run may follow one that was interrupted
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield Live(app=app, url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def new_tab(browser: Browser, live: Live) -> Iterator[Callable[[], Tab]]:
    """Opens tabs, each in a fresh browser context (no cookies shared); at the end of the test,
    fails if any tab loaded a page it did not check or saw an error it did not report."""
    tabs: list[Tab] = []

    def open_tab() -> Tab:
        context = browser.new_context(base_url=live.url, accept_downloads=True)
        context.set_default_timeout(30_000)  # a busy CI machine can take seconds a page
        tab = Tab.open(context, live.url)
        tabs.append(tab)
        return tab

    yield open_tab
    try:
        for tab in tabs:
            tab.assert_all_checked()
            tab.assert_no_problems()
    finally:
        for tab in tabs:
            tab.context.close()
