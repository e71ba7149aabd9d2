"""The demo projects and the two commands: `projects list` and `providers outcomes` with exactly
the keys the documentation names, in JSON and as a table."""
import json

from services.population import SYNTHETIC

KEYS = {"id", "enterprise", "provider", "modules", "status", "contracted_amount", "subsidy",
        "t0_assessment_id", "t1_assessment_id"}


def test_the_demo_seeds_projects_in_several_states_and_the_commands_show_them(app, runner):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    listed = runner.invoke(args=["projects", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    everything = json.loads(listed.output)
    assert all(set(r) == KEYS for r in everything)
    # the synthetic population's help requests (no people, marked by name) are not the demo's
    rows = [r for r in everything if not r["enterprise"].startswith(SYNTHETIC)]
    assert sorted(r["status"] for r in rows) == ["accepted", "accepted", "implementing", "quoted", "requested"]
    accepted = [r for r in rows if r["status"] == "accepted"]
    assert all(r["t0_assessment_id"] and r["t1_assessment_id"] for r in accepted)
    # 高新精测 (C40) is outside the pilot sub-sectors: no subsidy; 新源 (C26): 30 % of 66,500
    assert sorted((r["contracted_amount"], r["subsidy"]) for r in accepted) == [(33000, 0), (66500, 19950)]

    outcomes = runner.invoke(args=["providers", "outcomes"])
    assert outcomes.exit_code == 0
    by_id = {row["provider"]: row for row in json.loads(outcomes.output)}
    p001 = by_id["p001"]["record"]
    # two accepted (4+3+4+4)/4 = 3.75 and (5+4+5+4)/4 = 4.5 → median 4.125; contracts 60 and
    # 90 days before acceptance → median 75
    assert (p001["projects"], p001["accepted"], p001["rated"]) == (3, 2, 2)
    assert p001["median_satisfaction"] == 4.125 and p001["median_days_to_acceptance"] == 75.0
    assert p001["shown"] is False and by_id["p002"]["status"] == "warned"

    table = runner.invoke(args=["providers", "outcomes", "--format", "table"]).output
    assert "p001" in table and "4.125" in table
    assert "implementing" in runner.invoke(args=["projects", "list", "--format", "table"]).output

    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0
    assert len(json.loads(runner.invoke(args=["projects", "list"]).output)) == len(everything)
