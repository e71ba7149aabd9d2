"""The people and assessments the load and fault benchmarks sign in as, made through the services.

`prepare(database_url, smes, consultants, analysts)` migrates the database, then makes:
- `smes` enterprises, each with its owner, a cn-sme-2024 draft (the one it autosaves into)
  and a submitted assessment of examples/cn-sme-2024/mixed.json (for reports and consultants);
- a centre with `consultants` consultants, given consent by every other enterprise;
- a district bureau with `analysts` analysts.
Returns the plan (plain JSON) that bench/locustfile.py reads.
"""
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-2024"
INSTRUMENT = "cn-sme-2024"
# A rate question with no condition: its numerator carries each client's save counter, so the
# fault benchmark can tell which acknowledged save the database kept.
COUNTER_QUESTION = "equipment_digital_rate"
COUNTER_DENOMINATOR = 1_000_000


def migrate(database_url):
    done = subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=ROOT,
                          env={**os.environ, "DATABASE_URL": database_url},
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"alembic upgrade head failed: {done.stderr.strip()[-800:]}")


def _page_of(instrument, qid):
    from web.assess.pages import pages

    for pg in pages(instrument):
        if qid in pg.question_ids:
            return pg.number
    raise LookupError(f"{qid} is on no page of {instrument.id} {instrument.version}")


def _sme(i, instrument, answers, app):
    from stdnum.cn import uscc

    from services import accounts, assessments, drafts, submission
    from services.profile import update_profile

    email = f"sme{i}@load.example"
    user_id = accounts.register(email, PASSWORD, f"Load {i}", f"负载测试企业{i}", "zh_CN")
    enterprise_id = accounts.load_account(user_id).enterprise_id
    base = f"91370602MA3D{i:04d}K"
    update_profile(enterprise_id, {
        "name": f"负载测试企业{i}", "uscc": base + uscc.calc_check_digit(base),
        "industry_code": "C36", "district": "芝罘区", "employees": 120,
        "annual_revenue": 50_000_000, "total_assets": None, "main_products": "汽车零部件",
        "has_cio": False}, app.config["SIZE_RULES_FILE"])
    profile = assessments.profile_of(enterprise_id)
    submitted = drafts.start(enterprise_id, user_id, instrument)
    drafts.save_answers(submitted, enterprise_id, instrument, answers, profile)
    submission.submit(submitted, enterprise_id, instrument, profile, pledged=True)
    draft = drafts.start(enterprise_id, user_id, instrument)
    return {"email": email, "user_id": user_id, "enterprise": enterprise_id, "draft": draft,
            "submitted": submitted}


def _organisation(kind, name, people, role, menu_role, ref, extra=None):
    from services import accounts, organisations, staff

    org_id = organisations.create(organisations.OPERATOR, {"kind": kind, "name": name,
                                                            **(extra or {})}, ref).id
    emails = []
    for i in range(people):
        email = f"{role}{i}@load.example"
        user_id = accounts.create_user(email, PASSWORD, f"{role} {i}", (menu_role,), "zh_CN")
        staff.add_member(org_id, user_id, role)
        emails.append(email)
    return org_id, emails


def prepare(database_url, smes=100, consultants=10, analysts=5):
    """Migrate and fill `database_url`; return the plan for the load clients."""
    migrate(database_url)
    from app import create_app
    from services import accounts, consents, instrument_registry, organisations

    app = create_app({"DATABASE_URL": database_url})
    instrument = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])[INSTRUMENT]
    answers = json.loads((ROOT / "examples" / INSTRUMENT / "mixed.json").read_text("utf-8"))
    with app.app_context():
        people = [_sme(i, instrument, answers, app) for i in range(smes)]
        ref = organisations.reference(app.config)
        centre, consultant_emails = _organisation(
            "centre", "负载测试转型促进中心", consultants, "consultant", "consultant", ref)
        bureau, analyst_emails = _organisation(
            "bureau", "负载测试工信局", analysts, "bureau_analyst", "bureau_analyst", ref,
            {"districts": ["芝罘区"]})
        until = consents.local_today(app.config) + timedelta(days=365)
        clients = []
        for person in people[::2]:
            consents.ask(accounts.load_account(person["user_id"]), person["enterprise"], centre,
                         scopes=["view_assessments"], purpose="负载测试", valid_until=until,
                         settings=app.config)
            clients.append(person["enterprise"])
    app.extensions["storage.engine"].dispose()
    return {"password": PASSWORD, "page": _page_of(instrument, COUNTER_QUESTION),
            "question": COUNTER_QUESTION, "denominator": COUNTER_DENOMINATOR,
            "smes": [{k: p[k] for k in ("email", "draft", "submitted")} for p in people],
            "centre": centre, "consultants": consultant_emails, "clients": clients,
            "bureau": bureau, "analysts": analyst_emails}


def stored_counters(database_url, drafts):
    """{draft assessment id: numerator of the counter question stored} (None when absent)."""
    from sqlalchemy import create_engine, select

    from storage.models import Assessment

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(Assessment.id, Assessment.answers)
                                .where(Assessment.id.in_(drafts))).all()
    finally:
        engine.dispose()
    found = {aid: None for aid in drafts}
    for aid, answers in rows:
        value = (answers or {}).get(COUNTER_QUESTION)
        found[aid] = value.get("numerator") if isinstance(value, dict) else None
    return found
