"""`flask diagnose --instrument ID [--version V] --answers FILE.json [--profile FILE.json] [--format json|table]`."""
import json

import click
from flask import current_app
from flask.cli import with_appcontext

import diagnosis
from diagnosis import AnswerError, InstrumentError, load_instruments
from diagnosis.texts import tr

EXIT_BAD_INPUT = 2


def _fail(lines):
    for line in lines:
        click.echo(line, err=True)
    raise SystemExit(EXIT_BAD_INPUT)


def _read_json(path, what):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        _fail([f"{what} {path}: cannot read: {exc.strerror}"])
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        _fail([f"{what} {path}: not valid JSON: {exc}"])


@click.command("diagnose")
@with_appcontext
@click.option("--instrument", "instrument_id", required=True, help="Instrument id, e.g. cn-sme-2024.")
@click.option("--version", "version", help="Instrument version (default: the latest), e.g. 1.0.0.")
@click.option("--answers", "answers_path", required=True, type=click.Path(dir_okay=False),
              help="Answers JSON: question id -> answer.")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False), help="Enterprise profile JSON.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the table format.")
def diagnose(instrument_id, version, answers_path, profile_path, fmt, lang):
    """Score one assessment; bad answers exit 2 with every problem on stderr."""
    try:
        instruments = load_instruments(current_app.config["QUESTIONNAIRES_DIR"])
    except InstrumentError as exc:
        _fail(exc.problems)
    inst = instruments.get(instrument_id)
    if inst is None:
        _fail([f"unknown instrument '{instrument_id}' (available: {', '.join(sorted(instruments))})"])
    if version is not None and version != inst.version:
        inst = instruments.version(instrument_id, version)
        if inst is None:
            known = ", ".join(i.version for i in instruments.versions(instrument_id))
            _fail([f"unknown version {version} of '{instrument_id}' (available: {known})"])
    answers = _read_json(answers_path, "answers")
    profile = _read_json(profile_path, "profile") if profile_path else None
    try:
        result = diagnosis.score(inst, answers, profile)  # numpy loads here, not with `flask --help`
    except AnswerError as exc:
        _fail([f"{answers_path}: {p.message}" for p in exc.problems] + [f"{len(exc.problems)} problem(s) found"])
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_table(result.to_dict(), lang))


def render_table(d, lang):
    """A plain-text summary of a result dict in one language."""
    def t(text):
        return tr(text, lang)

    yes, no = ("通过", "未通过") if lang == "zh" else ("pass", "fail")
    lines = [f"{d['instrument']} {d['version']}" + ("  (indicative)" if d["indicative"] else ""),
             f"{'总分' if lang == 'zh' else 'Total'}: {d['total']:.2f} / {d['max_total']:g}",
             f"{'等级' if lang == 'zh' else 'Level'}: {t(d['level']['name'])} — {t(d['level']['meaning'])}", ""]
    for dim in d["dimensions"].values():
        lines.append(f"{t(dim['title']):<30} {dim['score']:>7.2f} / {dim['max']:g}")
        for ind in dim["indicators"].values():
            lines.append(f"  {t(ind['title']):<28} {ind['score']:>7.2f} / {ind['max']:.2f}")
    if d["scenarios"]:
        lines.append("")
        lines.append(("场景等级: " if lang == "zh" else "Scenario levels: ")
                     + ", ".join(f"{k}={v}" for k, v in d["scenarios"].items()))
    lines.append("")
    for check in d["level_checks"]:
        lines.append(f"{t(check['name'])}: {yes if check['passed'] else no}")
        for c in check["conditions"]:
            mark = yes if c["passed"] else no
            lines.append(f"  [{mark}] {t(c['text'])} ({c['actual']:g} / {c['required']:g})")
    nxt = d["next_level"]
    lines.append("")
    if nxt["reached_top"]:
        lines.append("已达最高等级" if lang == "zh" else "Top level reached")
    else:
        lines.append(("下一等级: " if lang == "zh" else "Next level: ") + t(nxt["level"]["name"]))
        for imp in nxt["improvements"]:
            gain = f" (+{imp['gain']:g})" if imp["gain"] else ""
            lines.append(f"  - {t(imp['text'])}: {t(imp['from_text'])} → {t(imp['to_text'])}{gain}")
        for u in nxt["unreachable"]:
            lines.append(f"  ! {t(u)}")
    return "\n".join(lines)
