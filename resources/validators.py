"""Every check an uploaded library file goes through, in one place.

Used by the admin form, the member suggestion form and the services (which check again,
so no caller can store an unchecked file). A file is accepted when:

- its name is a plain file name (no folders, no "..", no control characters) with an
  extension that matches its content;
- it is not larger than settings.RESOURCES_MAX_UPLOAD_BYTES and not empty;
- its *content* is one of settings.RESOURCES_ALLOWED_FILE_TYPES, recognised by its magic
  bytes (the `filetype` package) and then by its structure: a PDF has a header, an
  end-of-file marker and parses (pypdf); a Word/Excel/PowerPoint file is a ZIP container
  with the parts of its kind and no macros; a ZIP has no absolute or "../" member paths,
  no programs inside and no implausible unpacked size; a CSV is UTF-8 text that parses.

Programs (Windows, Linux and macOS executables, scripts) are named as such in the error.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HEAD_BYTES = 8192
PDF_TAIL_BYTES = 2048
CSV_SAMPLE_BYTES = 64 * 1024
MAX_FILENAME_CHARS = 150
MAX_ZIP_MEMBERS = 2000
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
MAX_ZIP_RATIO = 200  # unpacked size / packed size; above this it is a zip bomb

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair warnings are not errors here


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


FILE_TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", ("pdf",), "application/pdf"),
        FileType(
            "docx",
            "Word document",
            ("docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileType(
            "xlsx",
            "Excel workbook",
            ("xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        FileType(
            "pptx",
            "PowerPoint presentation",
            ("pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        FileType("png", "PNG image", ("png",), "image/png"),
        FileType("jpg", "JPEG image", ("jpg", "jpeg"), "image/jpeg"),
        FileType("gif", "GIF image", ("gif",), "image/gif"),
        FileType("webp", "WebP image", ("webp",), "image/webp"),
        FileType("csv", "CSV spreadsheet", ("csv",), "text/csv"),
        FileType("zip", "ZIP archive", ("zip",), "application/zip"),
    )
}

# filetype's name for a kind → ours (images by magic bytes; ZIP containers are opened)
_MAGIC_KINDS = {
    "pdf": "pdf",
    "png": "png",
    "apng": "png",
    "jpg": "jpg",
    "gif": "gif",
    "webp": "webp",
}
_ZIP_KINDS = {"zip", "docx", "xlsx", "pptx", "epub", "odt", "ods", "odp"}
_OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_PROGRAM_KINDS = {
    "exe": gettext_lazy("a Windows program"),
    "elf": gettext_lazy("a Linux program"),
    "wasm": gettext_lazy("a WebAssembly program"),
    "deb": gettext_lazy("a software package"),
    "rpm": gettext_lazy("a software package"),
    "crx": gettext_lazy("a browser extension"),
    "swf": gettext_lazy("a Flash program"),
}
_MACHO_MAGIC = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_LEGACY_OFFICE = {"doc", "xls", "ppt"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # also .msi installers: never accepted
_PROGRAM_EXTENSIONS = {
    "exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse",
    "wsf", "hta", "jar", "sh", "app", "apk", "dmg", "pkg", "lnk",
}  # fmt: skip
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"|?*%;`$]')


@dataclass(frozen=True)
class CheckedFile:
    """What the checks found: the clean name to store and serve, and the real type."""

    filename: str
    file_type: FileType
    size: int
    sha256: str


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def allowed_types() -> list[FileType]:
    return [FILE_TYPES[k] for k in settings.RESOURCES_ALLOWED_FILE_TYPES if k in FILE_TYPES]


def allowed_types_text() -> str:
    return ", ".join(t.label for t in allowed_types())


def accept_attribute() -> str:
    """For <input type=file accept=…>: a hint to the browser, not a check."""
    return ",".join(f".{ext}" for t in allowed_types() for ext in t.extensions)


# --- names -----------------------------------------------------------------------------------


def clean_filename(name: str) -> str:
    """A safe file name to store and to send in Content-Disposition, or a ValidationError.
    Folders and ".." are refused (never silently dropped: the uploader should know), as
    are control characters; characters that some systems reserve become "_"."""
    name = unicodedata.normalize("NFC", str(name or "")).strip()
    if not name:
        raise _error(_("The file has no name."), "filename_missing")
    if "/" in name or "\\" in name or name in {".", ".."} or name.startswith(".."):
        raise _error(
            _("The file name “%s” contains a folder path. Upload the file under its own name.")
            % name[:80],
            "filename_path",
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise _error(_("The file name contains control characters."), "filename_control")
    name = _UNSAFE_NAME_CHARS.sub("_", name).lstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip(" ._"):
        raise _error(
            _("The file name needs a name and an extension, like “toolkit.pdf”."),
            "filename_extension",
        )
    ext = ext.lower()
    stem = re.sub(r"\s+", " ", stem).strip()[: MAX_FILENAME_CHARS - len(ext) - 1].rstrip(" .")
    return f"{stem}.{ext}"


# --- content ---------------------------------------------------------------------------------


def _read_head(file: IO[bytes]) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _sha256_and_size(file: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def _refuse_programs(head: bytes, guess) -> None:
    program = None
    if guess is not None and guess.extension in _PROGRAM_KINDS:
        program = _PROGRAM_KINDS[guess.extension]
    elif head.startswith(_MACHO_MAGIC):
        program = _("a macOS or Java program")
    elif head.startswith(b"#!"):
        program = _("a script")
    if program:
        raise _error(
            _("This file is %(what)s, not a document. The library accepts: %(types)s.")
            % {"what": program, "types": allowed_types_text()},
            "executable",
        )


def detect_type(file: IO[bytes], head: bytes, extension: str) -> FileType:
    """The real type of `file` from its content (never from its name alone)."""
    guess = filetype.guess(head)
    _refuse_programs(head, guess)
    known = guess is not None and (
        guess.extension in _MAGIC_KINDS
        or guess.extension in _ZIP_KINDS
        or guess.extension in _LEGACY_OFFICE
    )
    if extension == "csv" and not known:
        # CSV has no magic bytes (and text can begin like some media signature)
        _check_csv(file)
        return FILE_TYPES["csv"]
    if head.startswith(_OLE_MAGIC) or (guess is not None and guess.extension in _LEGACY_OFFICE):
        raise _error(
            _(
                "Older Office files (.doc, .xls, .ppt) are not accepted. Save it in the "
                "current format (.docx, .xlsx or .pptx) or as PDF and upload that."
            ),
            "legacy_office",
        )
    if guess is None:
        raise _error(
            _("The content of this file was not recognised. The library accepts: %s.")
            % allowed_types_text(),
            "unknown_type",
        )
    if guess.extension in _MAGIC_KINDS:
        kind = FILE_TYPES[_MAGIC_KINDS[guess.extension]]
        if kind.key == "pdf":
            _check_pdf(file)
        return kind
    if guess.extension in _ZIP_KINDS:
        return _check_zip_container(file)
    raise _error(
        _("This file is a %(mime)s file, which the library does not accept. It accepts: %(types)s.")
        % {"mime": guess.mime, "types": allowed_types_text()},
        "type_not_allowed",
    )


def _check_pdf(file: IO[bytes]) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    damaged = _error(
        _("This PDF is damaged or incomplete and cannot be opened. Export it again and retry."),
        "corrupt_pdf",
    )
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - PDF_TAIL_BYTES))
    tail = file.read()
    file.seek(0)
    if b"%%EOF" not in tail:
        raise damaged
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            raise _error(
                _("This PDF is password-protected. Upload a copy without a password."),
                "encrypted_pdf",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise damaged from exc
    finally:
        file.seek(0)
    if pages < 1:
        raise damaged


def _zip_member_problem(info: zipfile.ZipInfo) -> str | None:
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", info.filename):
        return _("contains a file with an unsafe path (%s)") % info.filename[:80]
    if path.suffix.lower().lstrip(".") in _PROGRAM_EXTENSIONS:
        return _("contains a program (%s)") % path.name[:80]
    if info.flag_bits & 0x1:
        return _("is password-protected")
    return None


def _check_zip_container(file: IO[bytes]) -> FileType:
    damaged = _error(_("This ZIP-based file is damaged and cannot be opened."), "corrupt_zip")
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged from exc
    finally:
        file.seek(0)
    file.seek(0, 2)
    packed = max(file.tell(), 1)
    file.seek(0)
    unpacked = sum(i.file_size for i in infos)
    if len(infos) > MAX_ZIP_MEMBERS or unpacked > MAX_UNZIPPED_BYTES:
        raise _error(_("This archive unpacks to too many or too large files."), "zip_too_large")
    if unpacked > packed * MAX_ZIP_RATIO and unpacked > 10 * 1024 * 1024:
        raise _error(_("This archive unpacks to an implausible size."), "zip_bomb")
    for info in infos:
        problem = _zip_member_problem(info)
        if problem:
            raise _error(_("This archive %s.") % problem, "zip_unsafe")
    if "[Content_Types].xml" in names:
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise _error(
                _("This Office file contains macros. Save it without macros and retry."),
                "office_macros",
            )
        for key, part in _OOXML_PARTS.items():
            if part in names:
                return FILE_TYPES[key]
        raise _error(
            _("This Office file is incomplete (its main part is missing)."), "corrupt_office"
        )
    return FILE_TYPES["zip"]


def _check_csv(file: IO[bytes]) -> None:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    sample = ""
    file.seek(0)
    try:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            text = decoder.decode(chunk)
            if len(sample) < CSV_SAMPLE_BYTES:
                sample += text[: CSV_SAMPLE_BYTES - len(sample)]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _error(
            _("This CSV file is not UTF-8 text. In Excel, save it as “CSV UTF-8”."), "csv_encoding"
        ) from exc
    finally:
        file.seek(0)
    if any(
        ch == "\x00" or (unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f") for ch in sample
    ):
        raise _error(_("This file contains binary data, not CSV text."), "csv_binary")
    if sample.lstrip().startswith("<"):
        raise _error(_("This file looks like a web page or XML, not CSV."), "csv_markup")
    lines = sample.splitlines()
    if len(sample) >= CSV_SAMPLE_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the sample may end inside a row
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise _error(_("This CSV file has no rows."), "csv_empty")
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        for _row in csv.reader(lines, dialect=dialect, strict=True):
            pass
    except csv.Error as exc:
        raise _error(_("This CSV file cannot be read: %s.") % exc, "csv_invalid") from exc


def _check_size(size: int | None) -> None:
    limit = settings.RESOURCES_MAX_UPLOAD_BYTES
    if size is not None and size > limit:
        raise _error(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            "too_large",
        )
    if size == 0:
        raise _error(_("The file is empty."), "empty")


def validate_upload(file, *, name: str | None = None) -> CheckedFile:
    """Check an uploaded file (any Django File or file-like object with a name) and
    return what was found, or raise ValidationError with a message for the uploader.
    Nothing is stored here."""
    filename = clean_filename(name if name is not None else getattr(file, "name", ""))
    _check_size(getattr(file, "size", None))  # before reading anything
    sha256, size = _sha256_and_size(file)
    _check_size(size)
    extension = filename.rsplit(".", 1)[1]
    file_type = detect_type(file, _read_head(file), extension)
    if file_type.key not in settings.RESOURCES_ALLOWED_FILE_TYPES:
        raise _error(
            _("%(label)s files are not accepted here. The library accepts: %(types)s.")
            % {"label": file_type.label, "types": allowed_types_text()},
            "type_not_allowed",
        )
    if extension not in file_type.extensions:
        raise _error(
            _(
                "This file is a %(label)s but its name ends in “.%(ext)s”. "
                "Rename it to end in “.%(expected)s” and upload it again."
            )
            % {"label": file_type.label, "ext": extension, "expected": file_type.extensions[0]},
            "extension_mismatch",
        )
    file.seek(0)
    return CheckedFile(filename=filename, file_type=file_type, size=size, sha256=sha256)
