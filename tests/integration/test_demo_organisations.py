"""`flask demo seed` also creates the demo centre, bureaus and provider with their staff and
the demo consents, once, and prints their log-ins."""
import pytest
from sqlalchemy import func, select

from storage.organisation_models import Consent, Organisation, OrgMembership
from tests.helpers import login

CENTRE = "烟台市中小企业数字化转型促进中心"


def _counts(db):
    db.expire_all()
    return tuple(db.scalar(select(func.count()).select_from(m))
                 for m in (Organisation, OrgMembership, Consent))


@pytest.mark.demo_seeded
def test_the_demo_has_a_centre_with_staff_bureaus_a_provider_and_consents(app, runner, db,
                                                                          seeded_demo):
    assert "reviewer@centre.demo" in seeded_demo.output and CENTRE in seeded_demo.output
    kinds = dict(db.execute(select(Organisation.name, Organisation.kind)).all())
    assert kinds == {CENTRE: "centre", "芝罘区工业和信息化局": "bureau",
                     "烟台市工业和信息化局": "bureau", "烟台达莱集团有限公司（示例）": "provider",
                     "烟台崆凰集团有限公司（示例）": "provider"}
    zhifu = db.scalar(select(Organisation.scope).where(Organisation.name == "芝罘区工业和信息化局"))
    assert zhifu == {"districts": ["芝罘区"], "industries": []}
    roles = sorted(db.scalars(select(OrgMembership.role).join(Organisation)
                              .where(Organisation.name == CENTRE)))
    assert roles == ["centre_admin", "consultant", "consultant", "reviewer"]
    to_centre = select(Consent.status).join(Organisation).where(Organisation.name == CENTRE)
    # 海星's consultation and the centre's request to 云帆 (this file); 高新精测's on-site
    # assessment (data/demo-consultations.yaml); 新源, 海工 and 金果 for their projects'
    # acceptance, 航宇's request for providers (demo-projects)
    assert sorted(db.scalars(to_centre)) == ["active"] * 6 + ["requested"]

    before = _counts(db)
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0 and "reviewer@centre.demo" in again.output
    assert _counts(db) == before

    consultant = app.test_client()
    assert login(consultant, "consultant@centre.demo", "demo-2024").location.endswith("/org/")
    home = consultant.get("/org/", follow_redirects=True).get_data(as_text=True)
    assert "烟台海星汽车零部件有限公司" in home and "莱山云帆软件科技有限公司" in home
