"""On-site assessment through the services: start under consent, per-item verification with
reasons and history, evidence, concurrent saves, review, signing with the core engine, the lock,
corrections, the public verification."""
import io
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from services import on_site, on_site_evidence, on_site_items, on_site_sign_off, verification
from services.errors import Conflict, InvalidInput, NotFound
from services.file_store import LocalFileStore
from storage.consultation_models import EvidenceFile, OnSiteAssessment, OnSiteChange
from storage.models import Assessment
from tests.integration.test_report_support import submit_assessment
from tests.organisation_helpers import account, audit_records, consent, make_org, staff_user

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


@dataclass
class World:
    app: object
    org: int
    enterprise_id: int
    self_id: int
    consultant: object
    consultant2: object
    reviewer: object
    other_centre_consultant: object
    owner: object
    stranger: object

    def run(self, fn, *args, **kwargs):
        with self.app.app_context():
            return fn(*args, **kwargs)

    def instrument(self):
        from services.instrument_registry import instruments
        with self.app.app_context():
            return instruments(self.app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]


def _world(app, make_user, sme_user, other_sme_user, review_required):
    org = make_org(app, "centre", name="烟台市中小企业数字化转型促进中心",
                   review_required=review_required)
    other = make_org(app, "centre", name="另一个中心")
    self_id = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    consent(app, sme_user.enterprise_id, org)
    consent(app, sme_user.enterprise_id, other)
    people = [staff_user(app, make_user, org), staff_user(app, make_user, org),
              staff_user(app, make_user, org, "reviewer"), staff_user(app, make_user, other)]
    return World(app, org, sme_user.enterprise_id, self_id,
                 *[account(app, p) for p in people],
                 account(app, sme_user), account(app, other_sme_user))


@pytest.fixture
def world(app, make_user, sme_user, other_sme_user):
    return _world(app, make_user, sme_user, other_sme_user, review_required=True)


@pytest.fixture
def solo(app, make_user, sme_user, other_sme_user):
    return _world(app, make_user, sme_user, other_sme_user, review_required=False)


def _start(w, **kwargs):
    return w.run(on_site.start, w.consultant, w.org, w.enterprise_id, w.instrument(), **kwargs)


def _save(w, aid, who, item, answer, **kwargs):
    return w.run(on_site_items.save_item, who, aid, w.instrument(), item, answer, **kwargs)


def _rows(db, model, aid):
    db.expire_all()
    return db.scalars(select(model).where(model.assessment_id == aid)).all()


def test_starting_from_the_self_assessment_prefills_both_sides(db, world):
    aid = _start(world)
    row = db.get(OnSiteAssessment, aid)
    assessment = db.get(Assessment, aid)
    source = db.get(Assessment, world.self_id)
    assert (assessment.mode, assessment.status, row.state) == ("on_site", "draft", "assessing")
    assert row.self_answers == source.answers == assessment.answers
    assert row.source_assessment_id == world.self_id and row.consultant_id == world.consultant.id
    assert [r.action for r in audit_records(db, world.enterprise_id)] == ["edit_on_site"]


def test_starting_blank_has_no_answers(db, world):
    aid = _start(world, from_self=False)
    assert db.get(Assessment, aid).answers == {} and db.get(OnSiteAssessment, aid).self_answers == {}


@pytest.mark.parametrize("who", ["other_centre_consultant", "owner", "stranger"])
def test_nobody_else_starts_one(db, world, who):
    with pytest.raises(NotFound):
        world.run(on_site.start, getattr(world, who), world.org, world.enterprise_id,
                  world.instrument())
    assert db.scalar(select(func.count()).select_from(OnSiteAssessment)) == 0


def test_without_consent_in_force_nothing_starts(app, db, world):
    from storage.db import db_session, transaction
    from storage.organisation_models import Consent
    with app.app_context(), transaction():
        for c in db_session.scalars(select(Consent).where(Consent.organisation_id == world.org)):
            c.status = "revoked"
    with pytest.raises(NotFound):
        _start(world)
    assert db.scalar(select(func.count()).select_from(OnSiteAssessment)) == 0


def test_a_changed_answer_needs_a_reason_and_keeps_its_history(db, world):
    aid = _start(world)
    with pytest.raises(InvalidInput) as err:
        _save(world, aid, world.consultant, "system_coverage", "one_area", reason="  ")
    assert err.value.code == "reason_required"
    assert db.get(Assessment, aid).answers["system_coverage"] == "two_or_more"
    saved = _save(world, aid, world.consultant, "system_coverage", "one_area",
                  reason="只有财务系统在用")
    assert saved["state"] == "adjusted"
    db.expire_all()
    assert db.get(Assessment, aid).answers["system_coverage"] == "one_area"
    assert db.get(OnSiteAssessment, aid).item_states == {"system_coverage": "adjusted"}
    changes = [(c.kind, c.old, c.new, c.reason) for c in _rows(db, OnSiteChange, aid)]
    assert changes == [("answer", "two_or_more", "one_area", "只有财务系统在用"),
                       ("state", None, "adjusted", None)]
    # Back to the self-reported answer: a change too (reason), and the item reads verified.
    back = _save(world, aid, world.consultant, "system_coverage", "two_or_more",
                 reason="补充了 ERP 截图", base=saved["base"])
    assert back["state"] == "verified"


def test_confirming_an_answer_needs_no_reason(db, world):
    aid = _start(world)
    saved = _save(world, aid, world.consultant, "system_coverage", "two_or_more")
    assert saved["state"] == "verified"
    assert [c.kind for c in _rows(db, OnSiteChange, aid)] == ["state"]


@pytest.mark.parametrize("item, answer, code", [
    ("system_coverage", "everything", "answer_invalid"),   # an option the item does not offer
    ("no_such_item", "x", "unknown_item"),
])
def test_forged_answers_are_refused(db, world, item, answer, code):
    aid = _start(world)
    with pytest.raises(InvalidInput) as err:
        _save(world, aid, world.consultant, item, answer, reason="r")
    assert err.value.code == code
    assert _rows(db, OnSiteChange, aid) == []


def test_the_later_of_two_saves_on_one_screen_is_refused_with_the_current_value(db, world):
    aid = _start(world)
    _save(world, aid, world.consultant, "system_coverage", "one_area", reason="A", base=0)
    with pytest.raises(Conflict) as err:
        _save(world, aid, world.consultant2, "system_coverage", "most", reason="B", base=0)
    assert err.value.code == "changed_meanwhile"
    assert err.value.params["current"] == "one_area"
    db.expire_all()
    assert db.get(Assessment, aid).answers["system_coverage"] == "one_area"


def test_evidence_is_stored_once_per_content_and_bad_files_leave_nothing(app, db, world, tmp_path):
    aid = _start(world)
    store = LocalFileStore(tmp_path / "files")
    attach = lambda data, name, item="system_coverage": world.run(  # noqa: E731
        on_site_evidence.attach, world.consultant, aid, item, world.instrument(), io.BytesIO(data), name,
        store)
    first = attach(JPEG, "现场照片.jpg")
    second = attach(JPEG, "copy.jpg", "network")
    assert first["sha256"] == second["sha256"]
    assert len([p for p in (tmp_path / "files").rglob("*") if p.is_file()]) == 1
    with pytest.raises(InvalidInput) as err:
        attach(b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "photo.jpg")
    assert err.value.code == "file_type"
    with pytest.raises(InvalidInput):
        attach(JPEG, "x.jpg", "no_such_item")
    assert len(_rows(db, EvidenceFile, aid)) == 2
    # A file is found only under its own assessment.
    other = _start(world, from_self=False)
    with pytest.raises(NotFound):
        world.run(on_site_evidence.evidence_file, world.consultant, other, first["id"])
    with pytest.raises(NotFound):
        world.run(on_site_evidence.evidence_file, world.other_centre_consultant, aid, first["id"])
    assert world.run(on_site_evidence.evidence_file, world.consultant, aid, first["id"])["name"] == \
        "现场照片.jpg"


def test_review_sends_back_with_a_comment_then_signs_and_locks(db, world, tmp_path):
    aid = _start(world)
    _save(world, aid, world.consultant, "system_coverage", "one_area", reason="只有财务系统")
    world.run(on_site_sign_off.submit_for_review, world.consultant, aid, world.instrument())
    with pytest.raises(Conflict):  # in review: no edits
        _save(world, aid, world.consultant, "network", None, reason="x", base=0)
    with pytest.raises(InvalidInput) as err:
        world.run(on_site_sign_off.send_back, world.reviewer, aid, "")
    assert err.value.code == "reason_required"
    with pytest.raises(NotFound):  # a consultant does not sign where review is required
        world.run(on_site_sign_off.sign, world.consultant, aid, world.instrument())
    world.run(on_site_sign_off.send_back, world.reviewer, aid, "请补充财务系统截图")
    db.expire_all()
    assert (db.get(OnSiteAssessment, aid).state,
            db.get(OnSiteAssessment, aid).review_comment) == ("assessing", "请补充财务系统截图")
    world.run(on_site_sign_off.submit_for_review, world.consultant, aid, world.instrument())
    signed = world.run(on_site_sign_off.sign, world.reviewer, aid, world.instrument())
    db.expire_all()
    assessment, row = db.get(Assessment, aid), db.get(OnSiteAssessment, aid)
    assert assessment.status == "submitted" and row.state == "signed"
    assert assessment.level_rank == signed["level"]["rank"] and assessment.result["total"] > 0
    assert row.signature["consultant"] and row.signature["reviewer"]
    assert row.signature["version"] == world.instrument().version
    assert row.self_result["total"] > assessment.total  # the adjustment lowered the total
    # Locked for good.
    with pytest.raises(Conflict) as err:
        _save(world, aid, world.consultant, "system_coverage", "full", reason="x", base=99)
    assert err.value.code == "signed"
    with pytest.raises(Conflict):
        world.run(on_site_evidence.attach, world.consultant, aid, "network", world.instrument(),
                  io.BytesIO(JPEG), "late.jpg", LocalFileStore(tmp_path))
    with pytest.raises(Conflict):
        world.run(on_site_sign_off.sign, world.reviewer, aid, world.instrument())
    record = world.run(on_site_sign_off.signed_record, aid)
    assert record["adjusted"] == [{"item_id": "system_coverage", "self": "two_or_more",
                                   "verified": "one_area", "reasons": ["只有财务系统"]}]


def test_without_review_the_consultant_signs(db, solo):
    aid = _start(solo)
    solo.run(on_site_sign_off.sign, solo.consultant, aid, solo.instrument())
    assert db.get(OnSiteAssessment, aid).state == "signed"


def test_an_incomplete_assessment_is_not_signed(db, solo):
    aid = _start(solo, from_self=False)
    with pytest.raises(InvalidInput) as err:
        solo.run(on_site_sign_off.sign, solo.consultant, aid, solo.instrument())
    assert err.value.code == "incomplete" and "system_coverage" in err.value.params["items"]
    assert db.get(Assessment, aid).status == "draft"


def test_a_correction_is_a_new_assessment_referencing_the_signed_one(db, solo):
    aid = _start(solo)
    solo.run(on_site_sign_off.sign, solo.consultant, aid, solo.instrument())
    fix = _start(solo, corrects=aid)
    assert fix != aid and db.get(OnSiteAssessment, fix).corrects_id == aid
    assert db.get(Assessment, fix).answers == db.get(Assessment, aid).answers


def test_the_verification_states_the_level_and_nothing_else(db, solo):
    aid = _start(solo)
    signed = solo.run(on_site_sign_off.sign, solo.consultant, aid, solo.instrument())
    number, code = signed["report_number"], signed["verification_code"]
    found = solo.run(verification.verify, number, code.lower().replace("-", " "))
    assert found == {"genuine": True, "report_number": number,
                     "level": {"id": signed["level"]["id"], "rank": signed["level"]["rank"],
                               "name": signed["level"]["name"]}}
    for wrong in [(number, "AAAA-AAAA-AAAA"), ("XC-999-2026-000001", code), ("", ""),
                  (number, code[:-1]), (number, code + "A"), ("x" * 5000, code)]:
        assert solo.run(verification.verify, *wrong) == {"genuine": False}
