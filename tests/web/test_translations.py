"""Every msgid in each area's Python and templates has a Chinese translation.

An area's sources are the paths on the `# pybabel extract ... -o FILE PATH...` line that opens
translations/<area>/babel.cfg, or else web/<area> and templates/<area>.
"""
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUED = sorted(p.name for p in (ROOT / "translations").iterdir() if p.is_dir())
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2), "_n": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def sources(area: str) -> list[Path]:
    cfg = ROOT / "translations" / area / "babel.cfg"
    first = cfg.read_text(encoding="utf-8").splitlines()[0] if cfg.exists() else ""
    if first.startswith("# pybabel extract") and " -o " in first:
        paths = first.split(" -o ", 1)[1].split()[1:]
    else:
        paths = [f"web/{area}", f"templates/{area}"]
    return [ROOT / p for p in paths if (ROOT / p).exists()]


def _areas() -> list[str]:
    """Areas with a catalogue, plus any web/<package> no catalogue's sources cover (so a new
    blueprint without translations fails instead of going unchecked)."""
    claimed = {p for area in CATALOGUED for p in sources(area)}
    loose = [p.name for p in sorted((ROOT / "web").iterdir())
             if p.is_dir() and (p / "__init__.py").exists() and p not in claimed]
    return sorted(set(CATALOGUED) | set(loose))


def msgids(area: str) -> dict[str, str]:
    """msgid -> where it was found (first place)."""
    found = {}
    for path in sources(area):
        if path.is_dir():
            items = ((fn, msg) for fn, _line, msg, _c, _ctx in
                     extract_from_dir(path, METHODS, keywords=KEYWORDS))
            items = ((f"{path.relative_to(ROOT)}/{fn}", msg) for fn, msg in items)
        else:
            method = "python" if path.suffix == ".py" else "jinja2"
            items = ((str(path.relative_to(ROOT)), msg) for _l, msg, _c, _ctx in
                     extract_from_file(method, path, keywords=KEYWORDS))
        for where, msg in items:
            singular = msg[0] if isinstance(msg, tuple) else msg  # plurals are keyed by it
            if singular:
                found.setdefault(singular, where)
    return found


AREAS = _areas()


def catalogue(area: str):
    po = ROOT / "translations" / area / "zh_CN" / "LC_MESSAGES" / "messages.po"
    assert po.exists(), f"{po.relative_to(ROOT)} is missing"
    with po.open("rb") as f:
        return read_po(f, locale="zh_CN")


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("area", AREAS)
def test_every_message_of_the_area_has_a_chinese_translation(area):
    found = msgids(area)
    assert found, f"no messages found in the sources of {area}: {sources(area)}"
    cat = catalogue(area)
    missing = []
    for msgid, where in sorted(found.items()):
        message = cat.get(msgid)
        text = message and (message.string if isinstance(message.string, str)
                            else message.string[0])
        if not text or message.fuzzy:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, f"{area}: untranslated in zh_CN:\n" + "\n".join(missing)


@pytest.mark.parametrize("area", CATALOGUED)
def test_the_catalogue_is_not_marked_fuzzy_so_it_compiles(area):
    # pybabel compile skips a catalogue whose header is marked fuzzy (quietly with -q): the
    # area's pages would then be English on the Chinese side.
    assert not catalogue(area).fuzzy, (
        f"{area}: the header of zh_CN/messages.po is marked '#, fuzzy'; remove the mark")


@pytest.mark.parametrize("area", AREAS)
def test_translations_keep_the_placeholders(area):
    wrong = []
    for message in catalogue(area):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if any(_placeholders(s) != _placeholders(ids[0]) for s in strings if s):
            wrong.append(repr(ids[0]))
    assert not wrong, f"{area}: placeholders differ in zh_CN:\n" + "\n".join(wrong)


def test_the_checker_notices_a_missing_translation(tmp_path, monkeypatch):
    # Proves the test above can fail: a fresh message in a fresh area is reported.
    area = tmp_path / "translations" / "demo" / "zh_CN" / "LC_MESSAGES"
    area.mkdir(parents=True)
    (area / "messages.po").write_text('msgid "Known"\nmsgstr "已知"\n', encoding="utf-8")
    (tmp_path / "web" / "demo").mkdir(parents=True)
    (tmp_path / "web" / "demo" / "v.py").write_text('_("Known")\n_("Brand new")\n',
                                                    encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="Brand new"):
        test_every_message_of_the_area_has_a_chinese_translation("demo")


def clashes(areas: list[str]) -> list[str]:
    """msgids translated differently in two areas' catalogues."""
    seen: dict[tuple, dict[str, str]] = {}
    for area in areas:
        for message in catalogue(area):
            if not message.id or not message.string:
                continue
            singular = message.id[0] if isinstance(message.id, tuple) else message.id
            text = message.string[0] if isinstance(message.string, tuple) else message.string
            seen.setdefault((message.context, singular), {})[area] = text
    return [f"{key[1]!r}: {by_area}" for key, by_area in sorted(seen.items(), key=str)
            if len(set(by_area.values())) > 1]


def test_one_english_text_has_one_chinese_text_in_every_area():
    # The areas' catalogues are merged at run time, so a msgid translated two ways would show
    # whichever catalogue loaded first; give such texts distinct msgids instead.
    found = clashes(CATALOGUED)
    assert not found, "translated differently across areas:\n" + "\n".join(found)


def test_the_checker_notices_a_clash_between_areas(tmp_path, monkeypatch):
    for area, text in (("one", "满足"), ("two", "已满足")):
        po = tmp_path / "translations" / area / "zh_CN" / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True)
        po.write_text(f'msgid "met"\nmsgstr "{text}"\n', encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert clashes(["one", "two"]) == ["'met': {'one': '满足', 'two': '已满足'}"]
