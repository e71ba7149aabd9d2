"""Moving drafts of a superseded instrument version to the latest one.

A draft started on an older version (e.g. cn-sme-2024 1.0.0) moves to the latest version
through the answer mapping between the two (questionnaires/mappings/): answers that map are
carried over, the rest are asked again with the old answer shown, and every question of the
new version gets its note (`assessments.answer_notes`) until the person saves it. Submitted
assessments never move: their result keeps the version it was scored with.

Plain values in (the questionnaires folder, assessment ids), counts out; one transaction each.
"""
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from diagnosis import visible_ids
from diagnosis.mapping import ANSWER_AGAIN, CARRIED_OVER, NEW_QUESTION, map_answers
from diagnosis.mapping_loader import load_mappings
from services.assessments import profile_of
from services.instrument_registry import instruments
from services.errors import DomainError
from storage.db import db_session, transaction
from storage.models import Assessment

# The notes a draft keeps: "you had not answered it before either" needs no note.
KEPT_NOTES = (CARRIED_OVER, ANSWER_AGAIN, NEW_QUESTION)


class NoMapping(DomainError):
    """A draft's version is superseded but no mapping leads to the latest version."""

    code = "no_mapping"

    def __str__(self):
        p = self.params
        return (f"no answer mapping from {p.get('instrument')} {p.get('version')} to "
                f"{p.get('latest')}: add one under questionnaires/mappings/")


@dataclass(frozen=True)
class UpgradeCounts:
    drafts: int = 0
    carried_over: int = 0
    answer_again: int = 0
    new_questions: int = 0

    def __add__(self, other):
        return UpgradeCounts(*(a + b for a, b in zip(
            (self.drafts, self.carried_over, self.answer_again, self.new_questions),
            (other.drafts, other.carried_over, other.answer_again, other.new_questions))))


@lru_cache(maxsize=4)
def _mappings(directory):
    return load_mappings(Path(directory) / "mappings", instruments(directory))


def mappings(directory):
    """The answer mappings of the questionnaires folder (loaded once)."""
    return _mappings(str(Path(directory)))


def needs_upgrade(registry, instrument_id, version):
    """Whether a draft on this version should move to a newer one."""
    latest = registry.get(instrument_id)
    return latest is not None and latest.version != version


def _upgrade(row, directory):
    """Move one draft row (in the session) to the latest version; its counts."""
    registry = instruments(directory)
    source = registry.version(row.instrument_id, row.instrument_version)
    target = registry.get(row.instrument_id)
    mapping = mappings(directory).get((row.instrument_id, row.instrument_version, target.id, target.version))
    if source is None or mapping is None:
        raise NoMapping(instrument=row.instrument_id, version=row.instrument_version, latest=target.version)
    mapped = map_answers(mapping, source, target, dict(row.answers or {}))
    profile = profile_of(row.enterprise_id)
    shown = visible_ids(target, mapped.answers, profile)
    row.answers = {qid: value for qid, value in mapped.answers.items() if qid in shown}
    row.answer_notes = {qid: note for qid, note in mapped.notes.items()
                        if note["code"] in KEPT_NOTES and qid in shown}
    row.instrument_version = target.version
    codes = [n["code"] for n in row.answer_notes.values()]
    return UpgradeCounts(1, codes.count(CARRIED_OVER), codes.count(ANSWER_AGAIN), codes.count(NEW_QUESTION))


# A new draft started from a submitted assessment: "from your last assessment — check it".
FROM_LAST = "from_last_assessment"


def targets_of(directory, instrument_id, version):
    """Ids of the instruments a submitted assessment of this version can start, with answers
    carried over: its own instrument (when a mapping leads to its latest version, or it is the
    latest) and those a mapping leads to (e.g. the quick check → the national index)."""
    registry = instruments(directory)
    found = []
    latest = registry.get(instrument_id)
    if latest is not None and (latest.version == version or (instrument_id, version, instrument_id,
                                                             latest.version) in mappings(directory)):
        found.append(instrument_id)
    for (sid, sver, tid, tver) in mappings(directory):
        target = registry.get(tid)
        if (sid, sver) == (instrument_id, version) and tid != instrument_id and target is not None \
                and target.version == tver:
            found.append(tid)
    return found


def carried_answers(directory, source, target):
    """(answers, notes) for a new draft of `target` from a submitted assessment `source` (the
    dict services.assessments gives) of the same enterprise: the same version's answers as
    they are, each noted "from your last assessment"; another version's or instrument's
    through its mapping, with the mapping's notes. Raises NoMapping when none leads there."""
    registry = instruments(directory)
    answers = dict(source["answers"] or {})
    profile = profile_of(source["enterprise_id"])
    if (source["instrument_id"], source["instrument_version"]) == (target.id, target.version):
        shown = visible_ids(target, answers, profile)
        kept = {qid: value for qid, value in answers.items() if qid in shown}
        return kept, {qid: {"code": FROM_LAST} for qid in kept}
    key = (source["instrument_id"], source["instrument_version"], target.id, target.version)
    mapping = mappings(directory).get(key)
    origin = registry.version(source["instrument_id"], source["instrument_version"])
    if mapping is None or origin is None:
        raise NoMapping(instrument=source["instrument_id"], version=source["instrument_version"],
                        latest=f"{target.id} {target.version}")
    mapped = map_answers(mapping, origin, target, answers)
    shown = visible_ids(target, mapped.answers, profile)
    return ({qid: value for qid, value in mapped.answers.items() if qid in shown},
            {qid: note for qid, note in mapped.notes.items() if note["code"] in KEPT_NOTES and qid in shown})


def upgrade_draft(assessment_id, directory):
    """Move one draft to its instrument's latest version (nothing when it is on it already,
    or submitted); one transaction. Raises NoMapping when no mapping leads there."""
    with transaction():
        row = db_session.get(Assessment, assessment_id, populate_existing=True)
        if row is None or row.status != "draft" or not needs_upgrade(
                instruments(directory), row.instrument_id, row.instrument_version):
            return UpgradeCounts()
        return _upgrade(row, directory)


def upgrade_all_drafts(directory):
    """Move every draft of a superseded version to the latest, all in one transaction (a
    missing mapping stops it before anything is written); the total counts."""
    registry = instruments(directory)
    total = UpgradeCounts()
    with transaction():
        drafts = db_session.scalars(select(Assessment).where(Assessment.status == "draft")
                                    .order_by(Assessment.id)).all()
        for row in drafts:
            if needs_upgrade(registry, row.instrument_id, row.instrument_version):
                total = total + _upgrade(row, directory)
    return total
