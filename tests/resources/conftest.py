from __future__ import annotations

from pathlib import Path

import pytest

from resources.storage import private_media_root


@pytest.fixture
def stored_files():
    """The files in the private library storage, as a sorted list of relative paths."""

    def files() -> list[str]:
        root = Path(private_media_root())
        if not root.exists():
            return []
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    return files
