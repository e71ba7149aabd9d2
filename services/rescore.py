"""What-if rescoring: how the level distribution of stored assessments would change under a
changed instrument file, without changing any stored result (the batch scoring engine's job).

Reads each enterprise's latest submitted assessment of the instrument's current version in
chunks, scores the chunk as arrays with the changed instrument and counts level moves.
"""
from collections import Counter

from sqlalchemy import select

from diagnosis import AnswerError, compile_instrument, stack
from services.profile import PROFILE_COLUMNS, core_profile
from storage import aggregate_summary
from storage.db import db_read
from storage.models import Assessment, Enterprise

CHUNK = 5000


def what_if(changed, version, chunk=CHUNK):
    """{instrument, stored_version, file_version, assessments, unscorable, before, after,
    moves} for the changed Instrument `changed` against the stored `version`'s results.

    before/after: level id → count; moves: "from→to" → count (only where the level changes).
    Reads only; a session that only reads commits nothing.
    """
    compiled = compile_instrument(changed)
    ranks = {lv.rank: lv.id for lv in changed.levels}
    columns = [getattr(Enterprise, column) for column in PROFILE_COLUMNS]
    stmt = (select(Assessment.answers, Assessment.level_id, *columns)
            .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
            .where(Assessment.instrument_id == changed.id,
                   Assessment.instrument_version == version,
                   *aggregate_summary.counted(None, "all"))  # each enterprise's latest now
            .order_by(Assessment.id)
            .execution_options(yield_per=chunk))
    before, after, moves = Counter(), Counter(), Counter()
    unscorable = 0
    for part in db_read.execute(stmt).partitions(chunk):
        encoded, stored = [], []
        for row in part:
            profile = core_profile(dict(zip(PROFILE_COLUMNS, row[2:])))
            try:
                encoded.append(compiled.encode(row.answers or {}, profile))
            except AnswerError:
                unscorable += 1  # answers the changed file no longer accepts
                continue
            stored.append(row.level_id)
        if not encoded:
            continue
        levels = compiled.score_batch(stack(encoded)).levels
        for old, rank in zip(stored, levels):
            new = ranks[int(rank)]
            before[old] += 1
            after[new] += 1
            if new != old:
                moves[f"{old}→{new}"] += 1
    order = [lv.id for lv in changed.levels]
    return {"instrument": changed.id, "stored_version": version, "file_version": changed.version,
            "assessments": sum(before.values()), "unscorable": unscorable,
            "before": {level: before.get(level, 0) for level in order},
            "after": {level: after.get(level, 0) for level in order},
            "moves": dict(sorted(moves.items()))}
