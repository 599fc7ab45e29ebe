"""`make load`: 50 simulated people using tisc at once, against gunicorn on PostgreSQL.

    python -m bench.load [--quick] [--minutes 3] [--users 50] [--workers 4] [--wait 2 8]

Recreates the database (`tisc_load` on 127.0.0.1:5432 as postgres; --database-url or
TISC_LOAD_DATABASE_URL to change it; only a database whose name ends in `_load` is dropped),
migrates it and loads the demo data, then starts gunicorn in production mode (a fresh
SECRET_KEY, CSRF on, Secure cookies, TISC_TRUSTED_PROXIES=1 as behind an HTTPS proxy) and runs
bench/locustfile.py with `locust --headless` for the time asked: procurement leads, statement
leads, coordinators and board members browse and save forms, every saved record carrying a
unique marker. Then it reports requests, failures, median and 95th percentile times per page
type and overall, and looks in the database for every write the users saw acknowledged.
Exit status 1 on any error or lost write. gunicorn and locust are stopped however it ends.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/tisc_load"
# Shares of the simulated users by role: the leads write, coordinators and the board read.
MIX = {"procurement": 0.4, "statement": 0.4, "coordinator": 0.1, "board": 0.1}
MARKER = re.compile(r"LOAD-[0-9a-f]+-\d+-\d+")
STORED = (  # where the users' markers end up
    "SELECT note FROM progress_updates WHERE note LIKE 'Met the category manager LOAD-%'",
    "SELECT notes FROM contract_reviews WHERE notes LIKE 'Quarterly review LOAD-%'",
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add = parser.add_argument
    add("--minutes", type=float, default=3.0, help="how long the users work (3)")
    add("--quick", action="store_true", help="30 seconds instead")
    add("--users", type=int, default=50, help="simulated users (50)")
    add("--spawn-rate", type=float, default=2.0, help="users signing in each second (2)")
    add("--workers", type=int, default=4, help="gunicorn workers (4)")
    add("--wait", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"),
        help="seconds each user spends on a page before the next (5 15)")  # fmt: skip
    add("--database-url", default=os.environ.get("TISC_LOAD_DATABASE_URL", DEFAULT_URL))
    add("--keep-database", action="store_true", help="leave the database for inspection")
    add("--concurrent-sign-ins", action="store_true",
        help="let users who share an account sign in at the same moment")  # fmt: skip
    args = parser.parse_args(argv)
    args.seconds = 30 if args.quick else round(args.minutes * 60)
    if args.users < len(MIX):
        parser.error(f"--users must be {len(MIX)} or more (one of each role)")
    return args


# --- the database ------------------------------------------------------------------------------


def connect(url: str, *, maintenance: bool = False) -> Any:
    """A psycopg connection to the load test's database (or to `postgres`, to drop it)."""
    import psycopg

    parts = make_url(url)
    database = parts.database or ""
    if maintenance and not re.fullmatch(r"[a-z0-9_]+_load", database):
        raise SystemExit(f"Refusing to drop {database!r}: the load test's database ends in _load")
    return psycopg.connect(
        host=parts.host or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres" if maintenance else database,
        connect_timeout=5,
        autocommit=True,
    )


def drop_database(url: str, *, create: bool = False) -> None:
    name = make_url(url).database
    with connect(url, maintenance=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


def flask(*command: str, env: dict[str, str]) -> None:
    """Run `flask --app tisc COMMAND`; stop with its output when it fails."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "flask", "--app", "tisc", *command],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def prepare_database(url: str, password: str) -> None:
    """A fresh database, migrated, with the demo data (loaded with development settings:
    production refuses demo data; the server then runs with production's)."""
    drop_database(url, create=True)
    env = {**os.environ, "TISC_ENV": "development", "DATABASE_URL": url}
    env["TISC_DEMO_PASSWORD"] = password
    flask("db", "upgrade", env=env)
    flask("seed-demo", env=env)


def accounts(url: str, counts: dict[str, int], year: int) -> dict[str, list[dict[str, Any]]]:
    """The demo account of each simulated user, role by role. Users who share an account are
    told apart by `slot` of `slots` (they update different plan items)."""
    from tisc.demo.seed import demo_emails
    from tisc.models import Role

    with connect(url) as conn:
        slugs = [s for (s,) in conn.execute("SELECT slug FROM organisations ORDER BY id")]
        planned = {
            s
            for (s,) in conn.execute(
                "SELECT o.slug FROM organisations o JOIN action_plans p"
                " ON p.organisation_id = o.id WHERE p.financial_year = %s",
                (year,),
            )
        }
    people: dict[str, list[dict[str, Any]]] = {}
    for role, count in counts.items():
        found = [(email, slug) for email, r, slug in demo_emails(slugs) if r == Role(role)]
        if role == "statement":  # the demo leaves one body's plan for this year unstarted
            found = [(email, slug) for email, slug in found if slug in planned]
        uses = [count // len(found) + (n < count % len(found)) for n in range(len(found))]
        people[role] = [
            {"email": email, "org": slug, "slot": n // len(found), "slots": uses[n % len(found)]}
            for n in range(count)
            for email, slug in [found[n % len(found)]]
        ]
    return people


def stored_markers(url: str) -> Counter[str]:
    """How many times each load-test marker is stored."""
    found: Counter[str] = Counter()
    with connect(url) as conn:
        for sql in STORED:
            for (text,) in conn.execute(sql):
                found.update(MARKER.findall(text))
    return found


# --- processes ---------------------------------------------------------------------------------

CPU_FIELDS = ("ru_utime", "ru_stime")


def cpu_seconds(pid: int) -> float:
    """CPU time of a process, its children that ended and those still running (Linux's /proc;
    0 elsewhere)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if stat.parent.name == str(pid):  # its own time and that of its children that ended
            total += sum(int(f) for f in fields[11:15]) / tick
        elif fields[1] == str(pid):  # a worker
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def start(command: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a process in a session of its own, so that stop() ends it with its children."""
    with log.open("w") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def stop(process: subprocess.Popen | None) -> None:
    """End a process that start() started, and its children: TERM, then KILL after 20 s."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


def gunicorn(port: int, workers: int) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "wsgi:app"]
    usage = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True, check=False
    ).stdout
    if "--no-control-socket" in usage:  # gunicorn 25+: no socket shared under ~/.gunicorn
        command.insert(-1, "--no-control-socket")
    return command


def wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped ({server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/sign-in", timeout=5):  # noqa: S310 - loopback
                return
        except OSError:  # URLError included
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def check_csrf(base: str) -> None:
    """The server under test refuses a form sent without its CSRF token."""
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/sign-in", data=b"email=a%40example.org&password=x", method="POST",
        headers={"X-Forwarded-Proto": "https"},
    )  # fmt: skip
    try:
        urllib.request.urlopen(request, timeout=30)  # noqa: S310
    except urllib.error.HTTPError as error:
        if error.code == 400:
            return
        raise SystemExit(f"A sign-in without a CSRF token got {error.code}, not 400") from None
    raise SystemExit("A sign-in without a CSRF token was accepted: CSRF is off")


# --- the report --------------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def report(results: dict[str, Any], stored: Counter[str]) -> bool:
    """Print the figures; True when there was no error and no write was lost."""
    samples, failures = results["samples"], results["failures"]
    rows = sorted(samples.items(), key=lambda row: -len(row[1]))
    rows.append(("all", [t for _, times in rows for t in times]))
    print(
        f"\n{'page':<24}{'requests':>9}{'failures':>9}{'median ms':>11}{'95% ms':>9}{'max ms':>9}"
    )
    for name, times in rows:
        failed = sum(failures.values()) if name == "all" else failures.get(name, 0)
        print(
            f"{name:<24}{len(times):>9}{failed:>9}{statistics.median(times):>11.0f}"
            f"{p95(times):>9.0f}{max(times):>9.0f}"
        )
    seconds = results["times"]["stop"] - results["times"]["start"]
    print(f"Throughput: {len(rows[-1][1]) / seconds:.1f} requests/s over {seconds:.0f} s")
    acknowledged = [w["marker"] for w in results["writes"]]
    lost = [m for m in acknowledged if not stored[m]]
    doubled = [m for m, n in stored.items() if n > 1]
    kinds = Counter(w["kind"] for w in results["writes"])
    print(
        f"Writes acknowledged: {len(acknowledged)} ("
        + ", ".join(f"{n} {kind}s" for kind, n in sorted(kinds.items()))
        + f"); found in the database: {len(acknowledged) - len(lost)}; lost: {len(lost)};"
        f" stored twice: {len(doubled)};"
        f" stored but not acknowledged: {len(set(stored) - set(acknowledged))}"
    )
    for line in results["errors"][:20] + results["exceptions"][:10]:
        print(f"  {line}")
    for marker in lost[:20]:
        print(f"  lost: {marker} was acknowledged but is not in the database")
    problems = sum(failures.values()) + len(results["exceptions"]) + len(lost) + len(doubled)
    return not problems and bool(acknowledged)


# --- the run -----------------------------------------------------------------------------------


def role_counts(users: int) -> dict[str, int]:
    counts = {role: max(1, math.floor(users * share)) for role, share in MIX.items()}
    counts["procurement"] += users - sum(counts.values())
    return counts


def run(args: argparse.Namespace, tmp: Path) -> bool:
    """Serve, swarm, report; gunicorn and locust are stopped on the way out."""
    from tisc.demo.seed import demo_years

    password = os.environ.get("TISC_DEMO_PASSWORD") or "tisc-demo-2026"
    url, year = args.database_url, demo_years(date.today())[-1]
    counts = role_counts(args.users)
    print(
        f"Load test: {args.users} users ({', '.join(f'{n} {r}' for r, n in counts.items())})"
        f" for {args.seconds} s against gunicorn with {args.workers} workers on {url}"
    )
    started = time.monotonic()
    prepare_database(url, password)
    print(
        f"Database recreated, migrated and demo data loaded in {time.monotonic() - started:.0f} s"
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server_log, swarm_log, results = tmp / "gunicorn.log", tmp / "locust.log", tmp / "out.json"
    env = {k: v for k, v in os.environ.items() if k != "TISC_DEMO_PASSWORD"}
    secret = secrets.token_urlsafe(48)
    env.update(TISC_ENV="production", SECRET_KEY=secret, DATABASE_URL=url)
    env["TISC_TRUSTED_PROXIES"] = "1"
    server = swarm = None
    try:
        server = start(gunicorn(int(base.rsplit(":", 1)[1]), args.workers), env=env, log=server_log)
        wait_until_serving(base, server, server_log)
        check_csrf(base)
        config = {
            "run": secrets.token_hex(4),
            "password": password,
            "year": year.slug,
            "partnership": "north-east",
            "wait": list(args.wait),
            "serialise_sign_in": not args.concurrent_sign_ins,
            "counts": counts,
            "accounts": accounts(url, counts, year.start_year),
            "results": str(results),
        }
        (tmp / "config.json").write_text(json.dumps(config))
        command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")]
        command += ["--headless", "--host", base, "--users", str(args.users)]
        command += ["--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.seconds}s"]
        command += ["--stop-timeout", "60", "--only-summary", "--loglevel", "WARNING"]
        swarm_env = {**os.environ, "TISC_LOAD_CONFIG": str(tmp / "config.json")}
        served_before, load_before = cpu_seconds(server.pid), os.getloadavg()[0]
        swarm_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        swarm = start(command, env=swarm_env, log=swarm_log)
        try:
            swarm.wait(timeout=args.seconds + 180)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"locust did not finish:\n{swarm_log.read_text()[-3000:]}") from None
        swarm_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        served = cpu_seconds(server.pid) - served_before
        swarmed = sum(getattr(swarm_after, f) - getattr(swarm_before, f) for f in CPU_FIELDS)
        load = f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
        if not results.exists():
            raise SystemExit(
                f"locust failed ({swarm.returncode}):\n{swarm_log.read_text()[-3000:]}"
            )
    finally:
        stop(swarm)
        stop(server)
    ok = report(json.loads(results.read_text()), stored_markers(url))
    server_text = server_log.read_text()
    crashes = server_text.count("Traceback") + server_text.count("WORKER TIMEOUT")
    print(f"gunicorn log: {crashes} tracebacks or worker timeouts")
    print(
        f"CPU time used while the users worked: gunicorn {served:.0f} s, locust {swarmed:.0f} s"
        f" ({os.cpu_count()} cores; load average {load}; PostgreSQL not counted)"
    )
    if crashes:
        print(server_text[-3000:])
    if "CPU usage above 90%" in swarm_log.read_text():
        print("Note: locust warned that its own CPU use went above 90%")
    print("PASS: no errors, no lost writes" if ok and not crashes else "FAIL")
    return ok and not crashes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import locust  # noqa: F401 - installed by `make load` (requirements/load.txt)
    except ImportError:
        raise SystemExit(
            "locust is missing: run `make load`, or pip install --require-hashes "
            "-r requirements/load.txt"
        ) from None
    # A TERM (a timeout, kill) runs the finally blocks as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with tempfile.TemporaryDirectory(prefix="tisc-load-") as tmp:
            ok = run(args, Path(tmp))
    finally:
        if not args.keep_database:
            drop_database(args.database_url)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
