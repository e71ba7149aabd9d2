"""What-if rescoring on the dashboard: bureau administrators only (404 for everyone else),
protected counts, clear errors for bad files, nothing stored changes."""
import io
from pathlib import Path

from sqlalchemy import func, select

from tests.helpers import csrf_token
from tests.organisation_helpers import make_org, staff_user

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = (ROOT / "questionnaires" / "cn-sme-2024.yaml").read_text(encoding="utf-8")


def _population(app):
    result = app.test_cli_runner().invoke(args=["demo", "population", "--enterprises", "60",
                                                "--quarters", "2", "--seed", "11"])
    assert result.exit_code == 0, result.output


def _post(client, text, lang="zh"):  # the staff accounts read Chinese
    token = csrf_token(client, f"/bureau/what-if?lang={lang}")
    return client.post(f"/bureau/what-if?lang={lang}", data={
        "csrf_token": token, "file": (io.BytesIO(text.encode("utf-8")), "changed.yaml")},
        content_type="multipart/form-data")


def _stored(app):
    from storage.db import db_session
    from storage.models import Assessment

    with app.app_context():
        return db_session.execute(select(Assessment.id, Assessment.level_id, Assessment.total)
                                  .order_by(Assessment.id)).all()


def test_everyone_but_a_bureau_administrator_gets_404(app, make_user, login_as, client):
    bureau = make_org(app, "bureau")
    assert client.get("/bureau/what-if").status_code == 404  # signed out
    analyst = login_as(staff_user(app, make_user, bureau, "bureau_analyst"))
    assert analyst.get("/bureau/what-if").status_code == 404
    page = analyst.get("/bureau/").get_data(as_text=True)
    assert "/bureau/what-if" not in page
    assert login_as(make_user()).get("/bureau/what-if").status_code == 404  # an SME
    centre = make_org(app, "centre")
    for role in ("consultant", "centre_admin"):
        staff = login_as(staff_user(app, make_user, centre, role))
        assert staff.get("/bureau/what-if").status_code == 404
        assert staff.post("/bureau/what-if").status_code in (400, 404)
    admin = login_as(staff_user(app, make_user, bureau, "bureau_admin"))
    assert admin.get("/bureau/what-if").status_code == 200
    assert "/bureau/what-if" in admin.get("/bureau/").get_data(as_text=True)
    assert admin.get("/bureau/what-if?instrument=nope").status_code == 404


def test_administrator_sees_protected_before_and_after_and_nothing_changes(
        app, make_user, login_as):
    _population(app)
    before = _stored(app)
    admin = login_as(staff_user(app, make_user, make_org(app, "bureau"), "bureau_admin"))
    page = _post(admin, NATIONAL.replace("total_at_least: 40", "total_at_least: 41"), "en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    from diagnosis import parse_instrument
    from services import rescore

    with app.app_context():
        exact = rescore.what_if(parse_instrument(
            NATIONAL.replace("total_at_least: 40", "total_at_least: 41")), "2.0.0", k=1)
    assert f">{exact['assessments']}<" in html and "已重评的评测数" in html
    small = [move for move, n in exact["moves"].items() if 0 < n < 5]
    assert small and f"{small[0]}: <abbr" in html  # × with its explanation, never 0
    assert _stored(app) == before


def test_bad_files_are_named_in_the_page_language_with_400(app, make_user, login_as):
    from storage.db import db_session
    from storage.models import Assessment

    admin = login_as(staff_user(app, make_user, make_org(app, "bureau"), "bureau_admin"))
    eu = (ROOT / "questionnaires" / "eu-dma.yaml").read_text(encoding="utf-8")
    other = _post(admin, eu)
    assert other.status_code == 400 and "不是“cn-sme-2024”" in other.get_data(as_text=True)
    broken = _post(admin, "id: [unclosed", "en")
    assert broken.status_code == 400 and "changed.yaml" in broken.get_data(as_text=True)
    token = csrf_token(admin, "/bureau/what-if?lang=en")
    empty = admin.post("/bureau/what-if?lang=en", data={"csrf_token": token},
                       content_type="multipart/form-data")
    assert empty.status_code == 400 and "请选择文件。" in empty.get_data(as_text=True)
    binary = admin.post("/bureau/what-if?lang=en", data={
        "csrf_token": token, "file": (io.BytesIO(b"\xff\xfe\x00"), "x.yaml")},
        content_type="multipart/form-data")
    assert binary.status_code == 400 and "不是 UTF-8" in binary.get_data(as_text=True)
    with app.app_context():
        assert db_session.scalar(select(func.count()).select_from(Assessment)) == 0
