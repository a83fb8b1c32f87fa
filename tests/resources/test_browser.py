"""TIES staff upload a toolkit in the admin; a lead finds it by search and downloads it."""

from __future__ import annotations

import pytest

from resources import samples
from resources.models import Resource
from tests.browser_helpers import sign_in
from tests.factories import PASSWORD, make_in_good_standing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_upload_a_toolkit_and_a_lead_finds_and_downloads_it(
    browser_page, staff_user, ecosystem, lead, tmp_path
):
    make_in_good_standing(ecosystem)
    pdf = samples.pdf_bytes("Family Science Night Toolkit", ["Book a room.", "Invite families."])
    page = browser_page

    # TIES staff add the toolkit in the admin, members-only, published
    sign_in(page, staff_user.email, PASSWORD)
    page.goto("/admin/resources/resource/add/")
    page.get_by_label("Title").fill("Family Science Night Toolkit")
    page.get_by_label("Summary").fill("Everything to run a family science night at the library.")
    page.get_by_label("Kind").select_option("toolkit")
    page.get_by_label("Ecosystem attribute").select_option("teaching")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "family-science-night.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_label("Visibility").select_option("members")
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was added successfully").wait_for()
    resource = Resource.objects.get()
    assert resource.is_published and resource.current_version.filename == "family-science-night.pdf"
    page.get_by_role("button", name="Log out").click()

    # a lead of an ecosystem in good standing finds it by search and downloads it
    sign_in(page, lead.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    page.get_by_label("Search the library").fill("science night")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 resource").wait_for()
    page.get_by_role("link", name="Family Science Night Toolkit").click()
    page.get_by_role("heading", name="Family Science Night Toolkit", level=1).wait_for()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download (PDF").click()
    download = info.value
    assert download.suggested_filename == "family-science-night.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == pdf
    resource.refresh_from_db()
    assert resource.download_count == 1
