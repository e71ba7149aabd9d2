"""`flask plan --instrument ID --answers FILE.json [--profile FILE.json] --budget N
[--target-level L] [--horizon M] [--catalogue DIR] [--format json|table]`."""
import json

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from commands.diagnose import _fail, _read_json
from diagnosis import AnswerError, InstrumentError, load_instruments
from diagnosis.budget import PROBLEMS, BudgetError, parse_budget
from diagnosis.catalogue import CatalogueError, load_catalogue
from diagnosis.profile_links import profile_from_answers
from diagnosis.texts import tr
from services import catalogue as catalogues


def _catalogue(directory, inst):
    try:
        if directory:
            return load_catalogue(directory, inst)
        try:
            return catalogues.current(current_app.config)
        except SQLAlchemyError:  # database not set up: the sample files are the catalogue
            return load_catalogue(current_app.config["CATALOGUES_DIR"], inst)
    except CatalogueError as exc:
        _fail([str(p) for p in exc.problems])


@click.command("plan")
@with_appcontext
@click.option("--instrument", "instrument_id", required=True, help="Instrument id, e.g. cn-sme-2024.")
@click.option("--answers", "answers_path", required=True, type=click.Path(dir_okay=False))
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False), help="Enterprise profile JSON.")
@click.option("--budget", "budget_text", required=True,
              help="Budget in yuan (net of subsidy), as written: 200000, 200,000, ¥200,000, 20万, 200k.")
@click.option("--target-level", "target", help="Level id or rank (default: the next level).")
@click.option("--horizon", type=click.IntRange(1, 60), default=12, show_default=True, help="Months.")
@click.option("--phases", type=click.IntRange(1, 12), default=3, show_default=True)
@click.option("--catalogue", "catalogue_dir", type=click.Path(file_okay=False, exists=True),
              help="Catalogue directory (modules.yaml, providers.yaml); default: the catalogue in use.")
@click.option("--no-subsidy", is_flag=True, help="Ignore the configured subsidy rule.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def plan(instrument_id, answers_path, profile_path, budget_text, target, horizon, phases, catalogue_dir,
         no_subsidy, fmt, lang):
    """A budgeted roadmap of modules and providers; bad input exits 2 with every problem on stderr."""
    try:
        budget = parse_budget(budget_text)
    except BudgetError as err:
        _fail([f"--budget {budget_text!r}: {PROBLEMS[err.code]}"])
    try:
        inst = load_instruments(current_app.config["QUESTIONNAIRES_DIR"]).get(instrument_id)
    except InstrumentError as exc:
        _fail(exc.problems)
    if inst is None:
        _fail([f"unknown instrument '{instrument_id}'"])
    answers = _read_json(answers_path, "answers")
    profile = _read_json(profile_path, "profile") if profile_path else None
    cat = _catalogue(catalogue_dir, inst)
    try:
        subsidy = None if no_subsidy else catalogues.subsidy_rule(current_app.config)
        profile = profile_from_answers(inst, answers, profile)  # the answer says who owns digitalisation
        from diagnosis.planning import make_plan  # numpy loads here, not with `flask --help`

        result = make_plan(inst, answers, profile, cat, budget, target_level=target, horizon_months=horizon,
                           phases=phases, subsidy=subsidy)
    except AnswerError as exc:
        _fail([f"{answers_path}: {p.message}" for p in exc.problems] + [f"{len(exc.problems)} problem(s) found"])
    except CatalogueError as exc:
        _fail([str(p) for p in exc.problems])
    except ValueError as exc:
        _fail([str(exc)])
    data = result.to_dict()
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else render_table(data, lang))


def _money(n):
    return f"¥{n:,.0f}"


def render_table(p, lang):
    """A plain-text roadmap in one language."""
    zh = lang == "zh"
    def t(text):
        return tr(text, lang)

    cur, tgt = p["current"], p["target_level"]
    lines = [f"{'现状' if zh else 'Now'}: {cur['total']:.2f} {t(cur['level']['name'])}    "
             f"{'目标' if zh else 'Target'}: {t(tgt['name'])}    {'预算' if zh else 'Budget'}: {_money(p['budget'])}"]
    if p["reachable"]:
        lines.append("预算内可达到目标等级。" if zh else "The target level is reachable within the budget.")
    elif p["min_budget_for_target"] is not None:
        lines.append((f"预算不足以达到目标等级；至少需要 {_money(p['min_budget_for_target'])}。" if zh else
                      f"The budget cannot reach the target level; it needs at least "
                      f"{_money(p['min_budget_for_target'])}."))
    else:
        lines.append("现有方案目录无法达到目标等级。" if zh else "The catalogue cannot reach the target level.")
    if p["budget"] == 0:
        lines.append(t(p["zero_budget"]))
    lines.append(t(p["summary"]))
    for ph in p["phases"]:
        lines.append("")
        lines.append(f"{'阶段' if zh else 'Phase'} {ph['index']} ({ph['months'][0]:g}–{ph['months'][1]:g} "
                     f"{'月' if zh else 'months'}): {'累计' if zh else 'cumulative'} {_money(ph['cumulative_cost'])}, "
                     f"{ph['projected_total']:.2f} {t(ph['projected_level']['name'])}")
        lines.append(f"  {t(ph['summary'])}")
        for m in ph["modules"]:
            lines.append(f"  - {t(m['name'])} [{m['id']}] {_money(m['net_cost'])}"
                         + (f" ({'补贴后' if zh else 'after subsidy'}; {_money(m['cost'])})" if m["subsidy"] else "")
                         + f", {m['weeks']} {'周' if zh else 'weeks'}")
            lines.append(f"    {t(m['why'])}")
            for prov in m["providers"][:3] + m["public_platforms"][:1]:
                mark = (" [警示]" if zh else " [warned]") if prov["warned"] else ""
                lines.append(f"      · {t(prov['name'])}{mark}: {prov['score']:g} — {t(prov['why'])}")
    if p["cio_recommendation"]:
        lines.append("")
        lines.append(t(p["cio_recommendation"]["text"]))
    return "\n".join(lines)
