"""What-if rescoring: how the level distribution of stored assessments would change under a
changed instrument file, without changing any stored result (the batch scoring engine's job).

Reads each enterprise's latest submitted assessment of the instrument's current version in
chunks, scores the chunk as arrays with the changed instrument and counts level moves. The
counts are published through diagnosis.disclosure like every other aggregate: stored level ×
what-if level is a cross-table whose cells are the moves, rows the stored distribution and
column totals the what-if one.
"""
from collections import Counter

from sqlalchemy import select

from diagnosis import AnswerError, InstrumentError, compile_instrument, disclosure, parse_instrument, stack
from services import aggregates
from services.errors import InvalidInput
from services.profile import PROFILE_COLUMNS, core_profile
from storage import latest_assessments
from storage.db import db_read
from storage.models import Assessment, Enterprise

CHUNK = 5000
MAX_FILE = 2_000_000  # bytes: the national instrument is about 100 kB

MESSAGES = {
    "no_file": {"zh": "请选择文件。", "en": "Choose a file."},
    "too_large": {"zh": "文件过大（最多 2 MB）。", "en": "The file is too large (2 MB at most)."},
    "not_text": {"zh": "文件不是 UTF-8 文本。", "en": "The file is not UTF-8 text."},
    "other_instrument": {"zh": "该文件是评测工具“{found}”，不是“{wanted}”。",
                         "en": "The file is instrument '{found}', not '{wanted}'."},
}


class FileInvalid(InvalidInput):
    """An uploaded instrument file that cannot be used: `problems` are (code, params) of
    MESSAGES, or the loader's own lines (code None: file, path inside it, what is wrong)."""

    def __init__(self, problems):
        super().__init__(problems=problems)
        self.problems = problems

    def messages(self, lang="zh"):
        lang = lang if lang in ("zh", "en") else "zh"
        return [MESSAGES[code][lang].format(**params) if code else params
                for code, params in self.problems]


def changed_instrument(name, raw, current):
    """The Instrument of an uploaded file (bytes) that changes `current`, or FileInvalid."""
    if not raw:
        raise FileInvalid([("no_file", {})])
    if len(raw) > MAX_FILE:
        raise FileInvalid([("too_large", {})])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FileInvalid([("not_text", {})]) from None
    try:
        changed = parse_instrument(text, name or "upload.yaml")
    except InstrumentError as exc:
        raise FileInvalid([(None, problem) for problem in exc.problems[:20]]) from None
    if changed.id != current.id:
        raise FileInvalid([("other_instrument", {"found": changed.id, "wanted": current.id})])
    return changed


def what_if(changed, version, k=disclosure.DEFAULT_K, where=(), chunk=CHUNK):
    """{instrument, stored_version, file_version, k, assessments, unscorable, before, after,
    moves} for the changed Instrument `changed` against the stored `version`'s results.

    before/after: level id → count; moves: "from→to" → count (only where the level changes);
    a suppressed count is None (assessments and unscorable: below k). `where`: conditions on
    the joined Enterprise (a bureau's scope). Reads only; a session that only reads commits
    nothing.
    """
    compiled = compile_instrument(changed)
    ranks = {lv.rank: lv.id for lv in changed.levels}
    columns = [getattr(Enterprise, column) for column in PROFILE_COLUMNS]
    stmt = (select(Assessment.answers, Assessment.level_id, *columns)
            .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
            .where(Assessment.instrument_id == changed.id,
                   Assessment.instrument_version == version,
                   *latest_assessments.counted(None, "all"),  # each enterprise's latest now
                   *where)
            .order_by(Assessment.id)
            .execution_options(yield_per=chunk))
    pairs = Counter()
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
            pairs[((old,), ranks[int(rank)])] += 1
    return {"instrument": changed.id, "stored_version": version, "file_version": changed.version,
            "k": k, "assessments": disclosure.threshold_count(sum(pairs.values()), k),
            "unscorable": disclosure.threshold_count(unscorable, k),
            **_published(pairs, [lv.id for lv in changed.levels], k)}


def _published(pairs, order, k):
    """before, after and moves of the (stored level, what-if level) counts, protected."""
    micro, figures = disclosure.cross_table(pairs)
    hidden = aggregates.protect(micro, figures, k, keep=[("total",)],
                                 equations=disclosure.cross_equations(figures))

    def shown(key):
        return None if key in hidden else sum(micro[cell] for cell in figures.get(key, ()))

    return {"before": {level: shown(("cell", (level,))) for level in order},
            "after": {level: shown(("total_level", level)) for level in order},
            "moves": {f"{old}→{new}": shown(("level", (old,), new))
                      for (old,), new in sorted(micro) if old != new}}
