"""Catalogue rows as CSV: the same entries as the YAML files, one row each (catalogues/README.md).

Lists are joined with "|"; effects are `item:ID=ANSWER` or `scenario:ID=LEVEL` joined with ";"
(multiple-choice answers "a|b", rates "rate:0.6"); offers are `MODULE:PRICE` joined with "|".
Reading never raises: problems are collected with the CSV row and column named.
"""
import csv
import io

from diagnosis.catalogue import CatalogueProblem

MODULE_COLUMNS = ["id", "name_zh", "name_en", "description_zh", "description_en", "category", "effects",
                  "requires_modules", "requires_answers", "one_off_min", "one_off_max", "yearly", "weeks",
                  "deployment", "industries", "size_classes", "public"]
PROVIDER_COLUMNS = ["id", "name_zh", "name_en", "uscc", "type", "districts", "industries", "offers",
                    "certifications", "status", "note_zh", "note_en"]  # + rating_<axis> per axis
# Optional (files written before it still read): the English names of `certifications`, in the
# same order; an empty cell or name means the same in both languages.
CERTIFICATIONS_EN = "certifications_en"


def _split(value, sep="|"):
    return [v.strip() for v in (value or "").split(sep) if v.strip()]


class _Rows:
    def __init__(self, file):
        self.file = file
        self.problems = []

    def bad(self, row, column, code, message, **params):
        self.problems.append(CatalogueProblem(self.file, f"row {row}", column, code, message, params))

    def integer(self, row, column, value, default=None):
        value = (value or "").strip()
        if not value and default is not None:
            return default
        try:
            return int(value)
        except ValueError:
            self.bad(row, column, "not_a_number", "must be a whole number", value=value)
            return None

    def boolean(self, row, column, value):
        value = (value or "").strip().lower()
        if value in ("true", "yes", "1", "是"):
            return True
        if value in ("", "false", "no", "0", "否"):
            return False
        self.bad(row, column, "not_a_boolean", "must be true or false", value=value)
        return None


def _answer(instrument, target, text):
    """An answer written in a CSV cell, typed by the instrument's item kind."""
    item = instrument.question(target) if instrument is not None else None
    kind = item.kind if item is not None else None
    if text.startswith("rate:"):
        try:
            return {"rate": float(text[5:])}
        except ValueError:
            return text
    if kind == "multiple" or (kind is None and "|" in text):
        return _split(text)
    if kind in ("scale", "scenario") or (kind is None and text.lstrip("-").isdigit()):
        try:
            return int(text)
        except ValueError:
            return text
    return text


def _effects(instrument, cell, rows, row, column):
    out = []
    for part in _split(cell, ";"):
        head, _, value = part.partition("=")
        kind, _, target = head.partition(":")
        if kind not in ("item", "scenario") or not target or not value:
            rows.bad(row, column, "bad_effect", f"'{part}' is not item:ID=ANSWER or scenario:ID=LEVEL", value=part)
            continue
        if kind == "scenario":
            level = rows.integer(row, column, value)
            out.append({"scenario": target, "level": level})
        else:
            out.append({"item": target, "answer": _answer(instrument, target, value.strip())})
    return out


def read_modules(text, file, instrument, where_head=None):
    """(modules document, problems) from CSV text."""
    rows = _Rows(file)
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in MODULE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        rows.bad(1, ", ".join(missing), "missing_column", "the header lacks: " + ", ".join(missing))
        return None, rows.problems
    modules = []
    for n, r in enumerate(reader, start=2):
        entry = {"id": r["id"].strip(), "name": {"zh": r["name_zh"], "en": r["name_en"]},
                 "description": {"zh": r["description_zh"], "en": r["description_en"]},
                 "category": r["category"].strip(), "effects": _effects(instrument, r["effects"], rows, n, "effects"),
                 "cost": {"one_off": [rows.integer(n, "one_off_min", r["one_off_min"]),
                                      rows.integer(n, "one_off_max", r["one_off_max"])],
                          "yearly": rows.integer(n, "yearly", r["yearly"], 0)},
                 "weeks": rows.integer(n, "weeks", r["weeks"]), "deployment": r["deployment"].strip(),
                 "public": rows.boolean(n, "public", r["public"])}
        requires = {}
        if _split(r["requires_modules"]):
            requires["modules"] = _split(r["requires_modules"])
        if (r["requires_answers"] or "").strip():
            requires["answers"] = _effects(instrument, r["requires_answers"], rows, n, "requires_answers")
        if requires:
            entry["requires"] = requires
        for key in ("industries", "size_classes"):
            if _split(r[key]):
                entry[key] = _split(r[key])
        modules.append(entry)
    return {"catalogue": "modules", "modules": modules}, rows.problems


def _certifications(r, rows, row):
    """The certifications of one row: a name the same in both languages, or {zh, en}."""
    names = _split(r["certifications"])
    english = [v.strip() for v in (r.get(CERTIFICATIONS_EN) or "").split("|")]
    if english == [""]:
        return names
    if len(english) != len(names):
        rows.bad(row, CERTIFICATIONS_EN, "names_mismatch",
                 f"needs one English name per certification ({len(names)}), separated by '|'",
                 expected=len(names), value=len(english))
        return names
    return [zh if en in ("", zh) else {"zh": zh, "en": en} for zh, en in zip(names, english)]


def read_providers(text, file, rating_axes):
    """(providers document without header settings, problems) from CSV text."""
    rows = _Rows(file)
    reader = csv.DictReader(io.StringIO(text))
    columns = PROVIDER_COLUMNS + [f"rating_{a}" for a in rating_axes]
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        rows.bad(1, ", ".join(missing), "missing_column", "the header lacks: " + ", ".join(missing))
        return None, rows.problems
    providers = []
    for n, r in enumerate(reader, start=2):
        offers = []
        for part in _split(r["offers"]):
            module, _, price = part.rpartition(":")
            if not module:
                rows.bad(n, "offers", "bad_offer", f"'{part}' is not MODULE:PRICE", value=part)
                continue
            offers.append({"module": module, "price": rows.integer(n, "offers", price)})
        entry = {"id": r["id"].strip(), "name": {"zh": r["name_zh"], "en": r["name_en"]},
                 "uscc": r["uscc"].strip(), "type": r["type"].strip(), "districts": _split(r["districts"]),
                 "industries": _split(r["industries"]), "offers": offers,
                 "certifications": _certifications(r, rows, n),
                 "rating": {a: rows.integer(n, f"rating_{a}", r[f"rating_{a}"]) for a in rating_axes},
                 "status": r["status"].strip() or "active"}
        if (r["note_zh"] or "").strip() or (r["note_en"] or "").strip():
            entry["note"] = {"zh": r["note_zh"], "en": r["note_en"]}
        providers.append(entry)
    return {"catalogue": "providers", "providers": providers}, rows.problems


def _answer_cell(value):
    if isinstance(value, dict):
        return f"rate:{value['rate']:g}"
    if isinstance(value, list):
        return "|".join(value)
    return str(value)


def _effects_cell(effects):
    return ";".join(f"scenario:{e['scenario']}={e['level']}" if "scenario" in e
                    else f"item:{e['item']}={_answer_cell(e['answer'])}" for e in effects)


def write_modules(doc):
    out = io.StringIO()
    w = csv.DictWriter(out, MODULE_COLUMNS, lineterminator="\n")
    w.writeheader()
    for m in doc["modules"]:
        req = m.get("requires", {})
        w.writerow({"id": m["id"], "name_zh": m["name"]["zh"], "name_en": m["name"]["en"],
                    "description_zh": m["description"]["zh"], "description_en": m["description"]["en"],
                    "category": m["category"], "effects": _effects_cell(m["effects"]),
                    "requires_modules": "|".join(req.get("modules", [])),
                    "requires_answers": _effects_cell(req.get("answers", [])),
                    "one_off_min": m["cost"]["one_off"][0], "one_off_max": m["cost"]["one_off"][1],
                    "yearly": m["cost"]["yearly"], "weeks": m["weeks"], "deployment": m["deployment"],
                    "industries": "|".join(m.get("industries", [])),
                    "size_classes": "|".join(m.get("size_classes", [])), "public": str(m["public"]).lower()})
    return out.getvalue()


def _name(name, lang):
    return name if isinstance(name, str) else name[lang]


def write_providers(doc):
    axes = list(doc["rating_axes"])
    out = io.StringIO()
    w = csv.DictWriter(out, PROVIDER_COLUMNS + [CERTIFICATIONS_EN] + [f"rating_{a}" for a in axes],
                       lineterminator="\n")
    w.writeheader()
    for p in doc["providers"]:
        note = p.get("note") or {}
        row = {"id": p["id"], "name_zh": p["name"]["zh"], "name_en": p["name"]["en"], "uscc": p["uscc"],
               "type": p["type"], "districts": "|".join(p["districts"]), "industries": "|".join(p["industries"]),
               "offers": "|".join(f"{o['module']}:{o['price']}" for o in p["offers"]),
               "certifications": "|".join(_name(c, "zh") for c in p["certifications"]),
               CERTIFICATIONS_EN: "|".join(_name(c, "en") for c in p["certifications"]),
               "status": p["status"],
               "note_zh": note.get("zh", ""), "note_en": note.get("en", "")}
        row.update({f"rating_{a}": p["rating"][a] for a in axes})
        w.writerow(row)
    return out.getvalue()
