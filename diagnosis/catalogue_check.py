"""Validation of catalogue documents: every problem found at once, each naming where it is."""
import re
import dataclasses
from dataclasses import dataclass

from diagnosis import catalogue_model as model
from diagnosis.uscc import uscc_valid

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class CatalogueProblem:
    """One problem: file, where in it (YAML path or "row N"), the field, a stable code."""

    file: str
    where: str
    field: str
    code: str
    message: str
    params: dict = dataclasses.field(default_factory=dict)  # `field` is a column here

    def __str__(self):
        parts = [p for p in (self.file, self.where, self.field) if p]
        return ": ".join(parts + [self.message])

    def to_dict(self):
        return {"file": self.file, "where": self.where, "field": self.field, "code": self.code,
                "message": self.message, "params": dict(self.params)}


class CatalogueError(ValueError):
    """A catalogue (or subsidy rule) was refused; `.problems` lists every CatalogueProblem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _instrument_index(instrument):
    items, scenarios = {}, {}
    if instrument is None:
        return items, scenarios
    for item in instrument.items:
        items[item.id] = item
    for sc in instrument.scenarios:
        scenarios[sc.id] = sc
    return items, scenarios


class CatalogueChecker:
    """Collects problems while turning plain documents into model objects."""

    def __init__(self, instrument):
        self.file = ""
        self.problems = []
        self.instrument = instrument
        self.items, self.scenarios = _instrument_index(instrument)
        self.module_wheres = {}

    def add(self, where, fld, code, message, **params):
        self.problems.append(CatalogueProblem(self.file, where, fld, code, message, params))

    def raise_if_any(self):
        if self.problems:
            raise CatalogueError(self.problems)

    # -- small typed getters ------------------------------------------------------------------
    def text(self, entry, where, key, required=True):
        value = entry.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) or not value.get(lang).strip()
                                               for lang in LANGS):
            self.add(where, key, "missing_translation", "needs a text in both zh and en")
            return {}
        return {lang: value[lang] for lang in LANGS}

    def number(self, value, where, key, low=0, high=None, integer=True):
        ok_type = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, ok_type):
            self.add(where, key, "not_a_number", f"must be {'a whole number' if integer else 'a number'}",
                     value=str(value))
            return None
        if value < low or (high is not None and value > high):
            self.add(where, key, "out_of_range", f"must be between {low} and {high}" if high is not None
                     else f"must be at least {low}", value=value)
            return None
        return value

    def choice(self, value, where, key, allowed):
        if value not in allowed:
            self.add(where, key, "unknown_value", f"'{value}' is not one of {', '.join(allowed)}",
                     value=str(value), allowed=", ".join(allowed))
            return None
        return value

    def strings(self, value, where, key, allowed=None):
        if value is None:
            return ()
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
            self.add(where, key, "not_a_list", "must be a list of texts")
            return ()
        for v in value:
            if allowed is not None and v not in allowed:
                self.add(where, key, "unknown_value", f"'{v}' is not one of {', '.join(allowed)}",
                         value=v, allowed=", ".join(allowed))
        return tuple(value)

    def names(self, value, where, key):
        """A list of names, each a text (the same in both languages, e.g. "ISO 9001") or
        {zh, en}; every name comes back as {zh, en}."""
        if value is None:
            return ()
        if not isinstance(value, (list, tuple)):
            self.add(where, key, "not_a_list", "must be a list of texts")
            return ()
        out = []
        for j, v in enumerate(value):
            at = f"{key}[{j}]"
            if isinstance(v, str) and v.strip():
                out.append({lang: v for lang in LANGS})
            elif isinstance(v, dict):
                text = self.text({at: v}, where, at)
                if text:
                    out.append(text)
            else:
                self.add(where, at, "missing_translation",
                         "needs a text, or {zh, en} when the name differs by language")
        return tuple(out)

    def entries(self, doc, key, where_of):
        if not isinstance(doc, dict):
            self.add("", "", "not_mapping", "the file must be a mapping with a '%s' list" % key)
            return [], {}
        entries = doc.get(key)
        if not isinstance(entries, list) or not entries:
            self.add("", key, "missing_field", f"needs a non-empty '{key}' list")
            return [], doc
        good = []
        for i, entry in enumerate(entries):
            where = where_of(i) if where_of else f"{key}[{i}]"
            if not isinstance(entry, dict):
                self.add(where, "", "not_mapping", "each entry must be a mapping")
            else:
                good.append((where, entry))
        return good, doc

    def ident(self, entry, where, seen):
        value = entry.get("id")
        if not isinstance(value, str) or not ID_RE.match(value):
            self.add(where, "id", "bad_id", "needs an id of lower-case letters, digits, '_', '-' or '.'",
                     value=str(value))
            return None
        if value in seen:
            self.add(where, "id", "duplicate_id", f"id '{value}' is used twice", value=value)
            return None
        seen.add(value)
        return value

    # -- effects and requirements ----------------------------------------------------------------
    def effect(self, raw, where, key):
        if not isinstance(raw, dict) or ("item" in raw) == ("scenario" in raw):
            self.add(where, key, "bad_effect", "each entry needs either 'item' and 'answer' or 'scenario' and 'level'")
            return None
        if "scenario" in raw:
            target = raw["scenario"]
            if self.instrument is not None and target not in self.scenarios:
                self.add(where, key, "unknown_scenario", f"scenario '{target}' is not in the instrument", value=str(target))
                return None
            level = self.number(raw.get("level"), where, key + ".level", 0, 4)
            return None if level is None else model.Effect(target, level, scenario=True)
        target, value = raw["item"], raw.get("answer")
        if self.instrument is not None:
            item = self.items.get(target)
            if item is None:
                self.add(where, key, "unknown_item", f"item '{target}' is not in the instrument", value=str(target))
                return None
            value = self.answer_for(item, value, where, key + ".answer")
        elif value is None:
            self.add(where, key + ".answer", "missing_field", "needs an 'answer'")
        if value is None:
            return None
        if isinstance(value, list):
            value = tuple(value)
        return model.Effect(target, value)

    def answer_for(self, item, value, where, key):
        options = {o.id for o in (item.options or ())}
        if item.kind == "single" and value in options:
            return value
        if item.kind == "multiple" and isinstance(value, list) and value and set(value) <= options:
            return value
        if item.kind == "scale" and isinstance(value, int) and not isinstance(value, bool) \
                and (item.min is None or value >= item.min) and (item.max is None or value <= item.max):
            return value
        if item.kind == "rate" and isinstance(value, dict) and set(value) == {"rate"}:
            if self.number(value["rate"], where, key + ".rate", 0, 1, integer=False) is not None:
                return dict(value)
            return None
        self.add(where, key, "bad_answer", f"'{value}' is not an answer item '{item.id}' ({item.kind}) accepts",
                 value=str(value), item=item.id)
        return None

    # -- documents ----------------------------------------------------------------------------------
    def modules_doc(self, doc, where_of=None):
        entries, head = self.entries(doc, "modules", where_of)
        modules, seen = {}, set()
        for where, e in entries:
            mid = self.ident(e, where, seen)
            name = self.text(e, where, "name")
            desc = self.text(e, where, "description")
            category = e.get("category")
            if not isinstance(category, str) or not category:
                self.add(where, "category", "missing_field", "needs a category")
            raw_effects = e.get("effects")
            if not isinstance(raw_effects, list) or not raw_effects:
                self.add(where, "effects", "missing_field", "needs at least one effect")
                raw_effects = []
            effects = [self.effect(r, where, f"effects[{j}]") for j, r in enumerate(raw_effects)]
            req = e.get("requires") or {}
            if not isinstance(req, dict):
                self.add(where, "requires", "not_mapping", "must be a mapping with 'modules' and/or 'answers'")
                req = {}
            req_mods = self.strings(req.get("modules"), where, "requires.modules")
            raw_ans = req.get("answers") or []
            req_ans = [self.effect(r, where, f"requires.answers[{j}]") for j, r in enumerate(raw_ans)] \
                if isinstance(raw_ans, list) else []
            cost = e.get("cost")
            one_off, yearly = (0, 0), 0
            if not isinstance(cost, dict):
                self.add(where, "cost", "missing_field", "needs cost: {one_off: [min, max], yearly: n}")
            else:
                rng = cost.get("one_off")
                if not isinstance(rng, list) or len(rng) != 2:
                    self.add(where, "cost.one_off", "bad_range", "must be [min, max] in yuan")
                else:
                    lo = self.number(rng[0], where, "cost.one_off", 0)
                    hi = self.number(rng[1], where, "cost.one_off", 0)
                    if lo is not None and hi is not None:
                        if lo > hi:
                            self.add(where, "cost.one_off", "bad_range", "the minimum is above the maximum")
                        one_off = (lo, hi)
                yearly = self.number(cost.get("yearly", 0), where, "cost.yearly", 0) or 0
            weeks = self.number(e.get("weeks"), where, "weeks", 1, 104)
            deployment = self.choice(e.get("deployment"), where, "deployment", model.DEPLOYMENTS)
            industries = self.strings(e.get("industries"), where, "industries")
            sizes = self.strings(e.get("size_classes"), where, "size_classes", model.SIZE_CLASSES)
            public = e.get("public", False)
            if not isinstance(public, bool):
                self.add(where, "public", "not_a_boolean", "must be true or false")
            if mid and None not in effects and None not in req_ans and weeks and deployment and name and desc:
                modules[mid] = model.Module(
                    id=mid, name=name, description=desc, category=category, effects=tuple(effects),
                    requires_modules=req_mods, requires_answers=tuple(req_ans), one_off=one_off,
                    yearly=yearly, weeks=weeks, deployment=deployment, industries=industries,
                    size_classes=sizes, public=bool(public))
            if mid:
                self.module_wheres[mid] = where
        return head, modules

    def module_links(self, modules):
        wheres = self.module_wheres
        for mid, m in modules.items():
            for req in m.requires_modules:
                if req not in modules:
                    self.add(wheres.get(mid, mid), "requires.modules", "unknown_module",
                             f"module '{req}' is not in the catalogue", value=req)
        # A prerequisite cycle would make a module impossible to plan.
        state = {}

        def visit(mid, chain):
            if state.get(mid) == 1:
                self.add(wheres.get(mid, mid), "requires.modules", "prerequisite_cycle",
                         "prerequisites form a cycle: " + " -> ".join(chain + [mid]))
                return
            if state.get(mid) == 2 or mid not in modules:
                return
            state[mid] = 1
            for req in modules[mid].requires_modules:
                visit(req, chain + [mid])
            state[mid] = 2

        for mid in modules:
            visit(mid, [])

    def providers_doc(self, doc, module_ids, where_of=None):
        entries, head = self.entries(doc, "providers", where_of)
        axes = head.get("rating_axes") if isinstance(head, dict) else None
        if not isinstance(axes, dict) or not axes or not all(
                isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in axes.values()):
            self.add("", "rating_axes", "missing_field", "needs rating_axes: {axis: maximum points, ...}")
            axes = {}
        elif sum(axes.values()) != 100:
            self.add("", "rating_axes", "bad_total", "the axis maxima must add up to 100",
                     total=sum(axes.values()))
        ranking = model.Ranking()
        raw_rank = head.get("ranking") if isinstance(head, dict) else None
        if raw_rank is not None:
            weights = [self.number((raw_rank or {}).get(k, 0 if k == "outcome" else None), "",
                                   f"ranking.{k}", 0, 1, integer=False)
                       for k in ("rating", "price", "fit", "outcome")] \
                if isinstance(raw_rank, dict) else [None]
            if None not in weights:
                if abs(sum(weights) - 1) > 1e-9:
                    self.add("", "ranking", "bad_total", "the ranking weights must add up to 1")
                ranking = model.Ranking(*weights)
        providers, seen = {}, set()
        for where, e in entries:
            pid = self.ident(e, where, seen)
            name = self.text(e, where, "name")
            uscc = e.get("uscc")
            if not uscc_valid(uscc):
                self.add(where, "uscc", "bad_uscc", "is not a valid 统一社会信用代码 (18 characters, check character)",
                         value=str(uscc))
            ptype = self.choice(e.get("type"), where, "type", model.PROVIDER_TYPES)
            districts = self.strings(e.get("districts"), where, "districts")
            if not districts:
                self.add(where, "districts", "missing_field", "needs at least one district (or '*')")
            industries = self.strings(e.get("industries"), where, "industries")
            offers = []
            raw_offers = e.get("offers")
            if not isinstance(raw_offers, list) or not raw_offers:
                self.add(where, "offers", "missing_field", "needs at least one offer {module, price}")
                raw_offers = []
            for j, o in enumerate(raw_offers):
                key = f"offers[{j}]"
                if not isinstance(o, dict):
                    self.add(where, key, "not_mapping", "must be {module, price}")
                    continue
                if o.get("module") not in module_ids:
                    self.add(where, key + ".module", "unknown_module",
                             f"module '{o.get('module')}' is not in the catalogue", value=str(o.get("module")))
                    continue
                price = self.number(o.get("price"), where, key + ".price", 0)
                if price is not None:
                    offers.append(model.Offer(o["module"], price))
            certs = self.names(e.get("certifications"), where, "certifications")
            rating = e.get("rating")
            if not isinstance(rating, dict) or set(rating) != set(axes):
                self.add(where, "rating", "bad_rating", "needs one score per axis: " + ", ".join(axes))
                rating = None
            else:
                for axis, top in axes.items():
                    if self.number(rating[axis], where, f"rating.{axis}", 0, top) is None:
                        rating = None
                        break
            status = self.choice(e.get("status", "active"), where, "status", model.STATUSES)
            note = self.text(e, where, "note", required=False)
            if pid and name and ptype and status and rating is not None and len(offers) == len(raw_offers) \
                    and uscc_valid(uscc):
                providers[pid] = model.Provider(
                    id=pid, name=name, uscc=uscc, type=ptype, districts=districts, industries=industries,
                    offers=tuple(offers), certifications=certs, rating=dict(rating), status=status, note=note)
        return {"rating_axes": axes, "ranking": ranking}, providers

    def subsidy_doc(self, doc):
        rule = doc.get("subsidy") if isinstance(doc, dict) else None
        if not isinstance(rule, dict):
            self.add("", "subsidy", "missing_field", "needs a 'subsidy' mapping")
            return None
        name = self.text(rule, "subsidy", "name")
        rate = self.number(rule.get("rate"), "subsidy", "rate", 0, 1, integer=False)
        cap = self.number(rule.get("cap_per_module"), "subsidy", "cap_per_module", 0)
        industries = self.strings(rule.get("industries"), "subsidy", "industries")
        sizes = self.strings(rule.get("size_classes"), "subsidy", "size_classes", model.SIZE_CLASSES)
        districts = self.strings(rule.get("districts"), "subsidy", "districts")
        public = rule.get("public_modules", False)
        if self.problems:
            return None
        return model.SubsidyRule(name=name, rate=float(rate), cap=cap, industries=industries,
                                 size_classes=sizes, districts=districts, public_modules=bool(public))
