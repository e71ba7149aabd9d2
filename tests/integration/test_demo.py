"""`flask demo seed` fills a fresh database once and prints the log-ins."""
from sqlalchemy import func, select

from storage.models import Assessment, AssessmentDimensionScore, Enterprise, User
from tests.helpers import login


def test_demo_seed_creates_data_once_and_prints_the_logins(app, runner, db):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
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
