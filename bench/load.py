"""Load benchmark of the portal's key pages at 10,000 ecosystems and 100,000 users (not a
test; figures in docs/portal.md and bench/README.md).

    .venv/bin/python bench/load.py                    # scratch DB, seed, serve, measure
    .venv/bin/python bench/load.py --reuse            # keep the seeded scratch DB
    .venv/bin/python bench/load.py --duration 5 --ecosystems 1000 --people 3
    .venv/bin/python bench/load.py --reuse --probes   # + best-case signed-in probes
    .venv/bin/python bench/load.py --reuse --rounds 3 --compare ../base   # base vs this code

1. creates the scratch PostgreSQL database (`--database`), migrates and runs
   `seed_demo --ecosystems 10000 --people-per-ecosystem 10` (timed);
2. starts gunicorn with 2 workers on the production-like stack (DEBUG off, Redis cache,
   persistent connections) with the settings `bench_settings` (this directory), which
   mount the floor and probe views (`bench_urls`) beside the portal's own URLs;
3. drives every page with wrk (Debian's `wrk`; a Lua hook reports p50/p95), signed in as
   the demo lead or staff where the page needs it, and counts each page's SQL queries
   in-process;
4. prints p50 / p95 latency, requests/s, the ratio of p50 to the floor's p50 (the
   signed-in floor for signed-in pages), and queries.

`--compare PATH` measures another checkout of the portal (e.g. a `git worktree` of main)
on the same database in the same run: each round serves the same pages from one checkout,
then the other (the cache emptied in between), and the table sets the two side by side.

Pages of apps that have not landed (a convening registration page, the network dashboard,
the voting page) are found by name in the URL conf when they exist and are listed as
missing otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# the portal code whose pages are counted (a `--compare` checkout runs this script with it)
CODE = Path(os.environ.get("SLECOP_BENCH_CODE", ROOT))
sys.path.insert(0, str(CODE))
BIN = Path(sys.executable).parent
PG = ["-h", "127.0.0.1", "-U", "postgres"]
# p50 as a multiple of the floor's p50 (the signed-in floor's for a signed-in page): the
# goal, and the limit (issue 24)
TARGET, LIMIT = 4.0, 8.0
FLOOR, SIGNED_IN_FLOOR = "floor (constant view)", "signed-in floor (session + user)"

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"p50": %d, "p95": %d, "requests": %d, "duration": %d, ' ..
    '"errors": %d, "bad_status": %d}\\n',
    latency:percentile(50), latency:percentile(95), summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class Target:
    label: str
    viewer: str | None  # "lead" | "staff" | None (anonymous)
    url: str | None  # None: the page does not exist (yet)
    queries: int | None = None
    status: int | None = None


def run(cmd: list[str], env: dict, **kwargs) -> None:
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def prepare_database(args, env: dict) -> None:
    if args.reuse:
        return
    subprocess.run(["dropdb", *PG, "--if-exists", args.database], check=True)
    subprocess.run(["createdb", *PG, args.database], check=True)
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v0"], env)
    start = time.perf_counter()
    run(
        [
            *manage,
            "seed_demo",
            "--ecosystems",
            str(args.ecosystems),
            "--people-per-ecosystem",
            str(args.people),
            "--quiet",
        ],
        env,
    )
    print(
        f"seed_demo --ecosystems {args.ecosystems} --people-per-ecosystem {args.people}: "
        f"{time.perf_counter() - start:.0f} s"
    )
    # A bulk load leaves the planner's statistics empty until autovacuum gets to them; the
    # plans it picks meanwhile (hashed subplans over every invoice for good standing) are
    # ten times slower than a live site's. Measure what production runs.
    subprocess.run(["vacuumdb", *PG, "--analyze-only", "--quiet", args.database], check=True)


def find_page(namespace: str, words: tuple[str, ...], client, ecosystem) -> str | None:
    """The first route of `namespace` whose name holds one of `words`, filled from the
    demo data (tests/portal/walk.py) so the signed-in `client` can open it."""
    from tests.portal.walk import routes, urls_for

    for route in routes():
        ns, _, name = route.name.rpartition(":")
        if ns != namespace or not any(w in name for w in words):
            continue
        for url in urls_for(route, ecosystem):
            if client.get(url).status_code == 200:
                return url
    return None


def targets_and_sessions(probes: bool = False) -> tuple[list[Target], dict[str, str]]:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from members.models import Ecosystem, Invoice, User

    lead = User.objects.get(email="lead@example.org")
    staff = User.objects.get(email="staff@example.org")
    ecosystem = Ecosystem.objects.get(roles__user=lead, roles__role="lead")
    clients = {None: Client(), "lead": Client(), "staff": Client()}
    clients["lead"].force_login(lead)
    clients["staff"].force_login(staff)
    sessions = {who: c.cookies["sessionid"].value for who, c in clients.items() if who}
    invoice = Invoice.objects.filter(ecosystem=ecosystem).order_by("-membership_year__year")[0]
    directory = reverse("members:directory")
    lead_client = clients["lead"]
    targets = [
        Target("floor (constant view)", None, "/bench/floor/"),
        # what every signed-in page pays before its own work: the session and the user
        Target("signed-in floor (session + user)", "lead", "/bench/floor/signed-in/"),
        Target("home", None, reverse("home")),
        Target("directory page 1", None, directory),
        Target("directory page 300", None, f"{directory}?page=300"),
        Target("directory search", None, f"{directory}?q=STEM+Ecosystem&region=south"),
        Target("My ecosystem", "lead", ecosystem.get_dashboard_url()),
        Target("invoice", "lead", invoice.get_absolute_url()),
        Target("resource search", None, f"{reverse('resources:library')}?q=toolkit"),
        Target("staff dues dashboard", "staff", reverse("members:dues_dashboard")),
        Target(
            "convening registration",
            "lead",
            find_page("convenings", ("regist",), lead_client, ecosystem),
        ),
        Target(
            "network dashboard",
            "lead",
            find_page("measurement", ("network",), lead_client, ecosystem),
        ),
        Target(
            "voting page",
            "lead",
            find_page("elections", ("vote", "ballot"), lead_client, ecosystem),
        ),
    ]
    if probes:
        # what a signed-in page could cost at best (slecop/urls.py, bench/README.md)
        targets += [
            Target("probe: whole page from cache", "lead", "/bench/probe/cached/"),
            Target(
                "probe: whole page from cache, access checked",
                "lead",
                f"/bench/probe/cached/{ecosystem.slug}/",
            ),
        ]
    for target in targets:
        if target.url is None:
            continue
        client = clients[target.viewer]
        client.get(target.url)  # warm caches the way a running site has them
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target.url)
        target.queries, target.status = len(ctx.captured_queries), response.status_code
    connection.close()
    return targets, sessions


def count_in(code: Path, env: dict, probes: bool) -> tuple[list[Target], dict[str, str]]:
    """`targets_and_sessions` run by the portal code in `code` (this script in a child
    process that imports that checkout): its pages' queries and status, and sessions."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--count-only", *(["--probes"] * probes)],
        env={**env, "SLECOP_BENCH_CODE": str(code), "PYTHONPATH": f"{code}:{BENCH}"},
        cwd=code,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return [Target(**t) for t in data["targets"]], data["sessions"]


def start_server(args, env: dict, code: Path) -> subprocess.Popen:
    subprocess.run(["redis-cli", "-u", args.redis, "flushdb"], check=False, capture_output=True)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "slecop.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=code,
        env={**env, "PYTHONPATH": f"{code}:{BENCH}"},
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/bench/floor/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def wrk(args, url: str, session: str | None, script: str, duration: int) -> dict:
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "-s",
        script,
        "-H",
        "Host: 127.0.0.1",
    ]
    if session:
        cmd += ["-H", f"Cookie: sessionid={session}"]
    out = subprocess.run(
        [*cmd, f"http://127.0.0.1:{args.port}{url}"], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("JSON "))
    return json.loads(line[5:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="slecop_bench_load")
    parser.add_argument("--ecosystems", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=10, help="accounts per ecosystem")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    # one connection per worker: latency is service time, not time queued behind others
    parser.add_argument("--connections", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--rounds", type=int, default=1, help="measure every page this many times over"
    )
    parser.add_argument("--probes", action="store_true", help="also the best-case signed-in probes")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="CHECKOUT",
        help="another checkout of the portal (e.g. main) measured on the same database",
    )
    parser.add_argument("--count-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_only:  # a child of count_in(): print the targets as JSON
        targets, sessions = targets_and_sessions(args.probes)
        print(json.dumps({"targets": [vars(t) for t in targets], "sessions": sessions}))
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "REDIS_URL": args.redis,
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": f"{ROOT}:{BENCH}",
    }
    prepare_database(args, env)
    checkouts = {"new": ROOT}
    if args.compare:
        checkouts = {"base": args.compare.resolve(), "new": ROOT}
    counted = {}
    for name, code in checkouts.items():
        run_env = {**env, "PYTHONPATH": f"{code}:{BENCH}"}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=run_env,
            cwd=code,
            check=True,
        )
        subprocess.run(["redis-cli", "-u", args.redis, "flushdb"], check=False, capture_output=True)
        counted[name] = count_in(code, env, args.probes)
    targets, sessions = counted["new"]

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    rounds: dict[str, list[dict[str, dict]]] = {name: [] for name in checkouts}
    try:
        for number in range(args.rounds):
            # alternate which checkout goes first: load from elsewhere on a shared
            # machine then favours neither
            order = list(checkouts.items())
            for name, code in order if number % 2 == 0 else order[::-1]:
                server = start_server(args, env, code)
                try:
                    rounds[name].append(measure(args, targets, sessions, script.name))
                finally:
                    server.terminate()
                    server.wait(timeout=30)
    finally:
        Path(script.name).unlink(missing_ok=True)

    print(
        f"\n{args.ecosystems:,} ecosystems, {args.ecosystems * args.people:,} users; gunicorn 2 "
        f"workers; wrk {args.threads} threads, {args.connections} connections, "
        f"{args.duration} s per page, {args.rounds} round(s); medians over the rounds, "
        f"each page's ratio taken to its own round's floor (signed-in pages: the signed-in "
        f"floor)\n"
    )
    for name in checkouts:
        if len(checkouts) > 1:
            print(f"\n{name}: {checkouts[name]}\n")
        print_table(counted[name][0], rounds[name])
    if args.compare:
        print_comparison(targets, counted, rounds)


def measure(args, targets: list[Target], sessions: dict[str, str], script: str) -> dict:
    """One round: each page warmed 2 s, then measured `--duration` s: {label: wrk's report}."""
    results = {}
    for target in targets:
        if target.url is None:
            continue
        session = sessions.get(target.viewer) if target.viewer else None
        wrk(args, target.url, session, script, 2)  # warm-up
        results[target.label] = wrk(args, target.url, session, script, args.duration)
    return results


def print_table(targets: list[Target], rounds: list[dict[str, dict]]) -> None:
    header = ("page", "viewer", "p50 ms", "p95 ms", "req/s", "x floor", "queries", "status")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for target in targets:
        if target.url is None:
            print(f"| {target.label} | | — | — | — | — | — | missing: app not landed |")
            continue
        print(f"| {target.label} | {target.viewer or 'anonymous'} | {row(target, rounds)} |")


def ratios(target: Target, rounds: list[dict[str, dict]]) -> list[float]:
    """Each round's p50 of the page over its floor's p50 in the same round (a VM's speed
    drifts between rounds; a ratio within a round does not see it)."""
    floor = SIGNED_IN_FLOOR if target.viewer and target.label != SIGNED_IN_FLOOR else FLOOR
    return [
        results[target.label]["p50"] / (results[floor]["p50"] or 1)
        for results in rounds
        if target.label in results
    ]


def p50_ms(target: Target, rounds: list[dict[str, dict]]) -> float:
    return statistics.median(r[target.label]["p50"] for r in rounds) / 1000


def row(target: Target, rounds: list[dict[str, dict]]) -> str:
    """A page's cells after its viewer: the medians over the rounds of p50, p95, req/s and
    of the ratio of its p50 to its floor's p50 in the same round, with the ratios' range."""
    runs = [results[target.label] for results in rounds]
    found = ratios(target, rounds)
    ratio = statistics.median(found)
    flag = "" if ratio <= TARGET else (" (over 4x)" if ratio <= LIMIT else " (OVER 8x)")
    spread = f" [{min(found):.1f}-{max(found):.1f}]" if len(found) > 1 else ""
    p95 = statistics.median(r["p95"] for r in runs) / 1000
    rps = statistics.median(r["requests"] / (r["duration"] / 1e6) for r in runs)
    bad = sum(r["bad_status"] for r in runs)
    status = f"{target.status}" + (f", {bad} bad" if bad else "")
    return (
        f"{p50_ms(target, rounds):.2f} | {p95:.1f} | {rps:.0f} | {ratio:.1f}{flag}{spread} | "
        f"{target.queries} | {status}"
    )


def print_comparison(targets: list[Target], counted: dict, rounds: dict) -> None:
    """Base and new side by side: p50 (median of the rounds), the difference, each one's
    ratio to its own round's floor, and queries."""
    base_targets = {t.label: t for t in counted["base"][0]}
    header = (
        "page",
        "viewer",
        "base p50 ms",
        "new p50 ms",
        "Δ ms",
        "base x floor",
        "new x floor",
        "base queries",
        "new queries",
    )
    print("\n| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for target in targets:
        if target.url is None:
            continue
        base = base_targets.get(target.label, target)
        old, new = p50_ms(target, rounds["base"]), p50_ms(target, rounds["new"])
        old_ratio = statistics.median(ratios(target, rounds["base"]))
        new_ratio = statistics.median(ratios(target, rounds["new"]))
        print(
            f"| {target.label} | {target.viewer or 'anonymous'} | {old:.2f} | {new:.2f} | "
            f"{new - old:+.2f} | {old_ratio:.1f} | {new_ratio:.1f} | {base.queries} | "
            f"{target.queries} |"
        )


if __name__ == "__main__":
    main()
