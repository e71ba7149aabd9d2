"""`flask assessments list`: exactly the keys the issue names, self and on-site rows, the
enterprise filter, the table, bad ids refused."""
import json

from services import on_site, on_site_sign_off
from services.instrument_registry import instruments
from tests.integration.test_report_support import submit_assessment
from tests.organisation_helpers import account, consent, make_org, staff_user

KEYS = ["id", "enterprise", "instrument", "version", "mode", "status", "total", "level",
        "signed_at", "report_number"]


def test_list_self_and_signed_on_site_assessments(app, runner, make_user, sme_user,
                                                  other_sme_user):
    org = make_org(app, "centre", name="烟台市中小企业数字化转型促进中心")
    own = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    other = submit_assessment(app, other_sme_user.enterprise_id, other_sme_user.id)
    consent(app, sme_user.enterprise_id, org)
    consultant = account(app, staff_user(app, make_user, org))
    with app.app_context():
        instrument = instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
        visit = on_site.start(consultant, org, sme_user.enterprise_id, instrument)
        signed = on_site_sign_off.sign(consultant, visit, instrument)
    result = runner.invoke(args=["assessments", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [list(r) for r in rows] == [KEYS] * 3
    assert [(r["id"], r["mode"], r["status"]) for r in rows] == [
        (own, "self", "submitted"), (other, "self", "submitted"), (visit, "on_site", "signed")]
    last = rows[-1]
    assert last["report_number"] == signed["report_number"]
    assert last["level"] == signed["level"]["id"] and last["signed_at"].endswith("Z")
    assert rows[0]["report_number"] is None and rows[0]["signed_at"] is None
    assert isinstance(rows[0]["total"], float) and rows[0]["enterprise"] == sme_user.enterprise_id
    only = json.loads(runner.invoke(args=["assessments", "list", "--enterprise",
                                          str(other_sme_user.enterprise_id),
                                          "--format", "json"]).output)
    assert [r["id"] for r in only] == [other]
    table = runner.invoke(args=["assessments", "list", "--format", "table"]).output.splitlines()
    assert table[0].split() == KEYS and len(table) == 4
    assert signed["report_number"] in table[3]


def test_bad_enterprise_ids_and_formats_exit_2(runner):
    for args in (["--enterprise", "0"], ["--enterprise", "x"], ["--enterprise", str(2**64)],
                 ["--format", "csv"]):
        result = runner.invoke(args=["assessments", "list", *args])
        assert result.exit_code == 2, args
