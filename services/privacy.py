"""The privacy notice and the retention rules, as data (data/privacy.yaml, data/retention.yaml),
checked on load: every problem names the file and the path in it."""
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from diagnosis.reader import safe_load

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Kept:
    """A kind of record kept after an enterprise's deletion, and for how many days."""

    id: str
    days: int
    name: dict
    why: dict


def _texts(value, where, problems) -> dict:
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k]
                                              for k in ("zh", "en")):
        problems.append(f"{where}: needs zh and en texts")
        return {"zh": "", "en": ""}
    return {"zh": value["zh"], "en": value["en"]}


@lru_cache(maxsize=2)
def retention(path=DATA / "retention.yaml") -> dict:
    """{kind: Kept} of data/retention.yaml; ValueError naming every problem."""
    raw = safe_load(Path(path).read_text(encoding="utf-8")) or {}
    problems, kept = [], {}
    for kind, spec in (raw.get("kept") or {}).items():
        where = f"{path}: kept.{kind}"
        spec = spec if isinstance(spec, dict) else {}
        days = spec.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            problems.append(f"{where}.days: must be a whole number of days, 0 or more")
            days = 0
        kept[kind] = Kept(kind, days, _texts(spec.get("name"), f"{where}.name", problems),
                          _texts(spec.get("why"), f"{where}.why", problems))
    missing = {"signed_on_site_reports", "accepted_projects", "audit_records"} - set(kept)
    problems += [f"{path}: kept.{kind}: missing" for kind in sorted(missing)]
    if problems:
        raise ValueError("\n".join(problems))
    return kept


@lru_cache(maxsize=2)
def deleted_now(path=DATA / "retention.yaml") -> list[dict]:
    """[{zh, en}]: what goes at once with a deleted enterprise (data/retention.yaml `deleted`)."""
    raw = safe_load(Path(path).read_text(encoding="utf-8")) or {}
    problems: list[str] = []
    items = [_texts(item, f"{path}: deleted[{i}]", problems)
             for i, item in enumerate(raw.get("deleted") or [])]
    if problems or not items:
        raise ValueError("\n".join(problems) or f"{path}: deleted: none")
    return items


@lru_cache(maxsize=2)
def notice(path=DATA / "privacy.yaml") -> list[dict]:
    """[{title, body}] ({zh, en} each) of the privacy notice."""
    raw = safe_load(Path(path).read_text(encoding="utf-8")) or {}
    problems, sections = [], []
    for i, section in enumerate(raw.get("sections") or []):
        section = section if isinstance(section, dict) else {}
        sections.append({"title": _texts(section.get("title"), f"{path}: sections[{i}].title",
                                         problems),
                         "body": _texts(section.get("body"), f"{path}: sections[{i}].body",
                                        problems)})
    if problems or not sections:
        raise ValueError("\n".join(problems) or f"{path}: sections: none")
    return sections
