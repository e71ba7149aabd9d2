"""Administrators import catalogues on a page: a bad file is refused with its problems in the
page's language and nothing changes; other people cannot reach the page."""
import io
from pathlib import Path

from flask import current_app
from werkzeug.local import LocalProxy

from services import catalogue as catalogues

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context

SAMPLE = Path(__file__).resolve().parents[2] / "catalogues"


def _upload(client, name, data, mode="merge"):
    return client.post("/plan/admin/catalogue", data={"mode": mode, "files": [(io.BytesIO(data), name)]},
                       content_type="multipart/form-data")


def test_admin_imports_the_sample_files(app, make_user, login_as):
    admin = login_as(make_user(roles=("administrator",), enterprise=None))
    response = admin.post("/plan/admin/catalogue", data={"mode": "replace", "files": [
        (io.BytesIO((SAMPLE / "modules.yaml").read_bytes()), "modules.yaml"),
        (io.BytesIO((SAMPLE / "providers.yaml").read_bytes()), "providers.yaml")]},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="done"' in html
    assert "63" in html and "64" in html
    assert "modules.yaml" in html  # the import log


def test_bad_file_is_refused_in_chinese_and_changes_nothing(app, make_user, login_as):
    admin = login_as(make_user(roles=("administrator",), enterprise=None))
    with app.app_context():
        before = catalogues.export("providers", CFG)
    bad = (SAMPLE / "providers.yaml").read_text(encoding="utf-8").replace("status: active", "status: paused", 1)
    response = _upload(admin, "providers.yaml", bad.encode())
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'data-testid="problems"' in html and "未导入任何内容" in html
    assert "providers.yaml · providers[0] · status" in html and "“paused”不是以下之一" in html
    with app.app_context():
        assert catalogues.export("providers", CFG) == before


def test_no_file_chosen_is_a_clear_400(app, make_user, login_as):
    admin = login_as(make_user(roles=("centre_admin",), enterprise=None))
    response = admin.post("/plan/admin/catalogue", data={"mode": "merge"}, content_type="multipart/form-data")
    assert response.status_code == 400 and "请选择至少一个要导入的文件" in response.get_data(as_text=True)


def test_sme_users_and_visitors_cannot_reach_the_import(app, sme_user, login_as):
    assert login_as(sme_user).get("/plan/admin/catalogue").status_code == 404
    assert app.test_client().get("/plan/admin/catalogue").status_code in (302, 401)
