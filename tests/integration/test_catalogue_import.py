"""Catalogue import and export against a real database: a bad file is refused whole with file,
row and field named, and nothing stored changes; YAML and CSV round-trip."""
import csv
import io
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select
from werkzeug.local import LocalProxy

from diagnosis.catalogue import CatalogueError
from services import catalogue as catalogues
from storage.catalogue_models import CatalogueImport, CatalogueModule, CatalogueProvider

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "catalogues"


def _files(*names):
    return [(n, (SAMPLE / n).read_bytes()) for n in names]


@pytest.fixture
def imported(app):
    with app.app_context():
        catalogues.import_files(_files("modules.yaml", "providers.yaml"), CFG)
    return app


def _snapshot(app):
    with app.app_context():
        from storage.db import db_session
        return (catalogues.export("modules", CFG), catalogues.export("providers", CFG),
                db_session.scalar(select(func.count()).select_from(CatalogueImport)))


def _refused(app, files, replace=False):
    before = _snapshot(app)
    with app.app_context(), pytest.raises(CatalogueError) as err:
        catalogues.import_files(files, CFG, replace=replace)
    assert _snapshot(app) == before, "a refused import changed what is stored"
    return [str(p) for p in err.value.problems]


def test_sample_import_stores_every_entry_and_becomes_the_catalogue_in_use(imported, db):
    assert db.scalar(select(func.count()).select_from(CatalogueModule)) == 63
    assert db.scalar(select(func.count()).select_from(CatalogueProvider)) == 64
    with imported.app_context():
        cat = catalogues.current(CFG)
    assert cat.sample and len(cat.modules) == 63 and cat.providers["p013"].status == "removed"


def test_malformed_yaml_is_refused_with_its_line(imported):
    bad = (SAMPLE / "modules.yaml").read_text(encoding="utf-8").replace("  weeks: 3\n", "  weeks: [3\n", 1)
    messages = _refused(imported, [("modules.yaml", bad.encode())])
    assert len(messages) == 1 and messages[0].startswith("modules.yaml: line ")
    assert "malformed YAML" in messages[0]


def test_csv_with_a_bad_number_names_the_row_and_column(imported):
    with imported.app_context():
        text = catalogues.export("modules", CFG, "csv")
    lines = text.splitlines()
    cells = lines[2].split(",")
    header = lines[0].split(",")
    cells[header.index("weeks")] = "three"
    lines[2] = ",".join(cells)
    messages = _refused(imported, [("modules.csv", "\n".join(lines).encode())])
    assert "modules.csv: row 3: weeks: must be a whole number" in messages


def test_csv_provider_offering_an_unknown_module_names_the_row(imported):
    with imported.app_context():
        text = catalogues.export("providers", CFG, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[3]["offers"] = "erp-deluxe:1000|" + rows[3]["offers"]          # CSV row 5 (header is row 1)
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    lines = out.getvalue().splitlines()
    messages = _refused(imported, [("providers.csv", "\n".join(lines).encode())])
    assert "providers.csv: row 5: offers[0].module: module 'erp-deluxe' is not in the catalogue" in messages


def test_replacing_modules_that_stored_providers_still_offer_is_refused(imported):
    few = "catalogue: modules\ninstrument: cn-sme-2024\nmodules:\n" + \
        (SAMPLE / "modules.yaml").read_text(encoding="utf-8").split("modules:\n", 1)[1].split("\n- id: net-industrial")[0]
    messages = _refused(imported, [("modules.yaml", few.encode())], replace=True)
    assert any(m.startswith("stored catalogue: stored entry 'p") and "is not in the catalogue" in m
               for m in messages), messages[:3]


def test_unknown_item_in_an_effect_is_refused(imported):
    bad = (SAMPLE / "modules.yaml").read_text(encoding="utf-8").replace("item: network\n", "item: networks\n", 1)
    messages = _refused(imported, [("modules.yaml", bad.encode())])
    assert "modules.yaml: modules[0]: effects[0]: item 'networks' is not in the instrument" in messages


def test_a_file_of_unknown_kind_is_refused(imported):
    messages = _refused(imported, [("stuff.csv", b"a,b\n1,2\n")])
    assert messages == ["stuff.csv: cannot tell modules from providers: use the documented header"]


def test_csv_export_then_import_gives_the_same_catalogue(imported):
    with imported.app_context():
        modules_csv, providers_csv = catalogues.export("modules", CFG, "csv"), catalogues.export("providers", CFG, "csv")
        before = (catalogues.export("modules", CFG), catalogues.export("providers", CFG))
        report = catalogues.import_files([("modules.csv", modules_csv), ("providers.csv", providers_csv)], CFG,
                                         replace=True)
        after = (catalogues.export("modules", CFG), catalogues.export("providers", CFG))
    assert report.modules == 63 and report.providers == 64
    assert after == before


def test_merge_replaces_by_id_and_keeps_the_rest(imported):
    with imported.app_context():
        one = ("catalogue: providers\nproviders:\n" + catalogues.export("providers", CFG).split("providers:\n", 1)[1]
               .split("\n- id: p002")[0].replace("status: active", "status: warned", 1))
        catalogues.import_files([("providers.yaml", one)], CFG)
        cat = catalogues.current(CFG)
    assert len(cat.providers) == 64 and cat.providers["p001"].status == "warned"


def test_cli_import_reports_problems_and_exits_2(imported, tmp_path):
    bad = tmp_path / "providers.yaml"
    bad.write_text((SAMPLE / "providers.yaml").read_text(encoding="utf-8").replace("type: integrator", "type: broker", 1),
                   encoding="utf-8")
    result = imported.test_cli_runner().invoke(args=["catalogue", "import", str(bad)])
    assert result.exit_code == 2
    assert "providers.yaml: providers[" in result.output and "'broker' is not one of" in result.output
    assert "nothing was imported" in result.output


def test_cli_export_csv_and_plan(imported, tmp_path):
    runner = imported.test_cli_runner()
    out = tmp_path / "m.csv"
    assert runner.invoke(args=["catalogue", "export", "--kind", "modules", "--format", "csv", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,name_zh,name_en")
    result = runner.invoke(args=["plan", "--instrument", "cn-sme-2024", "--answers",
                                 str(ROOT / "examples" / "cn-sme-2024" / "mixed.json"), "--profile",
                                 str(ROOT / "examples" / "profile-manufacturing.json"), "--budget", "500000",
                                 "--format", "table", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Phase 1" in result.output and "reachable within the budget" in result.output


def test_cli_plan_with_bad_answers_exits_2(app, tmp_path):
    bad = tmp_path / "a.json"
    bad.write_text('{"network": "fibre"}', encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["plan", "--instrument", "cn-sme-2024", "--answers", str(bad),
                                                "--budget", "1000"])
    assert result.exit_code == 2
    assert "network" in result.output


def test_csv_gives_certifications_their_english_names(imported):
    """`certifications_en` holds the English names in the same order (an empty name: the same
    in both languages); without the column the names stay as they are; a count that differs
    is refused with the row named."""
    with imported.app_context():
        rows = list(csv.DictReader(io.StringIO(catalogues.export("providers", CFG, "csv"))))
    p002 = next(r for r in rows if r["id"] == "p002")
    assert (p002["certifications"], p002["certifications_en"]) == (
        "两化融合管理体系|ISO 9001|CMMI 3",
        "Integration of informatization and industrialization management system|ISO 9001|CMMI 3")

    def written(changed, columns=None):
        out = io.StringIO()
        writer = csv.DictWriter(out, columns or list(rows[0]), extrasaction="ignore")
        writer.writeheader()
        writer.writerow({**p002, **changed})
        return [("providers.csv", out.getvalue().encode())]

    with imported.app_context():
        catalogues.import_files(written({"certifications": "高新技术企业|ISO 27001",
                                         "certifications_en": "High and New Technology Enterprise|"}), CFG)
        assert catalogues.current(CFG).providers["p002"].certifications == (
            {"zh": "高新技术企业", "en": "High and New Technology Enterprise"},
            {"zh": "ISO 27001", "en": "ISO 27001"})
        older = [c for c in rows[0] if c != "certifications_en"]
        catalogues.import_files(written({"certifications": "ITSS 3"}, older), CFG)
        assert catalogues.current(CFG).providers["p002"].certifications == (
            {"zh": "ITSS 3", "en": "ITSS 3"},)
    messages = _refused(imported, written({"certifications": "高新技术企业|ISO 27001",
                                           "certifications_en": "High and New Technology Enterprise"}))
    assert messages == ["providers.csv: row 2: certifications_en: needs one English name per "
                        "certification (2), separated by '|'"]
