"""What the PDF prints for a signed on-site assessment (cover facts, the adjustment appendix
with the evidence list) and for a follow-up (the change against its baseline T0), resolved to
one language. Inputs are the plain dicts services.on_site_sign_off.signed_record and
services.baseline.series give."""
from diagnosis.texts import answer_text
from reports.values import tr


def _day(moment):
    return moment.strftime("%Y-%m-%d") if moment else ""


def _answer(instrument, qid, value, lang):
    q = instrument.question(qid)
    if q is None:
        return str(value)
    words = answer_text(q, value, instrument.scenario_levels)
    return tr(words, lang) if words else "—"


def on_site_view(record, instrument, result, lang):
    """None for a self-assessment; else {"centre", "consultant", "reviewer", "date",
    "report_number", "verification_code", "adjusted": [{item, self, verified, reasons}],
    "self_total", "self_level", "verified_total", "verified_level", "evidence": [...]}."""
    if not record:
        return None
    signature = record.get("signature") or {}
    self_result = record.get("self_result") or {}
    adjusted = []
    for row in record.get("adjusted") or ():
        q = instrument.question(row["item_id"])
        adjusted.append({"item": tr(q.text, lang) if q is not None else row["item_id"],
                         "self": _answer(instrument, row["item_id"], row["self"], lang)
                         if row["self"] is not None else "—",
                         "verified": _answer(instrument, row["item_id"], row["verified"], lang)
                         if row["verified"] is not None else "—",
                         "reasons": [r for r in row.get("reasons") or () if r]})
    return {
        "centre": signature.get("centre"), "consultant": signature.get("consultant"),
        "reviewer": signature.get("reviewer"), "date": _day(record.get("signed_at")),
        "report_number": record.get("report_number"),
        "verification_code": record.get("verification_code"),
        "adjusted": adjusted,
        "self_total": self_result.get("total"),
        "self_level": tr((self_result.get("level") or {}).get("name"), lang) or None,
        "verified_total": result.get("total"),
        "verified_level": tr((result.get("level") or {}).get("name"), lang),
        "evidence": [{"name": e["name"], "type": e["media_type"], "sha256": e["sha256"],
                      "item": tr(instrument.question(e["item_id"]).text, lang)
                      if instrument.question(e["item_id"]) is not None else e["item_id"]}
                     for e in record.get("evidence") or ()],
    }


def before_after_view(series, instrument, lang):
    """None unless the assessment is a follow-up (T1, T2, …); else its label, the baseline's
    date and the comparison with names in `lang`."""
    if not series or not series.get("comparison"):
        return None
    comparison = dict(series["comparison"])
    comparison["dimensions"] = [dict(d, title=tr(d.get("title"), lang))
                                for d in comparison["dimensions"]]
    comparison["scenarios"] = [
        dict(s, title=tr(instrument.question(s["id"]).text, lang)
             if instrument.question(s["id"]) is not None else s["id"])
        for s in comparison["scenarios"]]
    comparison["newly_held"] = [{"level": tr(n["level"], lang), "text": tr(n["text"], lang)}
                                for n in comparison["newly_held"]]
    if comparison["level"]:
        comparison["level"] = {"before": tr(comparison["level"]["before"].get("name"), lang),
                               "after": tr(comparison["level"]["after"].get("name"), lang),
                               "change": comparison["level"]["change"]}
    return {"label": series["label"], "baseline_date": _day(series.get("baseline_date")),
            "comparison": comparison}
