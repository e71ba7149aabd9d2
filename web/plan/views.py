"""Plan view of a submitted assessment (GET form that recomputes), module and provider pages."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from diagnosis import AnswerError
from diagnosis.catalogue import CatalogueError
from diagnosis import pricing
from diagnosis.matching import NOT_RECOMMENDED, match_providers
from diagnosis.pricing import attach_prices
from services import catalogue as catalogues
from services import (organisations, planning, project_views, projects, provider_lifecycle,
                      provider_outcomes)
from services.errors import InvalidInput
from services.access import assessment_for_user_or_404
from services.assessments import profile_of
from services.reference import load_districts
from web.assess.context import load
from web.errors import error_response
from web.i18n import lang, t
from web.plan import bp
from web.projects.messages import message
from web.plan.texts import category_name, choice_problem, deployment_name, provider_type_name, rating_axis_name


@bp.get("/<int:assessment_id>")
@login_required
def view(assessment_id):
    """The plan: budget, target level and horizon come from the query string, so the form
    works without JavaScript and a plan can be bookmarked or shared with a consultant."""
    ctx = load(assessment_id, action="view_assessment")
    if ctx.assessment["status"] != "submitted" or not ctx.assessment["result"]:
        return redirect(url_for("assess.resume", assessment_id=assessment_id))
    other = planning.instrument(catalogues.current(current_app.config).instrument,
                                current_app.config)
    if not planning.catalogue_fits(ctx.instrument, current_app.config):
        return render_template("plan/unavailable.html", assessment_id=assessment_id,
                               instrument=ctx.instrument, catalogue_instrument=other)
    choices = planning.read_choices(request.args, ctx.instrument, current_app.config)
    try:
        plan = planning.plan_for(ctx.instrument, ctx.assessment["answers"], ctx.profile, choices,
                                 current_app.config).to_dict()
        own_prices = project_views.prices_by_module(current_user, ctx.enterprise_id)
        attach_prices(plan, catalogues.current(current_app.config),
                      catalogues.subsidy_rule(current_app.config), ctx.profile,
                      quotes={m: _quote(p) for m, p in own_prices.items()})
    except AnswerError:
        abort(404)  # a stored result whose answers no longer score: nothing sensible to plan
    errors = {field: choice_problem(field, choices.budget_error) for field in choices.problems}
    return render_template("plan/view.html", plan=plan, choices=choices, errors=errors,
                           assessment_id=assessment_id,
                           # the lowest level (e.g. below level 1) is no target to plan for
                           levels=[lv for lv in ctx.instrument.levels if lv.conditions],
                           horizons=planning.HORIZONS, category_name=category_name,
                           planned=sum(len(ph["modules"]) for ph in plan["phases"]),
                           project_prices=own_prices)


def _quote(own):
    """The enterprise's own quote or contracted amount as the one price takes it."""
    return {"provider": None, "amount": own["amount"],
            "name": {"zh": f"项目 {own['project']} 的服务商", "en": f"the provider of project {own['project']}"}}


def _profile_from_query():
    """Profile of the enterprise of ?assessment=ID when the person may see it (for matching)."""
    raw = request.args.get("assessment", "")
    if not raw.isdigit() or not current_user.is_authenticated:
        return None, None
    row = assessment_for_user_or_404(current_user, int(raw))
    return row.id, profile_of(row.enterprise_id)


@bp.get("/catalogue")
def catalogue():
    """Every module by category and every provider still listed, with the ranking formula."""
    cat = catalogues.current(current_app.config)
    groups = {}
    for m in cat.modules.values():
        groups.setdefault(m.category, []).append(m)
    providers = sorted((p for p in cat.providers.values() if p.status not in NOT_RECOMMENDED),
                       key=lambda p: (p.type, -p.rating_total, p.id))
    return render_template("plan/catalogue.html", groups=groups, providers=providers, cat=cat,
                           category_name=category_name, provider_type_name=provider_type_name)


@bp.get("/modules/<module_id>")
def module(module_id):
    cat = catalogues.current(current_app.config)
    m = cat.modules.get(module_id)
    if m is None:
        abort(404)
    assessment_id, profile = _profile_from_query()
    if profile is not None:
        market, public = match_providers(cat, m.id, profile, limit=10)
        matches = [x.to_dict() for x in public + market]  # free public platforms first (Art. 18)
    else:
        offering = [p for p in cat.providers_for(m.id) if p.status not in NOT_RECOMMENDED]
        matches = [{"id": p.id, "name": p.name, "type": p.type, "warned": p.status == "warned",
                    "note": p.note, "price": p.offer_for(m.id).price, "rating": p.rating_total, "score": None,
                    "why": None, "public": p.type == "public_platform"}
                   for p in sorted(offering, key=lambda p: (-p.rating_total, p.id))]
    inst = planning.instrument(cat.instrument, current_app.config)
    effects = [_effect_text(inst, e) for e in m.effects]
    requires = [cat.modules[r] for r in m.requires_modules if r in cat.modules]
    price = pricing.price(m, catalogues.subsidy_rule(current_app.config), profile).to_dict()
    return render_template("plan/module.html", m=m, matches=matches, effects=effects, requires=requires,
                           price=price,
                           assessment_id=assessment_id, cat=cat, category_name=category_name,
                           deployment_name=deployment_name, provider_type_name=provider_type_name)


def _effect_text(inst, effect):
    from diagnosis.texts import answer_text
    q = inst.question(effect.target) if inst is not None else None
    if q is None:
        return {"question": {"zh": effect.target, "en": effect.target},
                "answer": {"zh": str(effect.value), "en": str(effect.value)}}
    if effect.scenario:
        return {"question": q.text, "answer": inst.scenario_levels[effect.value], "scenario": True}
    value = list(effect.value) if isinstance(effect.value, tuple) else effect.value
    if q.kind == "rate":
        pct = f"≥ {value['rate'] * 100:g}%"
        return {"question": q.text, "answer": {"zh": pct, "en": pct}}
    return {"question": q.text, "answer": answer_text(q, value, inst.scenario_levels)}


def _provider_page(provider_id, errors=None, status=200):
    cat = catalogues.current(current_app.config)
    p = cat.providers.get(provider_id)
    if p is None:
        abort(404)
    offers = [(cat.modules[o.module], o.price) for o in p.offers if o.module in cat.modules]
    cfg = current_app.config
    steps = {side: projects.rules(cfg).lifecycle_steps(p.status, side)
             for side in provider_lifecycle.sides(current_user, p.id)}
    names = {d["value"]: t(d["name"]) for d in load_districts(str(cfg["DISTRICTS_FILE"]))}
    joined = ("、" if lang() == "zh" else ", ").join
    districts = joined(names.get(d, d) for d in p.districts)
    return render_template("plan/provider.html", p=p, offers=offers, cat=cat, districts=districts,
                           certifications=joined(t(c) for c in p.certifications),
                           contact=organisations.speaking_for(p.id),
                           outcome=provider_outcomes.outcome_for(p.id, settings=cfg),
                           min_accepted=projects.rules(cfg).min_accepted,
                           history=provider_lifecycle.history(p.id, cfg), steps=steps,
                           errors=errors or {}, provider_type_name=provider_type_name,
                           rating_axis_name=rating_axis_name), status


@bp.get("/providers/<provider_id>")
def provider(provider_id):
    """A provider: contact details, districts, modules with prices, status and its history,
    the outcome record; for the library's admins and the provider, the lifecycle steps."""
    return _provider_page(provider_id)


@bp.post("/providers/<provider_id>/lifecycle/<step>")
@login_required
def lifecycle(provider_id, step):
    """Warn, suspend, reinstate or remove a provider (library), or appeal (the provider)."""
    try:
        provider_lifecycle.act(current_user, provider_id, step, reason=request.form.get("reason"),
                               deadline=request.form.get("deadline"),
                               catalogue=catalogues.current(current_app.config), settings=current_app.config)
    except InvalidInput as err:
        return _provider_page(provider_id, {"form": message(err.code)}, 400)
    flash(_("Recorded in the provider's history."), "success")
    return redirect(url_for("plan.provider", provider_id=provider_id))


@bp.errorhandler(CatalogueError)
def _catalogue_broken(err):
    """A stored catalogue that no longer validates (say, after an instrument update)."""
    current_app.logger.error("catalogue in use does not validate: %s", err)
    return error_response(503, _("The solution catalogue needs attention"),
                          _("An administrator has to correct the catalogue before plans can be shown; "
                            "nothing was changed."))
