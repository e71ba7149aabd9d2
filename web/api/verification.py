"""Report verification (the centres' signed on-site reports) and the bureaus' aggregates and
further figures over the API: the same services as the verification page and the bureau
dashboard, so the same answers and the same disclosure control."""
from datetime import date

from flask import current_app, jsonify
from spectree import Response

from services import access, aggregates, bureau_figures, organisations, verification
from web.api import bp
from web.api.auth import actor, operation, rate_key
from web.api.catalogue import registry
from web.api.problems import ApiProblem
from web.api.schemas import (AggregateFigures, AggregateTable, AggregatesQuery, Problem,
                             Verification, VerificationRequest)
from web.i18n import lang
from web.security import limiter


@bp.post("/verification")
@limiter.limit(lambda: current_app.config["VERIFY_LIMIT"], key_func=rate_key, scope="api-verify")
@operation("reports:read", json=VerificationRequest, resp=Response(HTTP_200=Verification),
           tags=["reports"])
def verify(json: VerificationRequest):
    """Is a signed on-site report genuine? Its number and verification code in; whether they
    belong together and the level it states out (nothing else). Limited like the page, so
    codes cannot be guessed."""
    return jsonify(verification.verify(json.report_number, json.code))


@bp.get("/aggregates")
@operation("aggregates:read", query=AggregatesQuery,
           resp=Response(HTTP_200=AggregateTable, HTTP_404=Problem, HTTP_422=Problem),
           tags=["aggregates"])
def aggregate_table(query: AggregatesQuery):
    """Counts by level for the bureau's scope, grouped `by` one or two keys, with small groups
    suppressed (disclosure control). For bureau staff and their organisation's tokens only."""
    scope, parsed, reg = _parsed(query)
    levels = [level.id for level in reg[parsed.instrument].levels]
    return jsonify(aggregates.table(parsed, levels, scope))


@bp.get("/aggregates/figures")
@operation("aggregates:read", query=AggregatesQuery,
           resp=Response(HTTP_200=AggregateFigures, HTTP_404=Problem, HTTP_422=Problem),
           tags=["aggregates"])
def aggregate_figures(query: AggregatesQuery):
    """The bureau dashboard's further figures for the same query (`by` is checked, not
    used): median total, dimension and indicator means, scenario heatmap, T0→T1 uplift,
    module demand in help requests and default plans, provider outcomes. A suppressed figure
    is null; bureau staff and their organisation's tokens only."""
    scope, parsed, _ = _parsed(query)
    figures = bureau_figures.for_settings(parsed, scope, current_app.config)
    return jsonify({"k": parsed.k, "instrument": parsed.instrument, "version": parsed.version,
                    "filters": parsed.filters(), **figures})


def _parsed(query: AggregatesQuery):
    """(scope, validated aggregates.Query, instrument registry); 404 outside a bureau, 422
    naming each bad field."""
    scope = access.bureau_scope(actor().account, actor().organisation_id)
    config = current_app.config
    reg = registry()
    try:
        parsed = aggregates.parse(query.model_dump(), organisations.reference(config), reg,
                                  date.today(), k=config["DISCLOSURE_K"], scope=scope)
    except aggregates.QueryInvalid as err:
        messages = {}
        for (field, _, _), text in zip(err.problems, err.messages(lang())):
            messages.setdefault(field, []).append(text.split(": ", 1)[-1])
        raise ApiProblem("invalid_input", errors=messages) from None
    return scope, parsed, reg
