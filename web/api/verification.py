"""Report verification (the centres' signed on-site reports) and the bureaus' aggregates over
the API: the same services as the verification page and the bureau dashboard, so the same
answers and the same disclosure control."""
from datetime import date

from flask import current_app, jsonify
from spectree import Response

from services import access, aggregates, organisations, verification
from web.api import bp
from web.api.auth import actor, operation, rate_key
from web.api.catalogue import registry
from web.api.problems import ApiProblem
from web.api.schemas import (AggregateTable, AggregatesQuery, Problem, Verification,
                             VerificationRequest)
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
    levels = [level.id for level in reg[parsed.instrument].levels]
    return jsonify(aggregates.table(parsed, levels, scope))
