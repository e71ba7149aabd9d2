"""`flask report`: a PDF from a submitted assessment or from answers in a file."""
import json

from reports.demo import ANSWERS, PROFILE
from tests.integration.test_report_support import (attachments, pdftotext, report_app,  # noqa: F401
                                                   submit_assessment)


def test_report_from_answers_file_is_written_in_english(report_app, tmp_path):
    answers, profile, out = tmp_path / "a.json", tmp_path / "p.json", tmp_path / "r.pdf"
    answers.write_text(json.dumps(ANSWERS), encoding="utf-8")
    profile.write_text(json.dumps({**PROFILE, "name": "CLI 测试厂"}), encoding="utf-8")
    result = report_app.test_cli_runner().invoke(args=[
        "report", "--instrument", "cn-sme-2024", "--answers", str(answers),
        "--profile", str(profile), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert "CLI 测试厂" in pdftotext(pdf) and "Summary" in pdftotext(pdf)
    assert attachments(pdf) == {}  # loose answers are not an archival report


def test_report_of_a_submitted_assessment(report_app, sme_user, tmp_path):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    out = tmp_path / "r.pdf"
    result = report_app.test_cli_runner().invoke(args=["report", "--assessment", str(aid),
                                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert list(attachments(out.read_bytes())) == ["result.json"]
    assert f"DR-A{aid}-" in result.output


def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(report_app, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"network": "teleport"}), encoding="utf-8")
    out = tmp_path / "r.pdf"
    runner = report_app.test_cli_runner()
    cases = [
        (["--instrument", "cn-sme-2024", "--answers", str(bad)], "network"),
        (["--instrument", "nope", "--answers", str(bad)], "unknown instrument"),
        (["--assessment", "424242"], "no assessment with id 424242"),
        (["--assessment", "1", "--instrument", "cn-sme-2024"], "either --assessment"),
        (["--instrument", "cn-sme-2024"], "needs --answers"),
    ]
    for args, message in cases:
        result = runner.invoke(args=["report", *args, "--out", str(out)])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
        assert not out.exists()
