"""Reference lists: GB/T 4754 industries, the city's districts and its priority industries.

All are data files, validated on load (messages name file, path, problem) and
cached per path. Everyday words for the industries (五金, 服装, software …) live beside the
industry file, in `<name>-keywords.yaml` (optional), so the picker finds them.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from diagnosis.reader import safe_load


class ReferenceDataError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Industries:
    sections: tuple[dict, ...]  # {"code", "name": {zh, en}, "divisions": ({"code", "name"},)}
    names: dict  # any code (section or division) -> {zh, en}
    keywords: dict = None  # division code -> {"zh": [words], "en": [words]}

    def section_of(self, code: str | None) -> dict | None:
        letter = (code or "")[:1]
        return next((s for s in self.sections if s["code"] == letter), None)


def _read(path: Path):
    try:
        return safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ReferenceDataError([f"{path}: cannot read: {err}"]) from None


def _name(raw, where, problems) -> dict:
    if not (isinstance(raw, dict) and isinstance(raw.get("zh"), str) and raw["zh"]
            and isinstance(raw.get("en"), str) and raw["en"]):
        problems.append(f"{where}: needs non-empty zh and en names")
        return {"zh": "", "en": ""}
    return {"zh": raw["zh"], "en": raw["en"]}


@lru_cache(maxsize=8)
def load_industries(path) -> Industries:
    path = Path(path)
    raw, problems, sections, names = _read(path), [], [], {}
    if not isinstance(raw, dict) or not isinstance(raw.get("sections"), list):
        raise ReferenceDataError([f"{path}: sections: missing (a list of 门类)"])
    for i, sec in enumerate(raw["sections"]):
        where = f"{path}: sections[{i}]"
        code = sec.get("code") if isinstance(sec, dict) else None
        if not (isinstance(code, str) and len(code) == 1 and code.isalpha()):
            problems.append(f"{where}.code: must be one letter")
            continue
        divisions = []
        for j, div in enumerate(sec.get("divisions") or []):
            dcode = div.get("code") if isinstance(div, dict) else None
            if not (isinstance(dcode, str) and dcode.startswith(code) and dcode[1:].isdigit()):
                problems.append(f"{where}.divisions[{j}].code: must be {code} and digits")
                continue
            if dcode in names:
                problems.append(f"{where}.divisions[{j}].code: {dcode} appears twice")
            extra = sorted(str(k) for k in div if k not in ("code", "zh", "en"))
            if extra:  # e.g. an unquoted name with commas in a {…} mapping, split into keys
                problems.append(f"{where}.divisions[{j}]: unknown keys {', '.join(extra)} "
                                f"(quote a name that contains commas)")
            names[dcode] = _name(div, f"{where}.divisions[{j}]", problems)
            divisions.append({"code": dcode, "name": names[dcode]})
        if not divisions:
            problems.append(f"{where}.divisions: must list at least one 大类")
        names[code] = _name(sec, where, problems)
        sections.append({"code": code, "name": names[code], "divisions": tuple(divisions)})
    keywords = _keywords(path.with_name(f"{path.stem}-keywords.yaml"), names, problems)
    if problems:
        raise ReferenceDataError(problems)
    return Industries(tuple(sections), names, keywords)


def _keywords(path: Path, names, problems) -> dict:
    """{division code: {"zh": [...], "en": [...]}} from the keywords file, if there is one."""
    if not path.exists():
        return {}
    raw = _read(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("keywords"), dict):
        problems.append(f"{path}: keywords: missing (division code → {{zh: [words], en: [words]}})")
        return {}
    found = {}
    for code, words in raw["keywords"].items():
        where = f"{path}: keywords.{code}"
        if code not in names or len(str(code)) < 2:
            problems.append(f"{where}: not a division of the industry list")
            continue
        if not (isinstance(words, dict) and set(words) == {"zh", "en"} and all(
                isinstance(w, list) and w and all(isinstance(x, str) and x.strip() for x in w)
                for w in words.values())):
            problems.append(f"{where}: needs non-empty zh and en lists of words")
            continue
        found[code] = {"zh": list(words["zh"]), "en": list(words["en"])}
    return found


@lru_cache(maxsize=8)
def load_districts(path) -> tuple[dict, ...]:
    """({"value": stored zh name, "name": {zh, en}}, ...)"""
    path = Path(path)
    raw, problems, out = _read(path), [], []
    if not isinstance(raw, dict) or not isinstance(raw.get("districts"), list):
        raise ReferenceDataError([f"{path}: districts: missing (a list of {{zh, en}})"])
    for i, item in enumerate(raw["districts"]):
        name = _name(item, f"{path}: districts[{i}]", problems)
        if any(d["value"] == name["zh"] for d in out):
            problems.append(f"{path}: districts[{i}]: {name['zh']} appears twice")
        out.append({"value": name["zh"], "name": name})
    if problems:
        raise ReferenceDataError(problems)
    return tuple(out)


PRIORITY_ID = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


@lru_cache(maxsize=8)
def load_priority_industries(path, industries_path) -> tuple[dict, ...]:
    """The city's priority industries (Art. 16): ({"id", "name": {zh, en}, "codes": (GB/T
    4754 codes,)}, ...); every code must be in the industry list at `industries_path`."""
    path = Path(path)
    known = load_industries(str(industries_path)).names
    raw, problems, out = _read(path), [], []
    if not isinstance(raw, dict) or not isinstance(raw.get("groups"), list) or not raw["groups"]:
        raise ReferenceDataError([f"{path}: groups: missing (a list of priority industries)"])
    for i, item in enumerate(raw["groups"]):
        where = f"{path}: groups[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        group_id = item.get("id")
        if not (isinstance(group_id, str) and PRIORITY_ID.match(group_id)) or group_id == "all":
            problems.append(f"{where}.id: lower-case letters, digits and hyphens, not 'all'")
        elif any(group["id"] == group_id for group in out):
            problems.append(f"{where}.id: {group_id} appears twice")
        codes = item.get("codes")
        if not (isinstance(codes, list) and codes):
            problems.append(f"{where}.codes: must list GB/T 4754 codes")
            codes = []
        for j, code in enumerate(codes):
            if code not in known:
                problems.append(f"{where}.codes[{j}]: {code} is not in {industries_path}")
        if len(set(map(str, codes))) < len(codes):
            problems.append(f"{where}.codes: a code appears twice")
        out.append({"id": group_id, "name": _name(item, where, problems),
                    "codes": tuple(map(str, codes))})
    if problems:
        raise ReferenceDataError(problems)
    return tuple(out)
