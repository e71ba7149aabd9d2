"""`flask demo seed` fills a fresh database once and prints the log-ins."""
from pathlib import Path

import yaml
import pytest
from sqlalchemy import func, select

from storage.models import Assessment, AssessmentDimensionScore, Enterprise, User
from tests.helpers import login

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo.yaml"


def test_demo_seed_creates_data_once_and_prints_the_logins(app, runner, db, tmp_path):
    # a database seeded before the last three enterprises were listed gets them (and their
    # projects) on the next run
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    earlier = tmp_path / "demo.yaml"
    earlier.write_text(yaml.safe_dump({**data, "enterprises": data["enterprises"][:-3]},
                                      allow_unicode=True), encoding="utf-8")
    assert runner.invoke(args=["demo", "seed", "--file", str(earlier)]).exit_code == 0
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "Demo enterprises added: 3." in first.output and "Demo projects created: 3" in first.output
    assert "owner@haixing.demo" in first.output and "demo-2024" in first.output

    counts = lambda: (db.scalar(select(func.count()).select_from(Enterprise)),  # noqa: E731
                      db.scalar(select(func.count()).select_from(User)),
                      db.scalar(select(func.count()).select_from(Assessment)))
    before = counts()
    assert before[0] >= 5
    statuses = set(db.scalars(select(Assessment.status)))
    assert statuses == {"draft", "submitted"}
    submitted = db.scalars(select(Assessment).where(Assessment.status == "submitted")).all()
    assert all(a.result and a.level_id and a.total is not None for a in submitted)
    assert db.scalar(select(func.count()).select_from(AssessmentDimensionScore)) > 0
    sizes = set(db.scalars(select(Enterprise.size_class)))
    assert {"medium", "small", "micro"} <= sizes
    districts = set(db.scalars(select(Enterprise.district)))
    assert len(districts) >= 4

    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0 and "already there" in again.output
    db.expire_all()
    assert counts() == before

    client = app.test_client()
    assert login(client, "owner@haixing.demo", "demo-2024").status_code == 302
    assert login(app.test_client(), "analyst@bureau.demo", "demo-2024").status_code == 302


@pytest.mark.demo_seeded
def test_demo_history_reads_like_a_re_assessment(db):
    """The demo owner's earlier submission is a real first try (a level, some points), not an
    empty questionnaire, so the results page shows a believable change since then."""
    enterprise_id = db.scalar(select(Enterprise.id).where(Enterprise.name == "烟台海星汽车零部件有限公司"))
    assert enterprise_id is not None
    earlier, later = db.scalars(
        select(Assessment).where(Assessment.enterprise_id == enterprise_id,
                                 Assessment.instrument_id == "cn-sme-2024",
                                 Assessment.status == "submitted")
        .order_by(Assessment.submitted_at)).all()
    assert 20 <= earlier.total < later.total
    assert earlier.level_id == "level1" and later.level_id == "level2"
