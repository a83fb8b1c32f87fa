"""Run the renewals cycle for one day and print what it did:

manage.py run_renewals                       # today
manage.py run_renewals --date 2027-02-07     # a given day (catches up as the task does)
manage.py run_renewals --date 2027-02-07 --dry-run   # show, store nothing, send nothing
"""

from __future__ import annotations

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from renewals.services import Progress, renewal_run_day


class TerminalProgress(Progress):
    """A progress bar per step, only when the output is a terminal."""

    def __init__(self, stream):
        self.stream = stream
        self.bar = None

    def start(self, label: str, total: int) -> None:
        self.close()
        self.bar = tqdm(total=total, desc=label, file=self.stream, leave=False)

    def advance(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = "Run the yearly dues cycle (invoices, reminders, lapses, digest) for one day."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="compute and print, store and send nothing"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        on = self._parse(options.get("date"))
        progress = TerminalProgress(sys.stderr) if sys.stderr.isatty() else Progress()
        try:
            report = renewal_run_day(on=on, dry_run=dry_run, progress=progress)
        finally:
            if isinstance(progress, TerminalProgress):
                progress.close()
        if dry_run:
            self.stdout.write("DRY RUN — nothing was stored or sent.")
        for line in report.lines():
            self.stdout.write(line)

    @staticmethod
    def _parse(value: str | None):
        if not value:
            return timezone.localdate()
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc
