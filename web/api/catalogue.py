"""Instruments (with their questions in both languages) and the public catalogue of solution
modules and providers."""
from flask import current_app, jsonify

from services import instrument_registry
from services import catalogue as catalogues
from web.api import bp
from web.api.auth import operation
from web.api.paging import paged_response
from web.api.problems import ApiProblem
from web.api.schemas import (InstrumentDetail, InstrumentList, ModuleList, PageQuery, Problem,
                             ProviderList, VersionQuery)
from spectree import Response

TAG = "catalogue"


def registry():
    return instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])


def _summary(inst, reg):
    return {"id": inst.id, "version": inst.version, "title": inst.title,
            "description": inst.description, "indicative": inst.indicative,
            "questions": len(inst.questions),
            "versions": [i.version for i in reg.versions(inst.id)]}


def _text(value):
    return value if isinstance(value, dict) else {"zh": value or "", "en": value or ""}


def _question(q):
    rate = getattr(q, "numerator", None)
    return {"id": q.id, "kind": q.kind, "text": _text(q.text), "help": _text(q.help),
            "required": q.required, "allow_na": q.allow_na,
            "dimension": getattr(q, "dimension", None), "indicator": getattr(q, "indicator", None),
            "group": getattr(q, "group", None),
            "options": [{"id": o.id, "text": _text(o.text), "exclusive": o.exclusive}
                        for o in q.options],
            "min": q.min, "max": q.max,
            "numerator": _text(rate.label) if rate else None,
            "denominator": _text(q.denominator.label) if rate else None}


@bp.get("/instruments")
@operation("catalogue:read", query=PageQuery, resp=Response(HTTP_200=InstrumentList), tags=[TAG])
def instruments(query: PageQuery):
    """The instruments one can fill in (latest version of each)."""
    reg = registry()
    found = sorted(reg.values(), key=lambda i: (not i.indicative, i.id))
    return paged_response(found, query, lambda i: _summary(i, reg))


@bp.get("/instruments/<string(maxlength=64):instrument_id>")
@operation("catalogue:read", query=VersionQuery,
           resp=Response(HTTP_200=InstrumentDetail, HTTP_404=Problem), tags=[TAG])
def instrument(instrument_id, query: VersionQuery):
    """One instrument with its levels and every question, in Chinese and English."""
    reg = registry()
    inst = reg.version(instrument_id, query.version) if query.version else reg.get(instrument_id)
    if inst is None:
        raise ApiProblem("not_found")
    body = _summary(inst, reg)
    body["levels"] = [{"id": lv.id, "rank": lv.rank, "name": _text(lv.name),
                       "meaning": _text(lv.meaning)} for lv in inst.levels]
    body["items"] = [_question(q) for q in inst.questions]
    return jsonify(body)


@bp.get("/catalogue/modules")
@operation("catalogue:read", query=PageQuery, resp=Response(HTTP_200=ModuleList), tags=[TAG])
def modules(query: PageQuery):
    """Solution modules of the catalogue in use, in its YAML layout."""
    return paged_response(catalogues.current_docs(current_app.config)[0].get("modules") or [], query)


@bp.get("/catalogue/providers")
@operation("catalogue:read", query=PageQuery, resp=Response(HTTP_200=ProviderList), tags=[TAG])
def providers(query: PageQuery):
    """Providers of the catalogue in use, with their offers and ratings."""
    return paged_response(catalogues.current_docs(current_app.config)[1].get("providers") or [], query)
