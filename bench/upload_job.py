"""`python -m bench.upload_job`: a 60,000 x 100 workbook uploaded through the web server, read,
checked and imported by the background worker, while another body saves, on SQLite and on
PostgreSQL.

For each database: a fresh database with two bodies and a procurement lead in each; gunicorn
(2 workers) and `flask --app tisc worker` started as `make run` starts them; then, over HTTP as
a browser would (sign-in, CSRF tokens, a multipart upload), one lead uploads the workbook,
follows the progress page's status.json until the check is done, confirms the columns and
follows the import, while the other lead adds a private individual to their own body every
half second. Printed: how long the upload and the confirmation took to answer (goal: under
2 s), how long the check and the import took to finish, and the slowest of the other body's
saves (goal: under 2 s), with any that failed. The last line is every figure as one JSON
object. TISC_BENCH_XLSX_ROWS and TISC_BENCH_XLSX_COLUMNS change the workbook.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

os.environ.setdefault("TISC_BENCH_XLSX_COLUMNS", "100")

# The workbook's width is read from the environment when bench.xlsx is imported.
from bench import xlsx
from bench.__main__ import _postgres_schema

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "bench lantern orchard"  # noqa: S105 - throwaway accounts in a throwaway database
SCHEMA = "tisc_bench_upload"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """Cookies, CSRF tokens and timed requests against the server."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )

    def request(
        self, path: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, str, str]:
        """(status, Location, body) of one request, redirects not followed."""
        url = self.base + path  # always http://127.0.0.1:<port>/...
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=120) as response:
                body = response.read().decode("utf-8", "replace")
                return response.status, response.headers.get("Location", ""), body
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", "replace")
            return error.code, error.headers.get("Location", ""), body

    def token(self, path: str) -> str:
        status, _, body = self.request(path)
        match = TOKEN.search(body)
        if status != 200 or not match:
            raise RuntimeError(f"no form at {path}: {status}")
        return match.group(1)

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        return self.request(path, data, {"Content-Type": "application/x-www-form-urlencoded"})

    def sign_in(self, email: str) -> None:
        token = self.token("/sign-in")
        status, _, _ = self.post(
            "/sign-in", {"csrf_token": token, "email": email, "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"could not sign in as {email}: {status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _setup(env: dict[str, str]) -> None:
    flask = [str(BIN / "flask"), "--app", "tisc"]

    def run(*args: str, stdin: str | None = None) -> None:
        subprocess.run([*flask, *args], env=env, check=True, input=stdin, text=True, cwd=ROOT)  # noqa: S603

    run("db", "upgrade")
    run("create-partnership", "--slug", "bench", "--name", "Bench")
    for slug in ("alpha-police", "beta-police"):
        run("create-org", "--slug", slug, "--name", slug.title(), "--kind", "force",
            "--partnership", "bench")  # fmt: skip
        run("create-user", "--email", f"lead.{slug}@example.org", "--name", "Lead",
            "--role", "procurement", "--org", slug, "--password-stdin", stdin=PASSWORD)  # fmt: skip


def _follow(browser: Browser, location: str) -> tuple[str, float]:
    """Follow a job's status until it has finished: where its page then leads, and seconds."""
    started = time.perf_counter()
    match = re.search(r"/imports/jobs/(\d+)", location)
    if not match:  # it had finished already
        return location, 0.0
    page = location.split("?")[0]
    while True:
        status, _, body = browser.request(f"{urllib.parse.urlparse(page).path}/status.json")
        if status != 200:
            raise RuntimeError(f"status.json answered {status}")
        if json.loads(body)["finished"]:
            break
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    _, leads_to, body = browser.request(urllib.parse.urlparse(page).path)
    if not leads_to:
        raise RuntimeError("the job failed: " + re.sub(r"<[^>]+>", " ", body)[-600:])
    return leads_to, seconds


def _other_body_saves(browser: Browser, stop: threading.Event, found: dict) -> None:
    path = "/organisations/beta-police/personal-payees"
    while not stop.is_set():
        token = browser.token(path)
        started = time.perf_counter()
        status, _, _ = browser.post(
            path, {"csrf_token": token, "name": f"Private Person {uuid.uuid4().hex[:8]}"}
        )
        found["saves"].append(time.perf_counter() - started)
        if status != 302:
            found["failed"].append(status)
        stop.wait(0.5)


def measure(label: str, env: dict[str, str], workbook: bytes) -> dict[str, float]:
    """Serve, upload, check, import, while the other body saves."""
    _setup(env)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "120", "wsgi:app"],
        env=env, cwd=ROOT, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(  # noqa: S603
        [str(BIN / "flask"), "--app", "tisc", "worker", "--workers", "1"],
        env=env, cwd=ROOT, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/sign-in", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        lead, other = Browser(base), Browser(base)
        lead.sign_in("lead.alpha-police@example.org")
        other.sign_in("lead.beta-police@example.org")
        found: dict = {"saves": [], "failed": []}
        stop = threading.Event()
        saver = threading.Thread(target=_other_body_saves, args=(other, stop, found))
        saver.start()
        time.sleep(1)  # a few saves before, as a floor
        try:
            upload_page = "/organisations/alpha-police/imports/new"
            body, headers = _multipart(
                {"csrf_token": lead.token(upload_page)}, "file", "big.xlsx", workbook
            )
            started = time.perf_counter()
            status, location, _ = lead.request(upload_page, body, headers)
            upload_s = time.perf_counter() - started
            if status != 302:
                raise RuntimeError(f"the upload answered {status}")
            preview, check_s = _follow(lead, location)
            preview_path = urllib.parse.urlparse(preview)
            _, _, page = lead.request(preview_path.path + "?" + preview_path.query)
            fields = {"csrf_token": TOKEN.search(page).group(1), "submit": "yes"}
            for select in re.finditer(r'<select[^>]*name="(field_\w+|sheet)"[^>]*>(.*?)</select>',
                                      page, re.S):  # fmt: skip
                chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', select.group(2))
                fields[select.group(1)] = chosen.group(1) if chosen else ""
            started = time.perf_counter()
            status, location, _ = lead.post(preview_path.path + "?" + preview_path.query, fields)
            confirm_s = time.perf_counter() - started
            if status != 302:
                raise RuntimeError(f"the confirmation answered {status}")
            detail, import_s = _follow(lead, location)
            if "/imports/" not in detail:
                raise RuntimeError(f"the import led to {detail}")
        finally:
            stop.set()
            saver.join()
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(30)
    saves = found["saves"]
    figures = {
        "upload_s": upload_s,
        "check_s": check_s,
        "confirm_s": confirm_s,
        "import_s": import_s,
        "other_saves": len(saves),
        "other_save_max_s": max(saves),
        "other_save_median_s": statistics.median(saves),
        "other_save_failures": len(found["failed"]),
    }
    print(
        f"{label}: upload answered in {upload_s:.2f} s (goal < 2 s); check finished after "
        f"{check_s:.1f} s; confirmation answered in {confirm_s:.2f} s; import finished after "
        f"{import_s:.1f} s. Meanwhile the other body saved {len(saves)} times: slowest "
        f"{max(saves):.2f} s (goal < 2 s), median {statistics.median(saves) * 1000:.0f} ms, "
        f"{len(found['failed'])} failed."
    )
    return figures


def main() -> int:
    rows = xlsx.ROWS
    workbook = xlsx.generated_workbook(rows)
    print(f"Workbook: {rows:,} rows x {xlsx.COLUMNS} columns, {len(workbook) / 1e6:.1f} MB")
    results: dict[str, float] = {"rows": rows, "columns": xlsx.COLUMNS}
    with tempfile.TemporaryDirectory() as folder:
        base_env = {
            **os.environ,
            "TISC_ENV": "development",
            "TISC_SECRET_KEY": "bench-" + "k" * 40,
            "TISC_AUDIT_KEY": "bench-" + "a" * 40,
            "TISC_MAX_UPLOAD_BYTES": str(64 * 2**20),
        }
        sqlite_env = {
            **base_env,
            "DATABASE_URL": f"sqlite:///{folder}/tisc.sqlite3",
            "TISC_JOBS_URL": f"{folder}/jobs.sqlite3",
        }
        for name, value in measure("SQLite", sqlite_env, workbook).items():
            results[f"{name}_sqlite"] = round(value, 3)
    schema = _postgres_schema(SCHEMA)
    if schema:
        pg_env = {**base_env, "DATABASE_URL": schema}
        pg_env.pop("TISC_JOBS_URL", None)
        for name, value in measure("PostgreSQL", pg_env, workbook).items():
            results[f"{name}_postgresql"] = round(value, 3)
    else:
        print("PostgreSQL: not reachable, not measured")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
