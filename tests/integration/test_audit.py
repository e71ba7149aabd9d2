"""The audit trail: a hash chain that `flask audit verify` checks; the database refuses to change
or delete records; any change or removal made behind the application's back is found."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from services import audit

FIELDS = ["at", "actor_user", "actor_organisation", "action", "enterprise_id", "object_type",
          "object_id", "consent_id", "purpose", "prev_hash", "hash", "seq"]


def _append(app, n=3, enterprise_id=7):
    with app.app_context():
        from storage.db import transaction
        for i in range(n):
            with transaction():
                audit.append(action="view_assessment", enterprise_id=enterprise_id,
                             actor_user=100 + i, actor_organisation=3, object_type="assessment",
                             object_id=40 + i, consent_id=5, purpose=None if i else "咨询")


def _bypass_triggers(db):
    """What someone with direct database access could do: switch the guards off."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE audit_records DISABLE TRIGGER USER"))
    else:
        db.execute(text("DROP TRIGGER audit_records_no_update"))
        db.execute(text("DROP TRIGGER audit_records_no_delete"))
    db.commit()


def _ids(db):
    return list(db.execute(text("SELECT id FROM audit_records ORDER BY seq")).scalars())


def test_an_untouched_chain_verifies_with_its_count(app, runner):
    assert runner.invoke(args=["audit", "verify"]).output.strip() == \
        "audit chain verified: 0 records"
    _append(app, 4)
    result = runner.invoke(args=["audit", "verify"])
    assert (result.exit_code, result.output.strip()) == (0, "audit chain verified: 4 records")


def test_records_link_to_the_one_before(app, db):
    _append(app, 3)
    rows = db.execute(text("SELECT seq, prev_hash, hash FROM audit_records ORDER BY seq")).all()
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == audit.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]


def test_the_database_refuses_to_change_or_delete_a_record(app, db):
    _append(app, 1)
    for statement in ("UPDATE audit_records SET action = 'view_profile'",
                      "DELETE FROM audit_records"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.execute(text(statement))
        db.rollback()
    assert db.execute(text("SELECT action FROM audit_records")).scalar() == "view_assessment"


@pytest.mark.parametrize("field", FIELDS)
def test_changing_any_field_is_found_and_the_record_named(app, db, runner, field):
    _append(app, 3)
    _bypass_triggers(db)
    ids = _ids(db)
    target = ids[1]
    sqlite = db.get_bind().dialect.name == "sqlite"
    value = {"at": "2020-01-01 00:00:00.000000" if sqlite else datetime(2020, 1, 1, tzinfo=timezone.utc),
             "actor_user": 999,
             "actor_organisation": 999, "action": "view_profile", "enterprise_id": 8,
             "object_type": "enterprise", "object_id": "41x", "consent_id": 6,
             "purpose": "changed", "prev_hash": "f" * 64, "hash": "e" * 64, "seq": 9}[field]
    db.execute(text(f"UPDATE audit_records SET {field} = :v WHERE id = :id"),
               {"v": value, "id": target})
    db.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    # Moved to another position, the record leaves a gap: the record after the gap is named.
    named, before = (ids[2], 1) if field == "seq" else (target, 1)
    assert f"record id {named} " in result.output
    assert f"{before} records before it verify" in result.output


@pytest.mark.parametrize("which", ["first", "middle", "last"])
def test_deleting_a_record_is_found(app, db, runner, which):
    _append(app, 3)
    _bypass_triggers(db)
    ids = _ids(db)
    victim = {"first": ids[0], "middle": ids[1], "last": ids[2]}[which]
    db.execute(text("DELETE FROM audit_records WHERE id = :id"), {"id": victim})
    db.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    if which == "last":
        assert "the chain's end" in result.output and f"after record {ids[1]}" in result.output
    else:
        assert f"record id {ids[ids.index(victim) + 1]} " in result.output
        assert "a record before it is missing" in result.output


def test_a_record_slipped_in_past_the_head_is_found(app, db, runner):
    _append(app, 2)
    last = db.execute(text("SELECT * FROM audit_records ORDER BY seq DESC")).mappings().first()
    forged = {**last, "id": last["id"] + 10, "seq": 3, "prev_hash": last["hash"], "hash": "a" * 64}
    db.execute(text("INSERT INTO audit_records (id, seq, at, actor_user, actor_organisation, "
                    "action, enterprise_id, object_type, object_id, consent_id, purpose, "
                    "prev_hash, hash) VALUES (:id, :seq, :at, :actor_user, :actor_organisation, "
                    ":action, :enterprise_id, :object_type, :object_id, :consent_id, :purpose, "
                    ":prev_hash, :hash)"), forged)
    db.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"record id {last['id'] + 10} " in result.output


def test_appends_from_many_threads_never_fork_the_chain(app):
    import threading

    errors = []

    def worker(n):
        try:
            _append(app, 5, enterprise_id=n)  # each app context has its own session
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        result = audit.verify()
    assert (result.ok, result.count) == (True, 20)


# --- the chain check itself, over any records (property-based) --------------------------------

def _chain(rows):
    records, prev = [], audit.GENESIS
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for seq, (actor, action, purpose) in enumerate(rows, start=1):
        record = {"id": seq * 3, "seq": seq, "at": start + timedelta(seconds=seq),
                  "actor_user": actor, "actor_organisation": None, "action": action,
                  "enterprise_id": 1, "object_type": None, "object_id": None,
                  "consent_id": None, "purpose": purpose, "prev_hash": prev}
        record["hash"] = prev = audit.record_hash(record)
        records.append(record)
    return records


ROWS = st.lists(st.tuples(st.integers(1, 10**6), st.sampled_from(["view_profile", "view_report"]),
                          st.none() | st.text(max_size=20)), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(rows=ROWS)
def test_an_intact_chain_always_verifies(rows):
    records = _chain(rows)
    result = audit.check_chain(records, (len(records), records[-1]["hash"]))
    assert (result.ok, result.count) == (True, len(records))


@settings(max_examples=300, deadline=None)
@given(rows=ROWS, data=st.data())
def test_any_single_change_or_removal_is_found_at_that_record(rows, data):
    records = _chain(rows)
    head = (len(records), records[-1]["hash"])
    i = data.draw(st.integers(0, len(records) - 1), label="position")
    how = data.draw(st.sampled_from(["change", "remove"]), label="how")
    if how == "remove":
        del records[i]
        result = audit.check_chain(records, head)
        assert not result.ok
        assert result.broken_id == (records[i]["id"] if i < len(records) else None)
        return
    field = data.draw(st.sampled_from(audit.HASHED_FIELDS + ("hash",)), label="field")
    old = records[i][field]
    new = data.draw(st.one_of(st.integers(-5, 10**6), st.text(max_size=8), st.none(),
                              st.just(old + timedelta(microseconds=1))
                              if isinstance(old, datetime) else st.none())
                    .filter(lambda v: v != old), label="value")
    records[i] = {**records[i], field: new}
    result = audit.check_chain(records, head)
    assert (result.ok, result.broken_id, result.count) == (False, records[i]["id"], i)


def test_records_appended_together_continue_the_chain_and_verify(app, db, runner):
    _append(app, 2)
    entries = [{"action": "list_clients", "enterprise_id": 10 + i, "actor_user": 200,
                "actor_organisation": 3, "object_type": "organisation", "object_id": 3,
                "consent_id": 50 + i} for i in range(3)]
    with app.app_context():
        from storage.db import transaction
        with transaction():
            assert audit.append_many(entries) == [3, 4, 5]
            assert audit.append_many([]) == []
    rows = db.execute(text("SELECT seq, enterprise_id, prev_hash, hash FROM audit_records "
                           "ORDER BY seq")).all()
    assert [(r.seq, r.enterprise_id) for r in rows] == [(1, 7), (2, 7), (3, 10), (4, 11), (5, 12)]
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    result = runner.invoke(args=["audit", "verify"])
    assert (result.exit_code, result.output.strip()) == (0, "audit chain verified: 5 records")


def test_records_appended_together_roll_back_together(app, db):
    entries = [{"action": "list_clients", "enterprise_id": 1, "actor_user": 2}] * 2
    with app.app_context():
        from storage.db import transaction
        with pytest.raises(RuntimeError), transaction():
            audit.append_many(entries)
            raise RuntimeError("the page failed after the records were added")
    assert db.execute(text("SELECT count(*) FROM audit_records")).scalar() == 0
    assert db.execute(text("SELECT records FROM audit_chain WHERE id = 1")).scalar() == 0
