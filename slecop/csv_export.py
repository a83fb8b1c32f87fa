"""The one CSV writer of the portal. Every CSV it makes (staff exports, survey results,
election results and ballots, the network's indicators, the demo library's sample files)
is written here, so every cell goes through the same formula neutraliser: a cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula by a
spreadsheet (CSV injection) and is prefixed with an apostrophe instead."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.http import StreamingHttpResponse
from django.utils import timezone

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line: csv.writer then yields lines."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value) -> str | int:
    """A value as a CSV cell that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The header and rows as CSV lines (CRLF-terminated), every cell neutralised."""
    writer = csv.writer(_Echo())
    yield writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]):
    """A streamed CSV download: UTF-8 with a byte-order mark (so spreadsheet programs read
    names correctly), rows read lazily from `rows` (a queryset iterator keeps memory flat)."""

    def stream() -> Iterator[str]:
        yield "\ufeff"
        yield from csv_lines(header, rows)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_bytes(rows: list[list]) -> bytes:
    """A small CSV file in memory (UTF-8, no byte-order mark), e.g. a sample download."""
    out = io.StringIO()
    for line in csv_lines(rows[0] if rows else [], rows[1:]):
        out.write(line)
    return out.getvalue().encode("utf-8") if rows else b""
