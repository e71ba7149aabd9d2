"""Re-extracting the messages with `scripts/translations` keeps every message the code uses:
each area's babel.cfg names the lazy keywords (lazy_gettext, _l) the forms use."""
import os
import subprocess

from babel.messages.pofile import read_po

from tests.web.test_translations import AREAS, CATALOGUED, ROOT, msgids


def _extracted(tmp_path, *areas):
    env = dict(os.environ, POT_DIR=str(tmp_path))
    subprocess.run(["bash", "scripts/translations", "extract", *areas], cwd=ROOT, env=env,
                   check=True, capture_output=True, text=True)
    found = {}
    for area in areas:
        with (tmp_path / f"{area}.pot").open("rb") as f:
            found[area] = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    return found


def test_extraction_keeps_every_message_of_every_area(tmp_path):
    areas = [a for a in AREAS if a in CATALOGUED]
    found = _extracted(tmp_path, *areas)
    lost = {area: sorted(set(msgids(area)) - found[area]) for area in areas}
    assert {area: ids for area, ids in lost.items() if ids} == {}
    assert sum(len(ids) for ids in found.values()) > 500  # the check looks at real catalogues


def test_lazily_translated_form_labels_are_extracted(tmp_path):
    # web/profile/forms.py labels its fields with lazy_gettext (as _l)
    assert "Enterprise name" in _extracted(tmp_path, "profile")["profile"]


def test_an_unknown_area_is_refused(tmp_path):
    out = subprocess.run(["bash", "scripts/translations", "extract", "nowhere"], cwd=ROOT,
                         env=dict(os.environ, POT_DIR=str(tmp_path)), capture_output=True, text=True)
    assert out.returncode == 2 and "no translations/nowhere/babel.cfg" in out.stderr
