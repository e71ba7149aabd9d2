"""A report from its inputs: identity (report id, cache key), context, HTML and PDF.

`ReportInputs` holds everything a report is made of. The report id hashes what the report is
about (instrument id and version, answers, result, profile, plan); the cache key adds the
language, the enterprise details on the cover and the template version, so any change in
what would be printed gives a new file, and nothing else does. The lookup key finds a stored
file before its plan is made: it hashes the same inputs with what the plan is made of (its
basis, services.planning.plan_basis, and the planning code's version) in place of the plan.
"""
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Optional

from config import ROOT
from reports.context import result_context
from reports.on_site_view import before_after_view, on_site_view
from reports.plan_view import plan_view
from reports.templating import N_, environment, gettext

TEMPLATE = "reports/pdf/report.html"
# Everything whose change alters the printed report; its hash is the template version.
_VERSIONED = ("templates/reports/pdf/*.html", "static/css/report.css", "reports/*.py",
              "translations/reports/*/LC_MESSAGES/*.po")
# Everything whose change may alter a plan made from the same basis: the core (scoring,
# planning, pricing), the services that gather the catalogue and the profile, the solver.
_PLANNING = ("diagnosis/*.py", "services/*.py")


@dataclass
class ReportInputs:
    """What one report is made of. `archival` (submitted assessments) means PDF/A-3b with the
    result attached; `created` dates the report (the submission time for assessments)."""
    instrument: Any
    answers: dict
    result: dict
    profile: dict
    enterprise: dict
    lang: str = "zh"
    plan: Optional[dict] = None
    history: list = field(default_factory=list)
    assessment_id: Optional[int] = None
    mode: str = "self"  # "self" (self-reported) or "onsite" (assessed on site)
    archival: bool = False
    created: Optional[datetime] = None
    on_site: Optional[dict] = None      # services.on_site_sign_off.signed_record of a signed one
    before_after: Optional[dict] = None  # services.baseline.series: T0/T1 and the comparison


def _files_version(packages, patterns):
    """Hash of the packages' versions and of the clone's files matching `patterns`."""
    digest = hashlib.sha256()
    for package in packages:
        digest.update(version(package).encode())
    for pattern in patterns:
        for path in sorted(Path(ROOT).glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def template_version():
    """Hash of the templates, stylesheet, report code, translations and WeasyPrint version."""
    return _files_version(("weasyprint",), _VERSIONED)


@lru_cache(maxsize=1)
def planning_version():
    """Hash of the planning code and the solver's (HiGHS) and numpy's versions."""
    return _files_version(("highspy", "numpy"), _PLANNING)


def _digest(*parts):
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _substance(inputs, plan):
    """What the report is about, with `plan` (the plan itself, or what it is made of)."""
    instrument = inputs.instrument
    return (instrument.id, instrument.version, inputs.answers, inputs.result, inputs.profile,
            plan, inputs.assessment_id)


def _printing(inputs):
    """How the report is printed: language, cover details, mode, history, template."""
    return (inputs.lang, inputs.enterprise, inputs.mode, inputs.archival, inputs.history,
            inputs.on_site, inputs.before_after, template_version())


def report_id(inputs):
    """Stable id of the report's substance; a new instrument version or plan gives a new id."""
    digest = _digest(*_substance(inputs, inputs.plan))
    prefix = f"A{inputs.assessment_id}-" if inputs.assessment_id else ""
    return f"DR-{prefix}{digest[:10].upper()}"


def cache_key(inputs):
    """Key of the exact file: the report id's inputs plus language, cover details, template."""
    return _digest(report_id(inputs), *_printing(inputs))


def lookup_key(inputs, plan_basis):
    """Key that finds the stored file of `inputs` before the plan is made: the cache key's
    inputs with the plan's basis and the planning code's version in place of the plan. The
    same key always means the same file; a file may have several keys (choices that give the
    same plan)."""
    return _digest("lookup", _digest(*_substance(inputs, [plan_basis, planning_version()])),
                   *_printing(inputs))


def created_at(inputs):
    return inputs.created or datetime.now(timezone.utc)


def build_context(inputs, peers=None):
    """The plain report context: the results-page context plus report facts and charts."""
    ctx = result_context(inputs.result, inputs.instrument, inputs.profile, inputs.enterprise,
                         inputs.lang, history=inputs.history, plan=inputs.plan, peers=peers)
    created = created_at(inputs)
    ctx["report"] = {"id": report_id(inputs), "date": created.strftime("%Y-%m-%d"),
                     "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "mode": inputs.mode, "archival": inputs.archival}
    from reports.charts import bar_svg, radar_svg  # matplotlib: loaded when a chart is drawn

    ctx["charts"] = {"radar": radar_svg(ctx), "bar": bar_svg(ctx)}
    ctx["plan_view"] = plan_view(inputs.plan, inputs.lang)
    ctx["on_site"] = on_site_view(inputs.on_site, inputs.instrument, inputs.result, inputs.lang)
    ctx["before_after"] = before_after_view(inputs.before_after, inputs.instrument, inputs.lang)
    return ctx


def _css_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_label_css(template):
    """CSS `content` for a page label like "第 {page} 页 / 共 {pages} 页"."""
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    return " ".join(counters.get(part) or _css_string(part)
                    for part in re.split(r"(\{pages?\})", template) if part)


def render_html(ctx):
    """The report HTML in the context's language."""
    lang = ctx["lang"]
    sizes = {"large": N_("Large"), "medium": N_("Medium"), "small": N_("Small"),
             "micro": N_("Micro")}
    size = ctx["enterprise"].get("size_class") or ctx["profile"].get("size_class")
    ctx["report"]["size_class"] = gettext(lang, sizes[size]) if size in sizes else size
    ctx["report"]["page_label_css"] = page_label_css(gettext(lang, N_("Page {page} of {pages}")))
    return environment(lang).get_template(TEMPLATE).render(**ctx)


def render_pdf(inputs, peers=None, fetcher=None):
    """PDF bytes of the report."""
    from reports.pdf import html_to_pdf  # WeasyPrint: loaded when a PDF is made

    ctx = build_context(inputs, peers)
    html = render_html(ctx)
    return html_to_pdf(html, report_id=ctx["report"]["id"], created=created_at(inputs),
                       result=inputs.result if inputs.archival else None, fetcher=fetcher)
