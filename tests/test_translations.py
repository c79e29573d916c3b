"""Every catalogue is complete: each message has a Chinese translation and none is marked fuzzy."""

import re
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(p for p in BASE.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def _entries(text):
    for block in text.split("\n\n"):
        if "msgid " not in block:
            continue
        msgid = "".join(re.findall(r'^(?:msgid |)"(.*)"$', block.split("msgstr")[0], flags=re.M))
        if msgid == "":
            continue  # the header
        msgstrs = re.split(r"^msgstr(?:\[\d\])? ", block, flags=re.M)[1:]
        yield msgid, block, ["".join(re.findall(r'"(.*)"', s)) for s in msgstrs]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def test_catalogue_is_complete(catalogue):
    text = catalogue.read_text(encoding="utf-8")
    missing = [msgid for msgid, block, strs in _entries(text) if not all(strs)]
    fuzzy = [msgid for msgid, block, strs in _entries(text) if "#, fuzzy" in block]
    assert not missing, f"untranslated in {catalogue}: {missing[:10]}"
    assert not fuzzy, f"fuzzy in {catalogue}: {fuzzy[:10]}"
    # The compiled catalogue holds the same messages (the count is the .mo header's third word).
    mo = catalogue.with_suffix(".mo")
    assert mo.exists(), f"{mo} is not compiled"
    compiled = int.from_bytes(mo.read_bytes()[8:12], "little")
    assert compiled == len(list(_entries(text))) + 1, f"{mo} is stale: run scripts/messages"


def test_the_project_catalogue_exists():
    assert BASE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def test_no_double_negative_about_places(catalogue):
    """ "不在您可管理的辖区之外" (not outside the places you manage) said the opposite of what the import meant."""
    text = catalogue.read_text(encoding="utf-8")
    wrong = [strs for _msgid, _block, strs in _entries(text) for s in strs if re.search(r"不在[^。；]*之外", s)]
    assert not wrong, wrong
