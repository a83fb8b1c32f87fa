"""Email subjects are plain text: a name with quotes or an ampersand reads as typed,
never as `&quot;` or `&amp;` (subjects were rendered with HTML autoescaping)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from slecop.mail import render_subject

ROOT = Path(__file__).resolve().parents[1]
NAME = 'Kids & "STEM" O\'Hare'
SUBJECT_TEMPLATES = sorted(
    p
    for p in ROOT.glob("*/templates/**/email/*_subject.txt")
    if ".venv" not in p.parts and "tests" not in p.parts
)


class Anything(str):
    """Any attribute of any object in the context (templates look keys up first): the
    awkward name again."""

    def __new__(cls):
        return super().__new__(cls, NAME)

    def __getitem__(self, key):
        if isinstance(key, str):
            return Anything()
        return super().__getitem__(key)


def test_every_subject_template_is_checked():
    assert len(SUBJECT_TEMPLATES) >= 30


@pytest.mark.parametrize("path", SUBJECT_TEMPLATES, ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["en", "es"])
def test_an_email_subject_shows_a_name_with_quotes_and_ampersand_as_typed(path, language):
    source = path.read_text()
    names = set(re.findall(r"[A-Za-z_]\w*", source))
    context = {name: Anything() for name in names}
    template = str(path.relative_to(path.parents[2]).with_suffix("")).removesuffix("_subject")
    with translation.override(language):
        subject = render_subject(template, context)
    assert "&quot;" not in subject and "&amp;" not in subject and "&#x27;" not in subject
    assert "\n" not in subject
    if "{{" in source or "with " in source:
        assert NAME in subject, subject
