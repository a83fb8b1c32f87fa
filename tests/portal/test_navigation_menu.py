"""Issue 26: on a phone the navigation folds into a menu that opens and closes with the
mouse and the keyboard, with JavaScript and without it (a <details>, so the site's CSP
needs no inline script); on a desktop every link shows without opening anything."""

from __future__ import annotations

import pytest

from tests.browser_helpers import tab_to
from tests.portal.reflow import reflow_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
FOCUSED_TEXT = "document.activeElement.innerText.trim()"
JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def _menu(page):
    return page.locator("header summary", has_text="Menu")


def _library_link(page):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name="Library")


@JAVASCRIPT
def test_a_phone_opens_the_menu_and_follows_a_link(open_page, javascript):
    page = open_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto("/")
    menu = _menu(page)
    assert menu.is_visible()
    assert not _library_link(page).is_visible()
    header = page.locator("header").bounding_box()
    assert header["height"] < 140, header  # the links no longer fill the first screen

    menu.click()
    assert _library_link(page).is_visible()
    assert page.get_by_role("navigation", name="Account").get_by_role("link").is_visible()
    assert reflow_problems(page) == []  # the open menu fits the screen too
    _library_link(page).click()
    page.get_by_role("heading", name="Resource library").wait_for()
    assert page.url.endswith("/library/")
    assert not _library_link(page).is_visible()  # the next page starts with it closed

    menu.click()
    assert _library_link(page).is_visible()
    menu.click()
    assert not _library_link(page).is_visible()


@JAVASCRIPT
def test_the_menu_opens_and_closes_with_the_keyboard(open_page, javascript):
    page = open_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto("/")
    tab_to(page, "Menu")
    page.keyboard.press("Enter")
    assert _library_link(page).is_visible()
    page.keyboard.press("Tab")  # the links follow the button in the tab order
    assert page.evaluate(FOCUSED_TEXT) == "Ecosystems"
    if javascript:
        page.keyboard.press("Escape")  # closes the menu and returns to its button
    else:
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
    assert not _library_link(page).is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


@JAVASCRIPT
def test_a_desktop_shows_every_link_without_a_menu(open_page, javascript):
    page = open_page(viewport=DESKTOP, java_script_enabled=javascript)
    page.goto("/")
    assert not _menu(page).is_visible()
    assert _library_link(page).is_visible()
    tab_to(page, "Library")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Resource library").wait_for()
    # a window narrowed to a phone's width folds the links away
    page.set_viewport_size(PHONE)
    assert _menu(page).is_visible()
    assert not _library_link(page).is_visible()
