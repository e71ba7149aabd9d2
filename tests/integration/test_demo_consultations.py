"""`flask demo seed` also seeds the centre's consultations: a client with consent, an on-site
assessment in progress, one signed with an adjustment and evidence, a T0/T1 pair; once."""
import pytest
from sqlalchemy import func, select

from storage.consultation_models import EvidenceFile, OnSiteAssessment, OnSiteChange
from storage.models import Assessment, Enterprise


@pytest.mark.demo_seeded
def test_the_demo_has_consultations_in_every_state(app, runner, db, seeded_demo):
    app.config["FILES_DIR"] = seeded_demo.files
    assert "Consultations: 2 on-site assessments" in seeded_demo.output
    rows = db.execute(select(Enterprise.name, OnSiteAssessment.state, OnSiteAssessment.item_states,
                             OnSiteAssessment.report_number)
                      .join(Assessment, Assessment.id == OnSiteAssessment.assessment_id)
                      .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
                      .order_by(OnSiteAssessment.assessment_id)).all()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("烟台海星汽车零部件有限公司", "assessing", {"system_coverage": "adjusted"}),
        ("烟台高新精测仪器有限公司", "signed", {"system_coverage": "adjusted"})]
    assert rows[0][3] is None and rows[1][3]
    assert db.scalar(select(func.count()).select_from(EvidenceFile)) == 1
    sha = db.scalar(select(EvidenceFile.sha256))
    assert (seeded_demo.files / sha[:2] / sha[2:4] / sha).is_file()  # in the file store
    haixing = db.scalar(select(Enterprise.id).where(Enterprise.name == "烟台海星汽车零部件有限公司"))
    marked = db.scalars(select(Assessment.baseline_at).where(
        Assessment.enterprise_id == haixing, Assessment.mode == "self",
        Assessment.instrument_id == "cn-sme-2024", Assessment.status == "submitted")
        .order_by(Assessment.submitted_at)).all()
    assert marked[0] is not None and all(m is None for m in marked[1:]) and len(marked) >= 2

    counts = lambda: tuple(db.scalar(select(func.count()).select_from(m))  # noqa: E731
                           for m in (OnSiteAssessment, OnSiteChange, EvidenceFile))
    before = counts()
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    db.expire_all()
    assert counts() == before
