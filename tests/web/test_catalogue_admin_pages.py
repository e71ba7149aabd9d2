"""Catalogue administration in the browser: working exports (YAML and CSV), the format help
inside the application, and editing one module or provider with the import's validation."""
import yaml

from services import catalogue as catalogues


def _admin(make_user, login_as):
    return login_as(make_user(roles=("administrator",), enterprise=None))


def test_exports_download_what_is_in_use(app, make_user, login_as):
    admin = _admin(make_user, login_as)
    page = admin.get("/plan/admin/catalogue").get_data(as_text=True)
    assert "/plan/admin/catalogue/export/providers.csv" in page and "/plan/admin/catalogue/format" in page
    # each entry to edit is named, its id beside it
    assert ('<a href="/plan/admin/catalogue/providers/p001">烟台达莱集团有限公司（示例）</a> '
            '<code>p001</code>') in page
    assert "服务商： 64" in page
    exported = admin.get("/plan/admin/catalogue/export/providers.yaml")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    assert len(yaml.safe_load(exported.data)["providers"]) == 64
    csv = admin.get("/plan/admin/catalogue/export/modules.csv").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("id,name_zh,name_en") and len(csv.splitlines()) == 64
    assert admin.get("/plan/admin/catalogue/export/modules.exe").status_code == 404
    guide = admin.get("/plan/admin/catalogue/format").get_data(as_text=True)
    assert "score = 100 ×" in guide and "本说明只有英文版" in guide
    # the README rendered, its headings under the page's h1, not shown as Markdown source
    assert "<h2>Catalogues: solution modules and service providers</h2>" in guide
    assert "<table>" in guide and "## modules.yaml" not in guide and "```" not in guide


def test_one_provider_is_edited_with_the_imports_checks(app, db, make_user, login_as):
    admin = _admin(make_user, login_as)
    form = admin.get("/plan/admin/catalogue/providers/p001").get_data(as_text=True)
    assert "uscc: 91370600MA3000011D" in form
    with app.app_context():
        entry = yaml.safe_load(catalogues.export("providers", app.config))["providers"][0]
    bad = dict(entry, rating=dict(entry["rating"], capability=40))
    refused = admin.post("/plan/admin/catalogue/providers/p001", data={"entry": yaml.safe_dump(bad, allow_unicode=True)})
    assert refused.status_code == 400 and "capability" in refused.get_data(as_text=True)
    other_id = admin.post("/plan/admin/catalogue/providers/p001", data={"entry": yaml.safe_dump(dict(entry, id="p999"))})
    assert other_id.status_code == 400 and "p001" in other_id.get_data(as_text=True)
    with app.app_context():
        assert catalogues.current(app.config).providers["p001"].offers[0].price == entry["offers"][0]["price"]
    entry["offers"][0]["price"] = 12345
    saved = admin.post("/plan/admin/catalogue/providers/p001", data={"entry": yaml.safe_dump(entry, allow_unicode=True)})
    assert saved.status_code == 200 and 'data-testid="done"' in saved.get_data(as_text=True)
    with app.app_context():
        cat = catalogues.current(app.config)
        assert cat.providers["p001"].offers[0].price == 12345 and len(cat.providers) == 64


def test_only_administrators_reach_them(app, sme_client):
    for path in ("/plan/admin/catalogue/export/modules.yaml", "/plan/admin/catalogue/format",
                 "/plan/admin/catalogue/modules/mes-basic"):
        assert sme_client.get(path).status_code == 404
    anonymous = app.test_client().get("/plan/admin/catalogue/format")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
