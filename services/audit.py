"""The audit trail: one record per read or change of an enterprise's data by someone outside it.

Records form a hash chain: each record's `hash` is SHA-256 over the canonical JSON (sorted keys,
no spaces, UTF-8) of its fields, the previous record's hash (`prev_hash`) and its position
(`seq`) included, so changing, reordering or removing any record breaks the chain from there on.
Appends are serialised by updating the chain head row first (a row lock on PostgreSQL, the
write lock on SQLite), so two appends never share a predecessor. `verify()` walks the chain.
Records are never deleted; the one change the application makes (and the database triggers allow)
is the redaction of a record whose retention period ended (services/retention.py): the
identifying fields are emptied, `redacted_at` set, and seq, time, action and both hashes kept, so
the links still verify though the redacted record's own fields can no longer be checked.
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select, update

from services.access_vocabulary import vocabulary
from services.tokens import aware
from storage.base import utcnow
from storage.db import db_session
from storage.models import User
from storage.organisation_models import AuditChainHead, AuditRecord, Organisation

GENESIS = "0" * 64  # prev_hash of the first record
HASHED_FIELDS = ("seq", "at", "actor_user", "actor_organisation", "action", "enterprise_id",
                 "object_type", "object_id", "consent_id", "purpose", "prev_hash")
# Emptied by a redaction (enterprise_id becomes REDACTED_ENTERPRISE; no enterprise has id 0).
REDACTED_FIELDS = ("actor_user", "actor_organisation", "object_type", "object_id", "consent_id",
                   "purpose")
REDACTED_ENTERPRISE = 0


def _moment(at: datetime) -> str:
    return aware(at).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_hash(fields: dict) -> str:
    """SHA-256 of the canonical JSON of a record's HASHED_FIELDS."""
    data = {name: fields[name] for name in HASHED_FIELDS}
    data["at"] = _moment(data["at"])
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(*, action: str, enterprise_id: int, actor_user: int | None,
           actor_organisation: int | None = None, object_type: str | None = None,
           object_id=None, consent_id: int | None = None, purpose: str | None = None) -> int:
    """Add one record to the chain inside the caller's transaction (committed with it, or not at
    all); returns its position. Callers: services.access, which decides who is an outsider."""
    return append_many([{
        "action": action, "enterprise_id": enterprise_id, "actor_user": actor_user,
        "actor_organisation": actor_organisation, "object_type": object_type,
        "object_id": object_id, "consent_id": consent_id, "purpose": purpose}])[0]


def append_many(entries: list[dict]) -> list[int]:
    """`append` for several records at once (a list page's enterprises), in order, with three
    statements whatever their number; returns their positions."""
    if not entries:
        return []
    for entry in entries:
        vocabulary().action(entry["action"])  # an unknown action name is a bug, not a record
    # Taking the head row first serialises appends: the next writer waits here until we commit.
    head = db_session.execute(
        update(AuditChainHead).where(AuditChainHead.id == 1)
        .values(records=AuditChainHead.records + len(entries))
        .returning(AuditChainHead.records, AuditChainHead.last_hash)).one_or_none()
    if head is None:
        raise RuntimeError("audit_chain has no head row: run `alembic upgrade head`")
    seq, prev_hash, at = head.records - len(entries), head.last_hash, utcnow()
    positions = []
    for entry in entries:
        seq += 1
        object_id = entry.get("object_id")
        fields = {"seq": seq, "at": at, "actor_user": entry["actor_user"],
                  "actor_organisation": entry.get("actor_organisation"), "action": entry["action"],
                  "enterprise_id": entry["enterprise_id"], "object_type": entry.get("object_type"),
                  "object_id": None if object_id is None else str(object_id),
                  "consent_id": entry.get("consent_id"), "purpose": entry.get("purpose"),
                  "prev_hash": prev_hash}
        fields["hash"] = prev_hash = record_hash(fields)
        db_session.add(AuditRecord(**fields))
        positions.append(seq)
    db_session.execute(update(AuditChainHead).where(AuditChainHead.id == 1)
                       .values(last_hash=prev_hash))
    db_session.flush()
    return positions


@dataclass(frozen=True)
class Verification:
    count: int
    broken_id: int | None = None  # id of the first record that does not verify
    broken_seq: int | None = None
    problem: str = ""  # why, in plain words (for the command line)

    @property
    def ok(self) -> bool:
        return not self.problem


def _hash_matches(record) -> bool:
    try:
        return record_hash(record) == record["hash"]
    except (TypeError, ValueError, AttributeError):  # a field no append could have written
        return False


def check_chain(records, head) -> Verification:
    """The first problem of a chain: `records` (dicts with `id`, `hash`, HASHED_FIELDS and
    optionally `redacted_at`) in position order, `head` the chain head's (records, last_hash) or None. Pure, so any store of
    records can be checked the same way."""
    expected_seq, prev_hash, count, last_id = 1, GENESIS, 0, None
    for record in records:
        problem = None
        if record["seq"] != expected_seq:
            problem = (f"position {record['seq']} where {expected_seq} was expected: "
                       "a record before it is missing")
        elif record["prev_hash"] != prev_hash:
            problem = "its prev_hash does not match the record before it"
        elif record.get("redacted_at") is not None:
            if record["enterprise_id"] != REDACTED_ENTERPRISE or any(
                    record[name] is not None for name in REDACTED_FIELDS):
                problem = "it is marked redacted but still holds fields: the record was changed"
        elif not _hash_matches(record):
            problem = "its hash does not match its fields: the record was changed"
        if problem:
            return Verification(count, record["id"], record["seq"], problem)
        expected_seq, prev_hash = record["seq"] + 1, record["hash"]
        count, last_id = count + 1, record["id"]
    if head is None or tuple(head) != (count, prev_hash):
        where = f"after record {last_id}" if last_id else "before the first record"
        recorded = head[0] if head is not None else "no"
        return Verification(count, None, None,
                            f"the chain head records {recorded} records but {count} verify: "
                            f"records {where} are missing or the head was changed")
    return Verification(count)


def _head():
    return db_session.execute(select(AuditChainHead.records, AuditChainHead.last_hash)
                              .where(AuditChainHead.id == 1)).one_or_none()


def verify(batch: int = 1000) -> Verification:
    """Check every stored record's hash, the links between records and the head; stop at the
    first problem. The head is read first and the records up to it checked against it, so
    appends made meanwhile do not disturb the check; reads in batches."""
    head = _head()
    columns = [getattr(AuditRecord, name)
               for name in ("id", "hash", "redacted_at", *HASHED_FIELDS)]
    query = select(*columns).order_by(AuditRecord.seq).execution_options(yield_per=batch)
    if head is not None:
        query = query.where(AuditRecord.seq <= head.records)
    rows = db_session.execute(query)
    try:
        result = check_chain(rows.mappings(), head)
    finally:
        rows.close()  # stopping at a problem leaves the server-side cursor open otherwise
    if not result.ok:
        return result
    # Every append moves the head in the same transaction: a record past it did not come
    # through the application.
    beyond = db_session.execute(select(AuditRecord.id, AuditRecord.seq)
                                .where(AuditRecord.seq > head.records)
                                .order_by(AuditRecord.seq).limit(1)).first()
    if beyond is not None and beyond.seq > _head().records:
        return Verification(result.count, beyond.id, beyond.seq,
                            "it lies beyond the chain head: it was not added by the application")
    return result


@dataclass(frozen=True)
class LogPage:
    entries: list  # [{"at", "actor", "organisation", "action": {zh, en}, "object_type", ...}]
    page: int
    pages: int
    total: int


def log_for_enterprise(enterprise_id: int, page: int = 1, per_page: int = 50) -> LogPage:
    """Who read or changed this enterprise's data, newest first (plain data for its people;
    services.consents.access_log checks who asks)."""
    total = db_session.scalar(select(func.count()).select_from(AuditRecord)
                              .where(AuditRecord.enterprise_id == enterprise_id)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db_session.execute(
        select(AuditRecord, User.name, User.email, Organisation.name.label("org_name"))
        .outerjoin(User, User.id == AuditRecord.actor_user)
        .outerjoin(Organisation, Organisation.id == AuditRecord.actor_organisation)
        .where(AuditRecord.enterprise_id == enterprise_id)
        .order_by(AuditRecord.seq.desc())
        .limit(per_page).offset((page - 1) * per_page)).all()
    actions = vocabulary().actions
    entries = [{
        "at": aware(r.AuditRecord.at), "actor": r.name or r.email or "",
        "actor_id": r.AuditRecord.actor_user, "organisation": r.org_name,
        "action": actions[r.AuditRecord.action].name if r.AuditRecord.action in actions
        else {"zh": r.AuditRecord.action, "en": r.AuditRecord.action},
        "object_type": r.AuditRecord.object_type, "object_id": r.AuditRecord.object_id,
        "consent_id": r.AuditRecord.consent_id, "purpose": r.AuditRecord.purpose,
    } for r in rows]
    return LogPage(entries, page, pages, total)
