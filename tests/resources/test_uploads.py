"""Uploads are checked by content, size and name; a refused upload stores nothing — no
resource row, no version row, no file in the private storage — through every door: the
services, the admin form and the member suggestion form."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources import samples, services
from resources.models import Resource, ResourceVersion
from resources.validators import validate_upload
from slecop.errors import DomainError

from .factories import ResourceFactory, pdf_upload

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 2000
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 2000
GOOD_PDF = samples.pdf_bytes("Toolkit", ["One page."])
CORRUPT_PDFS = {
    "no end marker": GOOD_PDF[: len(GOOD_PDF) // 2],
    "header and marker around garbage": b"%PDF-1.7\n" + b"\x8f garbage \x00" * 40 + b"\n%%EOF\n",
}

# name, content, settings override, the error's code and words the message must contain
BAD_UPLOADS = {
    "renamed ELF executable": ("report.pdf", ELF, {}, "executable", "Linux program"),
    "renamed Windows executable": ("report.pdf", MZ, {}, "executable", "Windows program"),
    "oversized file":
        ("big.pdf", GOOD_PDF, {"RESOURCES_MAX_UPLOAD_BYTES": 500}, "too_large", "limit"),
    "path traversal name": ("../../etc/passwd.pdf", GOOD_PDF, {}, "filename_path", "folder"),
    "corrupt PDF": ("broken.pdf", CORRUPT_PDFS["no end marker"], {}, "corrupt_pdf", "damaged"),
}  # fmt: skip


def _bad_upload(case, settings):
    """The case's name, content, error code and words, with its settings applied."""
    name, content, overrides, code, words = BAD_UPLOADS[case]
    for key, value in overrides.items():
        setattr(settings, key, value)
    return name, content, code, words


def _nothing_stored(stored_files, resources_before=0):
    assert Resource.objects.count() == resources_before
    assert ResourceVersion.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_the_validator_names_the_problem(case, settings):
    name, content, code, words = _bad_upload(case, settings)
    with pytest.raises(Exception) as info:
        validate_upload(ContentFile(content, name=name))
    assert info.value.code == code
    assert words in info.value.messages[0]


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_services_refuse_bad_uploads_and_store_nothing(case, settings, staff_user, stored_files):
    name, content, code, words = _bad_upload(case, settings)
    fields = {"title": "Family STEM night toolkit", "summary": "Plan one.", "kind": "toolkit"}
    with pytest.raises(DomainError) as info:
        services.resource_create(
            acting_user=staff_user, fields=fields, upload=ContentFile(content, name=name)
        )
    assert info.value.code == code and info.value.field == "file"
    assert words in info.value.message
    _nothing_stored(stored_files)

    resource = ResourceFactory()
    with pytest.raises(DomainError):
        services.resource_add_version(
            acting_user=staff_user, resource=resource, upload=ContentFile(content, name=name)
        )
    assert ResourceVersion.objects.count() == 0
    assert stored_files() == []


def _admin_add_data(upload, **extra):
    return {
        "title": "Family STEM night toolkit",
        "summary": "Plan a family STEM night.",
        "body": "",
        "kind": "toolkit",
        "attribute": "teaching",
        "audience": "everyone",
        "visibility": "members",
        "currency": "USD",
        "upload": upload,
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
        **extra,
    }


@pytest.mark.parametrize("case", [c for c in BAD_UPLOADS if c != "path traversal name"])
def test_admin_form_refuses_bad_uploads_with_a_clear_error(
    case, settings, client, staff_user, stored_files
):
    name, content, _code, words = _bad_upload(case, settings)
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:resources_resource_add"),
        _admin_add_data(SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.errors
    assert words in " ".join(errors["upload"])
    _nothing_stored(stored_files)


@pytest.mark.parametrize("case", [c for c in BAD_UPLOADS if c != "path traversal name"])
def test_suggestion_form_refuses_bad_uploads_with_a_clear_error(
    case, settings, client, member, stored_files, mailoutbox
):
    name, content, _code, words = _bad_upload(case, settings)
    client.force_login(member)
    response = client.post(
        reverse("resources:suggest"),
        {
            "title": "Our robotics playbook",
            "summary": "How we run robotics clubs.",
            "kind": "playbook",
            "audience": "educators",
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors["file"])
    assert words in response.content.decode()
    _nothing_stored(stored_files)
    assert mailoutbox == []


def test_over_http_django_strips_the_folders_and_the_file_lands_inside_the_storage(
    client, member, stored_files
):
    """Django's multipart parser keeps only the last path component of an uploaded file's
    name, so "../../etc/passwd.pdf" reaches the validator as "passwd.pdf" (which is then
    stored under a random folder inside the private storage). Names that carry folders
    through any other door are refused by the validator (tests above)."""
    client.force_login(member)
    body = (
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="title"\r\n\r\nTraversal attempt\r\n'
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="summary"\r\n\r\nx\r\n'
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="kind"\r\n\r\ntoolkit\r\n'
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="audience"\r\n\r\neveryone\r\n'
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="file"; filename="../../etc/passwd.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + GOOD_PDF + b"\r\n--BOUNDARY--\r\n"
    )
    response = client.post(
        reverse("resources:suggest"), body, content_type="multipart/form-data; boundary=BOUNDARY"
    )
    assert response.status_code == 302
    version = ResourceVersion.objects.get()
    assert version.filename == "passwd.pdf"
    assert ".." not in version.file.name and not version.file.name.startswith("/")
    [path] = stored_files()
    assert path == version.file.name and path.startswith("resources/")


@pytest.mark.parametrize("case", list(CORRUPT_PDFS))
def test_corrupt_pdfs_are_refused(case):
    with pytest.raises(Exception) as info:
        validate_upload(ContentFile(CORRUPT_PDFS[case], name="report.pdf"))
    assert info.value.code == "corrupt_pdf"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("toolkit.pdf", GOOD_PDF, "pdf"),
        ("charter.docx", samples.docx_bytes("Charter", ["Roles"]), "docx"),
        ("indicators.csv", samples.csv_bytes([["name", "value"], ["partners", 12]]), "csv"),
        ("semicolons.csv", b"naam;waarde\r\npartners;12\r\n", "csv"),
        ("bom.csv", "\ufeffname,value\r\nécole,3\r\n".encode(), "csv"),
        ("kit.zip", samples.zip_bytes({"a.pdf": GOOD_PDF, "b.csv": b"a,b\r\n"}), "zip"),
        ("logo.png", samples.png_bytes(), "png"),
        ("Logo.PNG", samples.png_bytes(), "png"),
    ],
)
def test_allowed_types_are_accepted_by_content(name, content, kind):
    checked = validate_upload(ContentFile(content, name=name))
    assert checked.file_type.key == kind
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.pdf", b"", "empty"),
        ("notes.txt", b"just some text", "unknown_type"),
        ("report.docx", GOOD_PDF, "extension_mismatch"),
        ("report.pdf", samples.png_bytes(), "extension_mismatch"),
        ("sheet.csv", GOOD_PDF, "extension_mismatch"),
        ("plain.docx", samples.zip_bytes({"readme.txt": b"hi"}), "extension_mismatch"),
        (
            "macro.docx",
            samples.zip_bytes(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<w:document/>",
                    "word/vbaProject.bin": b"\x00",
                }
            ),
            "office_macros",
        ),
        (
            "hollow.docx",
            samples.zip_bytes({"[Content_Types].xml": b"<Types/>"}),
            "corrupt_office",
        ),
        ("slip.zip", samples.zip_bytes({"../../evil.pdf": GOOD_PDF}), "zip_unsafe"),
        ("abs.zip", samples.zip_bytes({"/etc/cron.d/x": b"x"}), "zip_unsafe"),
        ("setup.zip", samples.zip_bytes({"setup.exe": MZ}), "zip_unsafe"),
        ("broken.zip", b"PK\x03\x04" + b"\x00" * 100, "corrupt_zip"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy_office"),
        ("utf16.csv", "a,b\r\n1,2\r\n".encode("utf-16"), "csv_encoding"),
        ("page.csv", b"<!doctype html><script>alert(1)</script>", "csv_markup"),
        ("run.csv", b"#!/bin/sh\nrm -rf ~\n", "executable"),
        ("bad\x07name.pdf", GOOD_PDF, "filename_control"),
        ("..\\..\\boot.pdf", GOOD_PDF, "filename_path"),
        (".pdf", GOOD_PDF, "filename_extension"),
        ("noextension", GOOD_PDF, "filename_extension"),
    ],
)
def test_other_bad_files_are_refused_with_a_reason(name, content, code):
    with pytest.raises(Exception) as info:
        validate_upload(ContentFile(content, name=name))
    assert info.value.code == code, info.value.messages


def test_allowed_types_come_from_settings(settings):
    settings.RESOURCES_ALLOWED_FILE_TYPES = ["pdf"]
    with pytest.raises(Exception) as info:
        validate_upload(ContentFile(samples.png_bytes(), name="logo.png"))
    assert info.value.code == "type_not_allowed"
    assert "PNG image files are not accepted" in info.value.messages[0]


def test_filenames_are_cleaned_for_storage_and_headers():
    checked = validate_upload(ContentFile(GOOD_PDF, name='  Our "best" <kit>?.PDF'))
    assert checked.filename == "Our _best_ _kit__.pdf"
    long = validate_upload(ContentFile(GOOD_PDF, name="x" * 400 + ".pdf"))
    assert len(long.filename) <= 150 and long.filename.endswith(".pdf")


def test_a_good_upload_is_stored_privately_with_its_checks(staff_user, stored_files):
    resource = ResourceFactory()
    version = services.resource_add_version(
        acting_user=staff_user, resource=resource, upload=pdf_upload("Kit v1.pdf")
    )
    assert version.number == 1 and version.file_type == "pdf"
    assert version.content_type == "application/pdf"
    assert version.filename == "Kit v1.pdf" and len(version.sha256) == 64
    assert stored_files() == [version.file.name]
    with pytest.raises(ValueError, match="no public URL"):
        version.file.url  # noqa: B018 — private files have no URL
