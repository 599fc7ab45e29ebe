"""Simulated tisc users for the load test: `make load` (bench/load.py) runs this file with
`locust --headless`; it is not meant to be run on its own.

bench/load.py hands over a JSON file (TISC_LOAD_CONFIG) naming the demo accounts, the year, the
run's id and where to write what the users saw. Procurement leads browse their register,
supplier pages and due diligence and record contract reviews; statement leads browse their
action plan and add progress updates; coordinators and board members read the partnership's
register, the bodies' pages and the board dashboard. Each simulated user signs in once and
keeps its session, as a person does. Every saved record carries a unique marker in its text.

The users speak to gunicorn as an HTTPS reverse proxy would (X-Forwarded-Proto: https, their
own X-Forwarded-For), so production's Secure cookies and Flask-WTF's strict Referer check for
HTTPS apply, with CSRF on.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gevent.lock import Semaphore
from locust import HttpUser, between, events, task
from locust.exception import StopUser

from bench.load_pages import error_summary, form_fields, links, title

CONFIG: dict[str, Any] = json.loads(Path(os.environ["TISC_LOAD_CONFIG"]).read_text())
YEAR: str = CONFIG["year"]  # "2025-26": the demo's latest year, where due diligence happens
PARTNERSHIP: str = CONFIG["partnership"]
TIMEOUT = 30  # seconds: a page slower than this counts as an error
RNG = random.Random(CONFIG["run"])  # noqa: S311 - choosing pages, not secrets
SUCCESS = "govuk-notification-banner--success"

# --- what the users saw: written for bench/load.py when the run ends -------------------------

SAMPLES: dict[str, list[float]] = defaultdict(list)
FAILURES: dict[str, int] = defaultdict(int)
ERRORS: list[str] = []  # the first few, in words
WRITES: list[dict[str, str]] = []  # acknowledged writes: kind and marker
TIMES: dict[str, float] = {}


@events.request.add_listener
def _on_request(name: str, response_time: float, exception: Exception | None, **_: Any) -> None:
    SAMPLES[name].append(response_time)
    if exception is not None:
        FAILURES[name] += 1
        if len(ERRORS) < 50:
            ERRORS.append(f"{name}: {exception}")


@events.test_start.add_listener
def _on_start(**_: Any) -> None:
    TIMES["start"] = time.time()


@events.test_stop.add_listener  # after the users have stopped
@events.quitting.add_listener
def _on_stop(environment: Any, **_: Any) -> None:
    TIMES.setdefault("stop", time.time())
    runner = environment.runner
    exceptions = [
        f"{e['count']} x {e['msg']} (in {e['traceback'].strip().splitlines()[-2:][0].strip()})"
        for e in (runner.exceptions.values() if runner else [])
    ]
    results = {"samples": SAMPLES, "failures": FAILURES, "errors": ERRORS, "writes": WRITES}
    results.update(exceptions=exceptions, times=TIMES)
    Path(CONFIG["results"]).write_text(json.dumps(results))


# --- the people ------------------------------------------------------------------------------

USER_NUMBERS = itertools.count(1)
NEXT_ACCOUNT: dict[str, itertools.count] = defaultdict(itertools.count)
# Several simulated users share the one coordinator and the one board account, and some leads
# share theirs. Their sign-ins go one at a time per account (unless --concurrent-sign-ins):
# two sign-ins to one account at the same moment both update the account's version-checked
# row (last sign-in time), and the second was answered 500 when this test was written.
SIGN_IN_LOCKS: dict[str, Semaphore] = defaultdict(Semaphore)


class Person(HttpUser):
    """A demo account's holder: signs in once, then reads and writes as its role does."""

    abstract = True
    role = ""
    wait_time = between(*CONFIG["wait"])

    def on_start(self) -> None:
        self.number = next(USER_NUMBERS)
        accounts = CONFIG["accounts"][self.role]
        self.account = accounts[next(NEXT_ACCOUNT[self.role]) % len(accounts)]
        self.org: str = self.account.get("org") or ""
        self.origin = "https://" + urlsplit(self.host).netloc
        address = f"10.1.{self.number // 200}.{self.number % 200 + 1}"
        self.client.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": address})
        self.writes = itertools.count(1)
        self.suppliers: dict[str, set[str]] = defaultdict(set)
        self.sign_in()

    def visit(self, path: str, name: str, *, data: dict | None = None, expect: int = 200,
              referer: str | None = None, shows: str | None = None) -> Any:  # fmt: skip
        """One request, redirects not followed: a failure unless it answers `expect`, without
        an error summary, without sending the user back to sign in, and (`shows`) with a
        success banner and that text."""
        with self.client.request(
            "POST" if data is not None else "GET",
            path,
            name=name,
            data=data,
            headers={"Referer": self.origin + referer} if referer else {},
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            # Behind the HTTPS proxy the browser sends its Secure cookies; requests would not
            # send them over this plain loopback hop, so here they are kept as plain cookies.
            for cookie in self.client.cookies:
                cookie.secure = False
            problem = self.problem(response, expect, shows)
            if problem:
                response.failure(problem)
            else:
                response.success()
        return response

    @staticmethod
    def problem(response: Any, expect: int, shows: str | None) -> str | None:
        status, text = response.status_code, response.text or ""
        if status == 0:
            return f"no response: {response.error}"
        if status != expect:
            return f"HTTP {status} (expected {expect}) {title(text)}".strip()
        if "/sign-in" in response.headers.get("Location", ""):
            return "sent back to sign in: the session was lost"
        if status == 200 and (summary := error_summary(text)):
            return f"error summary: {summary}"
        if shows and (SUCCESS not in text or shows not in text):
            return f"{shows} was saved but the page after saving does not show it"
        return None

    def follow(self, response: Any, name: str, *, shows: str | None = None) -> Any:
        """The page a redirect leads to."""
        target = urlsplit(response.headers.get("Location", ""))
        path = target.path + (f"?{target.query}" if target.query else "")
        return self.visit(path, name, shows=shows)

    def sign_in(self) -> None:
        fields = form_fields(self.visit("/sign-in", "sign in form").text)
        fields.update(email=self.account["email"], password=CONFIG["password"])
        lock = SIGN_IN_LOCKS[self.account["email"]]
        if CONFIG["serialise_sign_in"]:
            lock.acquire()
        try:
            done = self.visit("/sign-in", "sign in", data=fields, expect=302, referer="/sign-in")
        finally:
            if CONFIG["serialise_sign_in"]:
                lock.release()
        if done.status_code != 302:
            raise StopUser()
        self.follow(done, "home")

    def save(self, path: str, name: str, fields: dict, *, back: str, kind: str, marker: str,
             then: str, referer: str) -> None:  # fmt: skip
        """Send a form; a redirect to `back` acknowledges the write, and the page it leads to
        must show the success banner and the marker."""
        saved = self.visit(path, name, data=fields, expect=302, referer=referer)
        if saved.status_code == 302 and saved.headers.get("Location", "").startswith(back):
            WRITES.append({"kind": kind, "marker": marker})
            self.follow(saved, then, shows=marker)

    def discover(self, path: str, name: str, pattern: str) -> list:
        """What a page links to, for the tasks to choose from: a slow or failed page is
        loaded again, as a person would (each failure counts)."""
        for _ in range(3):
            page = self.visit(path, name)
            if page.status_code == 200:
                if found := links(page.text, pattern):
                    return found
                raise RuntimeError(f"{path} has no links matching {pattern}")
        raise StopUser()

    def marker(self) -> str:
        return f"LOAD-{CONFIG['run']}-{self.number:03d}-{next(self.writes):04d}"

    # pages more than one role reads -------------------------------------------------------------

    def register(self, org: str) -> None:
        query = RNG.choice(["", "&page=2", "&flag=over&sort=name", "&flag=high", "&sort=payments"])
        page = self.visit(f"/organisations/{org}/suppliers?year={YEAR}{query}", "register")
        self.suppliers[org].update(
            links(page.text, rf'href="/organisations/{org}/suppliers/(\d+)"')
        )

    def supplier(self, org: str) -> None:
        if not self.suppliers[org]:
            self.register(org)
        if self.suppliers[org]:
            supplier_id = RNG.choice(sorted(self.suppliers[org]))  # sorted: repeatable
            self.visit(f"/organisations/{org}/suppliers/{supplier_id}", "supplier")

    def due_diligence_list(self, org: str) -> None:
        query = RNG.choice(["", "", "&tier=A", "&missing=review"])
        self.visit(f"/organisations/{org}/due-diligence?year={YEAR}{query}", "due-diligence list")

    def plan(self, org: str) -> None:
        self.visit(f"/organisations/{org}/action-plan?year={YEAR}", "plan")


class ProcurementLead(Person):
    """Works through the body's register and due diligence, recording contract reviews."""

    role = "procurement"
    fixed_count = CONFIG["counts"]["procurement"]

    def on_start(self) -> None:
        super().on_start()
        pattern = rf'href="/organisations/{self.org}/suppliers/(\d+)/due-diligence/{YEAR}"'
        path = f"/organisations/{self.org}/due-diligence?year={YEAR}"
        self.due = self.discover(path, "due-diligence list", pattern)

    @task(3)
    def browse_register(self) -> None:
        self.register(self.org)

    @task(2)
    def open_supplier(self) -> None:
        self.supplier(self.org)

    @task(2)
    def browse_due_diligence(self) -> None:
        self.due_diligence_list(self.org)

    @task(2)
    def open_due_diligence(self) -> None:
        path = f"/organisations/{self.org}/suppliers/{RNG.choice(self.due)}/due-diligence/{YEAR}"
        self.visit(path, "due-diligence supplier")

    @task(2)
    def record_contract_review(self) -> None:
        base = f"/organisations/{self.org}/suppliers/{RNG.choice(self.due)}/due-diligence/{YEAR}"
        path = f"{base}/contract-reviews/new"
        form = self.visit(path, "contract review form")
        if form.status_code != 200:
            return
        fields = form_fields(form.text)
        first = date(int(YEAR[:4]), 4, 1)
        last = min(date(int(YEAR[:4]) + 1, 3, 31), date.today())
        day = first + timedelta(days=RNG.randrange((last - first).days + 1))
        marker = self.marker()
        fields.update(
            reviewed_on=[str(day.day), str(day.month), str(day.year)],
            contract_id="",
            modern_slavery_discussed=RNG.choice(["yes", "no"]),
            notes=f"Quarterly review {marker}: asked about agency labour and audits.",
            actions="Send the supplier code of conduct again.",
        )
        self.save(path, "save contract review", fields, back=base, kind="contract review",
                  marker=marker, then="due-diligence supplier", referer=path)  # fmt: skip


class StatementLead(Person):
    """Keeps the body's action plan up to date with progress updates."""

    role = "statement"
    fixed_count = CONFIG["counts"]["statement"]

    def on_start(self) -> None:
        super().on_start()
        pattern = rf'href="/organisations/{self.org}/action-plan/items/(\d+)"'
        path = f"/organisations/{self.org}/action-plan?year={YEAR}"
        self.items = self.discover(path, "plan", pattern)
        # Leads sharing an account update different items, as two colleagues would: an item
        # changed by someone else since its page was loaded is refused as a conflict.
        slot, slots = self.account["slot"], self.account["slots"]
        self.mine = [item for n, item in enumerate(sorted(self.items)) if n % slots == slot]
        if not self.mine:
            raise RuntimeError(f"{self.org} has fewer plan items than users sharing its account")

    @task(2)
    def browse_plan(self) -> None:
        self.plan(self.org)

    @task(3)
    def open_item(self) -> None:
        path = f"/organisations/{self.org}/action-plan/items/{RNG.choice(self.items)}"
        self.visit(path, "plan item")

    @task(2)
    def add_progress_update(self) -> None:
        path = f"/organisations/{self.org}/action-plan/items/{RNG.choice(self.mine)}"
        page = self.visit(path, "plan item")
        if page.status_code != 200:
            return
        fields = form_fields(page.text, "/updates")  # status and RAG stay as they are
        marker = self.marker()
        fields["note"] = f"Met the category manager {marker}; supplier answers chased."
        self.save(f"{path}/updates", "save plan update", fields, back=path, kind="plan update",
                  marker=marker, then="plan item", referer=path)  # fmt: skip

    @task(1)
    def browse_register(self) -> None:
        self.register(self.org)

    @task(1)
    def training(self) -> None:
        self.visit(f"/organisations/{self.org}/training", "training")


class PartnershipReader(Person):
    """Reads across the partnership's member bodies."""

    abstract = True

    def on_start(self) -> None:
        super().on_start()
        pattern = r'href="/organisations/([a-z0-9-]+)"'
        self.bodies = self.discover(f"/partnerships/{PARTNERSHIP}", "partnership page", pattern)

    @task(2)
    def board_dashboard(self) -> None:
        self.visit(f"/partnerships/{PARTNERSHIP}/board?year={YEAR}", "board dashboard")

    @task(1)
    def partnership_register(self) -> None:
        query = RNG.choice(["", "&page=2", "&flag=over"])
        path = f"/partnerships/{PARTNERSHIP}/suppliers?year={YEAR}{query}"
        self.visit(path, "partnership register")

    @task(1)
    def body_plan(self) -> None:
        self.plan(RNG.choice(self.bodies))

    @task(1)
    def body_due_diligence(self) -> None:
        self.due_diligence_list(RNG.choice(self.bodies))

    @task(1)
    def body_supplier(self) -> None:
        self.supplier(RNG.choice(self.bodies))


class Coordinator(PartnershipReader):
    """The partnership's coordinator: also the partnership page and the bodies' registers."""

    role = "coordinator"
    fixed_count = CONFIG["counts"]["coordinator"]

    @task(1)
    def partnership_page(self) -> None:
        self.visit(f"/partnerships/{PARTNERSHIP}", "partnership page")

    @task(1)
    def body_register(self) -> None:
        self.register(RNG.choice(self.bodies))


class BoardMember(PartnershipReader):
    """A member of the collaboration board: the dashboard most of all, and the bodies' plans."""

    role = "board"
    fixed_count = CONFIG["counts"]["board"]

    @task(2)
    def board_again(self) -> None:
        self.board_dashboard()

    @task(1)
    def another_plan(self) -> None:
        self.body_plan()
