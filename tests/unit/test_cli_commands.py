"""`flask instruments check` and `flask diagnose` on the shipped files and on bad ones."""
import json
import shutil
from pathlib import Path

import pytest
import yaml

from app import create_app
from tests.unit.builders import SMALL

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def cli(tmp_path):
    def make(questionnaires=ROOT / "questionnaires"):
        app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
                          "QUESTIONNAIRES_DIR": questionnaires})
        return app.test_cli_runner()
    return make


def test_check_passes_on_the_shipped_instruments(cli):
    result = cli().invoke(args=["instruments", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok ") == 6  # four instrument versions and two answer mappings
    assert "cn-sme-2024-1.0.0-to-2.0.0.yaml (cn-sme-2024 1.0.0 → cn-sme-2024 2.0.0)" in result.output


def test_check_fails_with_every_message(cli, tmp_path):
    bad = dict(SMALL, version="one", total={"points": 11})
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [\n", encoding="utf-8")
    result = cli().invoke(args=["instruments", "check", str(path), str(broken)])
    assert result.exit_code == 1
    assert f"{path}: version: version 'one' must be a semantic version like 1.0.0" in result.stderr
    assert f"{path}: total.points: points 11 do not add up: its dimensions sum to 10" in result.stderr
    assert f"{broken}: line 2: malformed YAML" in result.stderr


def test_diagnose_an_older_version(cn_v1_answers, cli):
    result = cli().invoke(args=["diagnose", "--instrument", "cn-sme-2024", "--version", "1.0.0",
                                "--answers", str(cn_v1_answers), "--profile", str(EXAMPLES / "profile-manufacturing.json")])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["version"], out["total"], out["level"]["id"]) == ("1.0.0", 47.0, "level2")
    result = cli().invoke(args=["diagnose", "--instrument", "cn-sme-2024", "--version", "0.1.0",
                                "--answers", str(cn_v1_answers)])
    assert result.exit_code == 2 and "unknown version 0.1.0 of 'cn-sme-2024' (available: 1.0.0, 2.0.0)" in result.stderr


@pytest.fixture
def cn_v1_answers():
    return ROOT / "tests" / "data" / "v1" / "mixed.json"


def examples():
    for answers in sorted(EXAMPLES.glob("*/*.json")):
        profile = "profile-services.json" if answers.name == "services.json" else "profile-manufacturing.json"
        yield answers.parent.name, answers, EXAMPLES / profile


@pytest.mark.parametrize("instrument, answers, profile", list(examples()), ids=lambda v: getattr(v, "name", v))
def test_diagnose_works_on_every_example(cli, instrument, answers, profile):
    result = cli().invoke(args=["diagnose", "--instrument", instrument, "--answers", str(answers),
                                "--profile", str(profile)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["instrument"] == instrument
    for key in ("version", "total", "level", "dimensions", "scenarios", "level_checks", "next_level"):
        assert key in out
    assert all({"score", "max"} <= set(d) for d in out["dimensions"].values())


def test_diagnose_table_format(cli):
    result = cli().invoke(args=["diagnose", "--instrument", "cn-sme-2024", "--answers",
                                str(EXAMPLES / "cn-sme-2024" / "mixed.json"), "--format", "table", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Total: 43.23 / 100" in result.stdout
    assert "Level: Level 2" in result.stdout
    assert "Next level: Level 3" in result.stdout


def test_diagnose_bad_answers_exit_2_with_every_problem(cli, tmp_path):
    path = tmp_path / "answers.json"
    answers = json.loads((EXAMPLES / "cn-sme-2024" / "mixed.json").read_text(encoding="utf-8"))
    answers |= {"network": ["fibre"], "bogus": 1, "digital_talent": "n/a"}
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = cli().invoke(args=["diagnose", "--instrument", "cn-sme-2024", "--answers", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}: bogus: not a question of cn-sme-2024" in result.stderr
    assert f"{path}: network: option 'fibre' is not offered" in result.stderr
    assert f"{path}: digital_talent: 'n/a' is not allowed for this question" in result.stderr
    assert "3 problem(s) found" in result.stderr


def test_diagnose_unknown_instrument_and_unreadable_json(cli, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text("{not json", encoding="utf-8")
    result = cli().invoke(args=["diagnose", "--instrument", "nope", "--answers", str(path)])
    assert result.exit_code == 2
    assert "unknown instrument 'nope' (available: cn-sme-2024, eu-dma, quick-check)" in result.stderr
    result = cli().invoke(args=["diagnose", "--instrument", "eu-dma", "--answers", str(path)])
    assert result.exit_code == 2 and f"answers {path}: not valid JSON" in result.stderr


def test_diagnose_uses_the_configured_questionnaires_dir(cli, tmp_path):
    folder = tmp_path / "q"
    folder.mkdir()
    shutil.copy(ROOT / "questionnaires" / "quick-check.yaml", folder)
    result = cli(folder).invoke(args=["diagnose", "--instrument", "cn-sme-2024", "--answers",
                                      str(EXAMPLES / "cn-sme-2024" / "best.json")])
    assert result.exit_code == 2 and "(available: quick-check)" in result.stderr


def test_every_listed_command_is_the_command_of_that_name_with_its_help_line():
    from commands import COMMANDS, LazyCommand

    for name, (target, help_line) in COMMANDS.items():
        real = LazyCommand(name, target, help_line).load()
        assert real.name == name
        assert real.get_short_help_str(200) == help_line, name


def test_a_listed_group_shows_its_own_commands(cli):
    result = cli().invoke(args=["catalogue", "--help"])
    assert result.exit_code == 0, result.output
    assert "import" in result.output and "export" in result.output
