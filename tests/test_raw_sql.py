"""Every hand-written statement outside the ORM is on the allow-list in docs/portal.md
("Raw SQL: the allow-list"), with why the ORM cannot say it. Reads on requests go through
the ORM: nothing is PREPAREd, so a migration that changes a column type never breaks a
worker's kept connection."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = re.compile(r"cursor\(\)|\.raw\(|\bRawSQL\b|\.extra\(")
SKIP = {".venv", "tests", "node_modules", ".git", "__pycache__"}
ROW = re.compile(r"^\| `(?P<path>[^`]+)` \| (?P<count>\d+) \| .+\|$")


def raw_sql_uses() -> Counter:
    """{path: number of lines with a raw-SQL entry point} in the project's own code."""
    found: Counter = Counter()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIP & set(relative.parts):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if RAW.search(line):
                found[relative.as_posix()] += 1
    return found


def allow_list() -> Counter:
    text = (ROOT / "docs" / "portal.md").read_text(encoding="utf-8")
    section = text.split("## Raw SQL: the allow-list", 1)[1].split("\n## ", 1)[0]
    allowed: Counter = Counter()
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            allowed[match["path"]] += int(match["count"])
    return allowed


def test_every_raw_statement_is_on_the_allow_list_with_why():
    allowed = allow_list()
    assert allowed, "docs/portal.md has no allow-list rows"
    assert raw_sql_uses() == allowed


def test_nothing_prepares_statements():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if SKIP & set(relative.parts):
            continue
        assert "PREPARE " not in path.read_text(encoding="utf-8"), relative
