"""An owner deletes the enterprise: every row naming it goes in one transaction but what
data/retention.yaml keeps (copies, each with its purge_after, and the audit records), and the
retention purge removes those once their period has passed."""
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from services.accounts import AccountError
from services.errors import NotFound
from storage.models import Membership, User
from tests import deletion_helpers as h
from tests.organisation_helpers import account, staff_user

KEPT_ROWS = {"enterprises": 1, "retained_records": 3, "audit_records": 2}


@pytest.fixture
def world(app, make_user, sme_user, other_sme_user, tmp_path):
    app.config["FILES_DIR"] = tmp_path / "files"
    return h.build(app, make_user, sme_user, other_sme_user, tmp_path / "files")


def _delete(app, user, eid, password=None, name="示例机械有限公司", now=None):
    from services import deletion
    from storage.base import utcnow

    with app.app_context():
        return deletion.delete_enterprise(
            account(app, user), eid, password=password or user.password, confirmation=name,
            settings=app.config, now=now or utcnow())


def _purge(app, days, dry_run=False):
    from services import retention
    from storage.base import utcnow

    with app.app_context():
        return retention.purge(utcnow() + timedelta(days=days), app.config, dry_run=dry_run)


def _verify(app, number=h.REPORT_NUMBER, code=h.CODE):
    from services import verification

    with app.app_context():
        return verification.verify(number, code)["genuine"]


def _stored(app, content):
    from services.file_store import store_for

    return store_for(app.config).exists(h.sha(content))


def test_deletion_leaves_only_what_the_rules_keep(app, db, world, sme_user, other_sme_user):
    users = (world.owner_id, world.shared_member_id)
    before = h.census(db, world.enterprise_id, users)
    assert before["assessments"] == 3 and before["projects"] == 2 and before["consents"] == 1
    other_before = h.census(db, world.other_enterprise_id)

    done = _delete(app, sme_user, world.enterprise_id)

    assert (done.accounts_removed, done.files_removed) == (1, 2)
    assert done.kept == {"signed_on_site_reports": 1, "accepted_projects": 1, "audit_records": 2}
    # Only the kept rows name the enterprise; the member of another enterprise keeps their
    # account (and that membership), the owner's account is gone.
    after = h.census(db, world.enterprise_id, (world.owner_id,))
    assert after == KEPT_ROWS
    assert h.kinds(db) == ["accepted_projects", "audit_records", "signed_on_site_reports"]
    assert db.get(User, world.owner_id) is None
    assert [m.enterprise_id for m in db.scalars(select(Membership).where(
        Membership.user_id == world.shared_member_id))] == [world.other_enterprise_id]
    assert h.census(db, world.other_enterprise_id) == other_before
    tombstone = db.execute(text("SELECT name, uscc, deleted_at FROM enterprises WHERE id = :e"),
                           {"e": world.enterprise_id}).one()
    assert tombstone.name == "" and tombstone.uscc is None and tombstone.deleted_at is not None
    # Files: the accepted project's stays for its audit, the rest left the store.
    assert not _stored(app, h.EVIDENCE) and not _stored(app, h.OPEN_FILE)
    assert _stored(app, h.ACCEPTED_FILE)
    assert _verify(app) and not _verify(app, code="AAAA-BBBB-CCCC")


def test_the_kept_copies_hold_no_free_text_nor_people(app, db, world, sme_user):
    from services.tokens import aware
    from storage.base import utcnow
    from storage.retention_models import RetainedRecord

    now = utcnow()
    _delete(app, sme_user, world.enterprise_id, now=now)
    rows = {r.kind: r for r in db.scalars(select(RetainedRecord))}
    project = rows["accepted_projects"].data
    assert (project["subsidy"], project["contracted_amount"]) == (27000, 90000)
    assert "message" not in project and "comment" not in project["rating"]
    assert project["rating"]["scores"] == {"quality": 5}
    assert project["files"][0]["sha256"] == h.sha(h.ACCEPTED_FILE)
    assert "user_id" not in project["steps"][0]
    report = rows["signed_on_site_reports"]
    assert report.reference == h.REPORT_NUMBER and "answers" not in report.data
    days = {k: (aware(r.purge_after) - now).days for k, r in rows.items()}
    assert days == {"signed_on_site_reports": 1095, "accepted_projects": 1825,
                    "audit_records": 1825}
    deletion_record = db.execute(text(
        "SELECT actor_user, actor_organisation, action, purpose FROM audit_records "
        "WHERE enterprise_id = :e ORDER BY seq DESC"), {"e": world.enterprise_id}).first()
    assert tuple(deletion_record) == (None, None, "enterprise_deleted", None)


def test_purge_removes_each_kind_after_its_period_and_then_nothing(app, db, world, sme_user,
                                                                   runner):
    _delete(app, sme_user, world.enterprise_id)
    assert _purge(app, 1094)["signed_on_site_reports"] == 0
    dry = _purge(app, 1096, dry_run=True)
    assert dry["signed_on_site_reports"] == 1 and h.kinds(db) == [
        "accepted_projects", "audit_records", "signed_on_site_reports"]

    first = _purge(app, 1096)
    assert (first["signed_on_site_reports"], first["accepted_projects"]) == (1, 0)
    assert not _verify(app) and _stored(app, h.ACCEPTED_FILE)

    second = _purge(app, 1826)
    assert second == {"signed_on_site_reports": 0, "accepted_projects": 1, "audit_records": 1,
                      "audit_records_redacted": 2, "enterprises": 1, "files": 1}
    assert h.census(db, world.enterprise_id, (world.owner_id,)) == {}
    assert not _stored(app, h.ACCEPTED_FILE)
    # Redacted records keep their place in the chain, which still verifies.
    assert runner.invoke(args=["audit", "verify"]).output.strip() == \
        "audit chain verified: 3 records"

    again = _purge(app, 1826)
    assert set(again.values()) == {0}


def test_the_other_enterprises_audit_records_are_not_redacted(app, db, world, sme_user):
    _delete(app, sme_user, world.enterprise_id)
    _purge(app, 1826)
    rows = db.execute(text("SELECT enterprise_id, redacted_at FROM audit_records "
                           "ORDER BY seq")).all()
    assert [(r.enterprise_id, r.redacted_at is None) for r in rows] == [
        (0, False), (world.other_enterprise_id, True), (0, False)]


@pytest.mark.parametrize("password, name, code", [
    ("wrong password", "示例机械有限公司", "deletion_password_wrong"),
    (None, "示例机械", "deletion_name_wrong"),
    (None, "", "deletion_name_wrong"),
])
def test_a_wrong_password_or_name_changes_nothing(app, db, world, sme_user, password, name, code):
    before = h.census(db, world.enterprise_id, (world.owner_id,))
    with pytest.raises(AccountError) as refused:
        _delete(app, sme_user, world.enterprise_id, password=password, name=name)
    assert refused.value.code == code
    assert h.census(db, world.enterprise_id, (world.owner_id,)) == before
    assert h.kinds(db) == [] and _stored(app, h.EVIDENCE)


@pytest.mark.parametrize("who", ["member", "other_tenant", "consultant"])
def test_anyone_but_an_owner_gets_not_found_and_nothing_changes(app, db, world, make_user,
                                                                other_sme_user, who):
    if who == "member":
        actor = make_user(enterprise=None)
        with app.app_context():
            from storage.db import db_session, transaction
            with transaction():
                db_session.add(Membership(user_id=actor.id, enterprise_id=world.enterprise_id,
                                          role="member"))
    elif who == "other_tenant":
        actor = other_sme_user
    else:
        actor = staff_user(app, make_user, world.centre_id, role="centre_admin")
    before = h.census(db, world.enterprise_id, (world.owner_id,))
    with pytest.raises(NotFound):
        _delete(app, actor, world.enterprise_id, name="示例机械有限公司")
    assert h.census(db, world.enterprise_id, (world.owner_id,)) == before


def test_the_database_allows_only_a_whole_redaction(app, db, world):
    for statement in (
            "UPDATE audit_records SET redacted_at = at",  # fields not emptied
            "UPDATE audit_records SET redacted_at = at, enterprise_id = 0, actor_user = NULL, "
            "actor_organisation = NULL, object_type = NULL, object_id = NULL, "
            "consent_id = NULL, purpose = NULL, action = 'view_profile'"):  # action changed
        with pytest.raises(DatabaseError, match="append-only"):
            db.execute(text(statement))
        db.rollback()


def test_the_command_prints_one_line_per_kind_and_zeros_the_second_time(app, db, world,
                                                                        sme_user, runner):
    _delete(app, sme_user, world.enterprise_id)
    db.execute(text("UPDATE retained_records SET purge_after = :past "
                    "WHERE kind = 'signed_on_site_reports'"),
               {"past": "2000-01-01 00:00:00+00:00"})
    db.commit()
    dry = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert dry.exit_code == 0 and "signed_on_site_reports: would remove 1" in dry.output
    assert h.kinds(db) == ["accepted_projects", "audit_records", "signed_on_site_reports"]
    first = runner.invoke(args=["retention", "purge"])
    assert first.output.splitlines() == [
        "signed_on_site_reports: removed 1", "accepted_projects: removed 0",
        "audit_records: removed 0", "audit records redacted: 0",
        "deleted enterprises: removed 0", "files: removed 0"]
    second = runner.invoke(args=["retention", "purge"])
    assert second.exit_code == 0 and "removed 1" not in second.output
    assert all(line.endswith(" 0") for line in second.output.splitlines())
