"""Bureau aggregates on a real database: hand-computed tables, suppression, differencing,
bad queries, the command line and its CSV/XLSX files read back."""
import csv
import io
import json
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, func

from services import aggregate_counts, aggregates, instrument_registry, organisations
from services.access import BureauScope

LEVELS = ["none", "level1", "level2", "level3", "level4"]
WHEN = datetime(2026, 3, 1, tzinfo=timezone.utc)
# district, size class, industry, level, total, how many
POPULATION = [("芝罘区", "small", "C34", "level1", 30.0, 3), ("芝罘区", "small", "C35", "level1", 30.0, 1),
              ("芝罘区", "small", "C34", "level2", 50.0, 2), ("芝罘区", "medium", "C34", "level2", 45.0, 2),
              ("莱山区", "small", "C34", "level1", 20.0, 5), ("莱山区", "medium", "C34", "level3", 65.0, 1)]


@pytest.fixture
def population(app):
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    with app.app_context():
        for district, size, industry, level, total, count in POPULATION:
            for _ in range(count):
                firm = Enterprise(name="synthetic", district=district, size_class=size,
                                  industry_code=industry)
                db_session.add(firm)
                db_session.flush()
                # an older submission that the latest one replaces
                db_session.add(Assessment(enterprise_id=firm.id, instrument_id="cn-sme-2024",
                                          instrument_version="2.0.0", status="submitted",
                                          answers={}, total=5.0, level_id="none",
                                          submitted_at=datetime(2026, 1, 5, tzinfo=timezone.utc)))
                db_session.flush()
                db_session.add(Assessment(enterprise_id=firm.id, instrument_id="cn-sme-2024",
                                          instrument_version="2.0.0", status="submitted",
                                          answers={}, total=total, level_id=level,
                                          submitted_at=WHEN))
        db_session.commit()
    return app


def query(app, scope=None, **raw):
    with app.app_context():
        registry = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])
        parsed = aggregates.parse({"instrument": "cn-sme-2024", **raw},
                                  organisations.reference(app.config), registry,
                                  date(2026, 12, 1), scope=scope)
        return aggregates.table(parsed, LEVELS, scope)


def test_one_key_table_is_hand_computed_with_small_level_counts_hidden_in_pairs(population):
    table = query(population, by="district")
    zhifu, laishan = table["margins"]["district"]
    assert table["total"]["n"] == 14 and table["total"]["mean_total"] == round(475 / 14, 2)
    assert table["total"]["levels"] == {"none": 0, "level1": 9, "level2": None, "level3": None,
                                        "level4": 0}
    cells = {cell["district"]: cell for cell in table["cells"]}
    assert cells["芝罘区"]["n"] == 8 and cells["芝罘区"]["mean_total"] == 38.75
    assert cells["莱山区"]["n"] == 6 and cells["莱山区"]["mean_total"] == 27.5
    # 莱山区: five at level1 and one at level3; the 1 is small, and 5 would give it away
    assert cells["莱山区"]["levels"]["level3"] is None and cells["莱山区"]["levels"]["level1"] is None
    assert cells["莱山区"]["levels"]["level2"] == 0
    assert zhifu["n"] == 8 and laishan["n"] == 6


def test_size_classes_run_from_large_to_micro_not_by_spelling(population):
    table = query(population, by="size_class,district")
    assert [m["size_class"] for m in table["margins"]["size_class"]] == ["medium", "small"]
    assert [(c["size_class"], c["district"]) for c in table["cells"]] == [
        ("medium", "芝罘区"), ("medium", "莱山区"), ("small", "芝罘区"), ("small", "莱山区")]
    assert aggregates._order_value("large") < aggregates._order_value("medium") < \
        aggregates._order_value("small") < aggregates._order_value("micro")


def test_the_older_submission_does_not_count_before_the_date_it_was_replaced(population):
    table = query(population, by="district", as_of="2026-02-01")
    assert table["total"]["n"] == 14 and table["total"]["levels"]["none"] == 14
    assert table["total"]["mean_total"] == 5.0


def test_two_key_table_suppresses_small_cells_and_enough_others(population):
    table = query(population, by="district,size_class")
    cells = {(c["district"], c["size_class"]): c for c in table["cells"]}
    assert cells[("芝罘区", "medium")]["suppressed"] and cells[("芝罘区", "medium")]["n"] is None
    assert cells[("莱山区", "medium")]["suppressed"] and cells[("莱山区", "medium")]["levels"] is None
    # 芝罘区 medium (2) = 芝罘区 (8) − 芝罘区 small (6) unless one of them is hidden too
    zhifu = {m["district"]: m for m in table["margins"]["district"]}["芝罘区"]
    assert zhifu["suppressed"] or cells[("芝罘区", "small")]["suppressed"]
    assert all(c["n"] is None or c["n"] >= 5 for c in table["cells"])
    assert table["total"]["n"] == 14


def test_the_same_counts_are_protected_once_and_new_counts_afresh(population):
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    aggregates._protected_cross.cache_clear()
    first = query(population, by="district,size_class")
    once = aggregates._protected_cross.cache_info()
    again = query(population, by="district,size_class")
    twice = aggregates._protected_cross.cache_info()
    assert again == first
    assert (twice.hits, twice.misses) == (once.hits + 1, once.misses) and once.misses == 1
    with population.app_context():
        firm = Enterprise(name="synthetic", district="莱山区", size_class="medium",
                          industry_code="C34")
        db_session.add(firm)
        db_session.flush()
        db_session.add(Assessment(enterprise_id=firm.id, instrument_id="cn-sme-2024",
                                  instrument_version="2.0.0", status="submitted", answers={},
                                  total=60.0, level_id="level3", submitted_at=WHEN))
        db_session.commit()
    changed = query(population, by="district,size_class")
    assert aggregates._protected_cross.cache_info().misses == twice.misses + 1
    assert changed["total"]["n"] == 15 and first["total"]["n"] == 14


def test_within_one_reading_a_coarser_table_is_summed_from_a_finer_one_counted(population):
    from unittest import mock

    with population.app_context():
        registry = instrument_registry.instruments(population.config["QUESTIONNAIRES_DIR"])
        fine, coarse = (aggregates.parse({"instrument": "cn-sme-2024", "by": by,
                                          "industry": "C34"},
                                         organisations.reference(population.config), registry,
                                         date(2026, 12, 1)) for by in ("size_class,district",
                                                                       "district"))
        counted = aggregate_counts.counts(coarse)
        with aggregate_counts.one_reading(), mock.patch.object(
                aggregate_counts, "_counted_now",
                wraps=aggregate_counts._counted_now) as in_database:
            aggregate_counts.counts(fine)
            assert aggregate_counts.counts(coarse) == counted
            assert aggregate_counts.counts(fine) is aggregate_counts.counts(fine)
        assert in_database.call_count == 1  # the coarse table and the repeat asked nothing
    # hand-computed: C34 in 芝罘区 at level 1 is 3 enterprises of 30 points
    assert counted[(("芝罘区",), "level1")] == (3, 90.0)


def test_a_district_with_and_without_one_industry_cannot_be_subtracted(population):
    whole = query(population, by="size_class", district="芝罘区")
    c34 = query(population, by="size_class", district="芝罘区", industry="C34")
    assert whole["total"]["n"] == 8
    # 7 in C34 and 1 in C35: publishing the 7 would reveal the single C35 firm's presence
    # and, with the means, its total
    assert c34["total"]["suppressed"] and c34["total"]["n"] is None
    assert c34["total"]["mean_total"] is None


def test_mode_counts_the_latest_assessment_of_that_mode(population):
    from storage.db import db_session
    from storage.models import Assessment

    with population.app_context():  # one 莱山区 firm's latest becomes a signed on-site one
        row = db_session.scalars(select(Assessment).where(Assessment.level_id == "level3")).one()
        row.mode = "on_site"
        db_session.commit()
    on_site = query(population, by="district", mode="on_site")
    assert on_site["total"]["suppressed"] and on_site["total"]["n"] is None  # one firm
    self_only = query(population, by="district", mode="self")
    # its older self-assessment (level none) counts as its latest self-assessment, and the
    # difference with "all" (one firm's level) must not show: those level counts are hidden
    assert self_only["total"]["n"] == 14
    assert self_only["total"]["levels"]["none"] is None


def test_bad_queries_name_every_problem_in_both_languages(population):
    with pytest.raises(aggregates.QueryInvalid) as err:
        query(population, by="district,colour", industry="Q99X", district="外星区",
              as_of="2026-13-01", mode="remote", size_class="giant")
    codes = {code for _, code, _ in err.value.problems}
    assert codes == {"unknown_by", "unknown_industry", "unknown_district", "bad_date",
                     "unknown_mode", "unknown_size_class"}
    assert any("colour" in m and "未知的分组维度" in m for m in err.value.messages("zh"))
    assert any("Unknown key to group by: colour" in m for m in err.value.messages("en"))
    with pytest.raises(aggregates.QueryInvalid) as err:
        query(population, by="district", as_of="2027-01-01")
    assert err.value.problems == [("as_of", "future_date", "2027-01-01")]


def test_a_district_bureau_sees_only_its_district_and_cannot_ask_for_another(population):
    scope = BureauScope(1, frozenset({"莱山区"}), frozenset())
    table = query(population, scope=scope, by="district")
    assert [c["district"] for c in table["cells"]] == ["莱山区"]
    assert table["total"]["n"] == 6
    with pytest.raises(aggregates.QueryInvalid) as err:
        query(population, scope=scope, by="size_class", district="芝罘区")
    assert err.value.problems == [("district", "outside_scope", "芝罘区")]


def run(app, *args):
    return app.test_cli_runner().invoke(args=["aggregates", "--instrument", "cn-sme-2024",
                                              "--as-of", "2026-06-30", *args])


def test_command_prints_the_json_of_the_issue(population):
    result = run(population, "--by", "district,size_class", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"k", "filters", "by", "cells", "margins"}
    assert data["k"] == 5 and data["by"] == ["district", "size_class"]
    assert data["filters"]["as_of"] == "2026-06-30"
    for cell in data["cells"]:
        assert set(cell) == {"district", "size_class", "n", "suppressed", "levels", "mean_total"}
    assert set(data["margins"]) == {"district", "size_class"}


def test_command_csv_has_a_bom_and_reads_back(population, tmp_path):
    out = tmp_path / "t.csv"
    result = run(population, "--by", "district", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["district", "n", "suppressed", *LEVELS, "mean_total"]
    laishan = next(row for row in rows if row[0] == "莱山区")
    assert laishan[1] == "6" and laishan[6] == "×" and laishan[-1] == "27.5"
    assert rows[-1][0] == "合计" and rows[-1][1] == "14"


def test_command_xlsx_has_the_table_and_a_notes_sheet(population, tmp_path):
    out = tmp_path / "t.xlsx"
    result = run(population, "--by", "district", "--format", "xlsx", "--out", str(out),
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["table", "notes"]
    rows = list(book["table"].iter_rows(values_only=True))
    assert rows[0][:3] == ("district", "n", "suppressed") and rows[-1][:2] == ("Total", 14)
    notes = {row[0]: row[1] for row in book["notes"].iter_rows(values_only=True)}
    assert notes["Threshold k"] == 5 and notes["Instrument and version"] == "cn-sme-2024 2.0.0"
    assert "never shown as 0" in notes["Notes"]
    assert notes["Filters"] == "Assessment mode: Both" and notes["Grouped by"] == "District"


def test_the_notes_name_filters_keys_and_coded_values_in_the_readers_language(population,
                                                                              tmp_path):
    out = tmp_path / "t.xlsx"
    result = run(population, "--by", "district,size_class", "--district", "莱山区", "--mode",
                 "self", "--priority", "automotive", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.output
    notes = {row[0]: row[1] for row in load_workbook(out)["notes"].iter_rows(values_only=True)}
    assert notes["筛选条件"] == "所在区（市）: 莱山区; 评测方式: 自评; 重点产业: 汽车"
    assert notes["分组"] == "所在区（市）, 企业规模"


def test_command_refuses_bad_filters_with_exit_2_and_writes_nothing(population, tmp_path):
    out = tmp_path / "t.csv"
    result = run(population, "--by", "district,planet", "--district", "外星区", "--format",
                 "csv", "--out", str(out), "--lang", "en")
    assert result.exit_code == 2
    assert "Unknown key to group by: planet" in result.output
    assert "Unknown district: 外星区" in result.output
    assert not out.exists()


def test_demo_population_adds_marked_synthetic_enterprises_with_scored_quarters(app):
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    result = app.test_cli_runner().invoke(args=["demo", "population", "--enterprises", "40",
                                                "--quarters", "3", "--seed", "5"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        firms = db_session.scalars(select(Enterprise)).all()
        rows = db_session.scalars(select(Assessment)).all()
        assert len(firms) == 40 and all(f.name.startswith("【合成】") for f in firms)
        assert 40 <= len(rows) <= 120 and all(r.result["synthetic"] for r in rows)
        assert {r.level_id for r in rows} <= {"none", "level1", "level2", "level3", "level4"}
        assert all(0 <= r.total <= 100 for r in rows)
        per_firm = db_session.execute(select(func.count()).select_from(Assessment)
                                      .group_by(Assessment.enterprise_id)).scalars().all()
        assert max(per_firm) > 1  # some enterprises re-assessed in a later quarter
    assert f"40 synthetic enterprises, {len(rows)} submitted assessments" in result.output
