"""The lead's key pages on a phone (390 CSS px wide), saved as PNG in docs/screenshots/.

    make screenshots                     # or: .venv/bin/python docs/screenshots.py [--out DIR]

A throwaway SQLite database gets the demo network (seed_demo, 10 ecosystems) and what its
first ecosystem lacks (a convening seat, a service request, a pending invitation);
`manage.py runserver` serves it on a free port; Debian's Chromium signs in as the demo
lead with the login form and saves one full-page PNG per page, plus the home page's
first screen with the menu open. Nothing outside the temporary folder is touched but the
PNGs.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 390, "height": 844}
PASSWORD = "slecop-demo-2026"  # noqa: S105 — the public demo password (README)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build_database(env: dict[str, str]) -> dict[str, str]:
    """Migrate and seed the throwaway database; the paths of the pages to take."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", "--ecosystems", "10", "--quiet")

    from convenings.models import Convening
    from elections.models import Election
    from members.models import Invoice
    from tests.portal.walk import add_rows_the_demo_leaves_out, demo_people

    lead, ecosystem, other_lead, _other, _staff = demo_people()
    add_rows_the_demo_leaves_out(lead, ecosystem, other_lead, links=True)
    slug = ecosystem.slug
    invoice = Invoice.objects.filter(ecosystem=ecosystem, status="open").latest("issued_on")
    convening = Convening.objects.filter(kind=Convening.Kind.NATIONAL).latest("starts_at")
    voting = Election.objects.filter(phase=Election.Phase.VOTING).first()
    certified = Election.objects.filter(phase=Election.Phase.CERTIFIED).first()
    pages = {
        "my-ecosystem": f"/my/{slug}/",
        "invoices": f"/my/{slug}/invoices/",
        "invoice": invoice.get_absolute_url(),
        "convening-registrations": f"/my/{slug}/convenings/",
        "register-an-attendee": f"/my/{slug}/convenings/{convening.slug}/register/",
        "indicators": f"/my/{slug}/indicators/",
        "service-requests": f"/my/{slug}/services/",
        "directory": "/ecosystems/",
    }
    if voting is not None:
        pages["ballot"] = f"/elections/{voting.slug}/vote/{slug}/"
    if certified is not None:
        pages["election-results"] = f"/elections/{certified.slug}/results/"
    return pages


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("runserver did not answer within 60 seconds")


def _shoot(base_url: str, pages: dict[str, str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from tests.browser_helpers import CHROMIUM, CHROMIUM_ARGS, sign_in

    saved = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url, viewport=PHONE)
        page = context.new_page()
        sign_in(page, "lead@example.org", PASSWORD)
        page.goto("/")
        page.locator("header summary").click()
        saved.append(out / "home-menu-open.png")
        page.screenshot(path=str(saved[-1]))
        for name, path in pages.items():
            page.goto(path)
            saved.append(out / f"{name}.png")
            page.screenshot(path=str(saved[-1]), full_page=True)
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="slecop-screenshots-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
        env.update(
            DJANGO_SETTINGS_MODULE="slecop.settings.dev",
            DATABASE_URL=f"sqlite:///{tmp}/screenshots.sqlite3",
            EMAIL_URL="dummymail://",
            DJANGO_ALLOW_ASYNC_UNSAFE="true",  # Playwright's sync API runs an event loop
        )
        print("==> Building a demo database", flush=True)
        pages = _build_database(env)
        port = _free_port()
        print(f"==> Serving it on 127.0.0.1:{port}", flush=True)
        server = _serve(env, port)
        try:
            print(f"==> Taking {len(pages) + 1} pages at {PHONE['width']} px", flush=True)
            saved = _shoot(f"http://127.0.0.1:{port}", pages, args.out)
        finally:
            server.terminate()
            server.wait(timeout=30)
    for path in saved:
        print(f"    {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
