"""Steps shared by browser tests (and docs/screenshots.py)."""

from __future__ import annotations

import os

# Debian's Chromium (never a downloaded browser); SLECOP_CHROMIUM names another binary.
CHROMIUM = os.environ.get("SLECOP_CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium keeps trying hosts this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("domcontentloaded")


def sign_in_with_keyboard(page, email: str, password: str) -> None:
    """Sign in without the mouse: Tab to each field, type, Enter."""
    page.goto("/accounts/login/")
    tab_to(page, "Email")
    page.keyboard.type(email)
    tab_to(page, "Password")
    page.keyboard.type(password)
    tab_to(page, "Sign in")
    page.keyboard.press("Enter")


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const labelled = el.labels && el.labels.length ? el.labels[0].innerText : '';
  const outline = getComputedStyle(el).outlineStyle;
  return {text: (el.innerText || el.value || labelled || el.getAttribute('aria-label') || '')
            .trim() + ' ' + labelled, outline: outline};
}"""


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused control is called `name`; each stop must show a focus
    indicator (WCAG 2.4.7)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and name in focused["text"]:
            assert focused["outline"] != "none", f"{name!r} shows no focus outline"
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab on {page.url}")
