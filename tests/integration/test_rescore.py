"""What-if rescoring on a real database: hand-checked moves, nothing stored changes, bad input."""
import json
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[2]


def _population(app):
    result = app.test_cli_runner().invoke(args=["demo", "population", "--enterprises", "60",
                                                "--quarters", "2", "--seed", "11"])
    assert result.exit_code == 0, result.output


def _latest(app):
    from storage.db import db_session
    from storage.models import Assessment

    with app.app_context():
        rows = db_session.scalars(select(Assessment).order_by(Assessment.id)).all()
        latest = {}
        for row in rows:
            latest[row.enterprise_id] = (row.level_id, row.total, row.result)
        return latest


def _changed(tmp_path, old="total_at_least: 40", new="total_at_least: 45"):
    changed = tmp_path / "cn.yaml"
    text = (ROOT / "questionnaires" / "cn-sme-2024.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    changed.write_text(text.replace(old, new), "utf-8")
    return changed


def test_a_higher_level_two_threshold_moves_exactly_the_level_two_results_below_it(app, tmp_path):
    from diagnosis import load_instrument
    from services import rescore

    _population(app)
    before = _latest(app)
    with app.app_context():  # k = 1: nothing is small, every count as it is
        found = rescore.what_if(load_instrument(_changed(tmp_path)), "2.0.0", k=1)
    expected = sum(1 for level, total, _ in before.values() if level == "level2" and total < 45)
    assert found["assessments"] == len(before) and found["unscorable"] == 0
    assert found["moves"] == ({"level2→level1": expected} if expected else {})
    assert found["after"]["level1"] == found["before"]["level1"] + expected
    assert _latest(app) == before  # nothing stored changed


def test_the_command_publishes_only_what_disclosure_control_allows(app, tmp_path):
    from diagnosis import load_instrument
    from services import rescore

    _population(app)
    changed = _changed(tmp_path, "total_at_least: 40", "total_at_least: 41")
    result = app.test_cli_runner().invoke(args=["rescore", "--instrument", "cn-sme-2024",
                                                "--file", str(changed), "--what-if"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    with app.app_context():
        exact = rescore.what_if(load_instrument(changed), "2.0.0", k=1)
    assert found["k"] == 5
    for part in ("before", "after", "moves"):
        for key, value in found[part].items():
            assert value is None or value == exact[part][key]
            assert value is None or not 0 < value < 5, (part, key)
    small = [key for key, value in exact["moves"].items() if 0 < value < 5]
    assert small and all(found["moves"][key] is None for key in small)  # "×" in the table
    table = app.test_cli_runner().invoke(args=["rescore", "--instrument", "cn-sme-2024", "--file",
                                               str(changed), "--what-if", "--format", "table"])
    assert f"{small[0]}: ×" in table.output and "suppressed" in table.output


def test_the_unchanged_file_moves_nothing(app):
    _population(app)
    result = app.test_cli_runner().invoke(args=[
        "rescore", "--instrument", "cn-sme-2024", "--what-if", "--format", "table",
        "--file", str(ROOT / "questionnaires" / "cn-sme-2024.yaml")])
    assert result.exit_code == 0, result.output
    assert "→ file 2.0.0" in result.output and "level2→" not in result.output


def test_bad_rescore_requests_exit_2_naming_the_problem(app, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed", "utf-8")
    runner = app.test_cli_runner()
    no_flag = runner.invoke(args=["rescore", "--instrument", "cn-sme-2024", "--file",
                                  str(ROOT / "questionnaires" / "cn-sme-2024.yaml")])
    assert no_flag.exit_code == 2 and "--what-if is required" in no_flag.output
    bad = runner.invoke(args=["rescore", "--instrument", "cn-sme-2024", "--file", str(broken),
                              "--what-if"])
    assert bad.exit_code == 2 and "broken.yaml" in bad.output
    other = runner.invoke(args=["rescore", "--instrument", "cn-sme-2024", "--what-if", "--file",
                                str(ROOT / "questionnaires" / "eu-dma.yaml")])
    assert other.exit_code == 2 and "is instrument 'eu-dma'" in other.output
