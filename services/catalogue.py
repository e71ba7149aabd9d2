"""Catalogue use cases: the current catalogue, import (YAML or CSV, all or nothing), export.

The stored catalogue (tables of storage/catalogue_models.py) is the one in use; while nothing
has been imported, the sample files in CATALOGUES_DIR stand in. An import validates the whole
catalogue it would produce (the file merged into, or replacing, what is in use) with the
core's validator, and only then writes it in one transaction: a bad file changes nothing.
"""
import hashlib
import json
from dataclasses import asdict, dataclass, fields, is_dataclass, replace
from pathlib import Path

import yaml
from sqlalchemy import delete, select

from diagnosis.catalogue import (CatalogueError, CatalogueProblem, load_subsidy, modules_to_data,
                                 parse_catalogue, providers_to_data)
from diagnosis.reader import safe_load
from services import catalogue_csv, provider_lifecycle, provider_outcomes
from services.instrument_registry import instruments
from storage.db import db_session, transaction
from storage.catalogue_models import (CatalogueImport, CatalogueModule, CatalogueProvider,
                                      CatalogueSetting)

KINDS = ("modules", "providers")
STORED = "stored catalogue"
_CACHE = {}
_PARSED = {}  # the documents read and checked, until the next import: a project step or a
              # provider's lifecycle step changes the standing and outcomes only


@dataclass(frozen=True)
class ImportReport:
    modules: int
    providers: int
    files: tuple


def _instrument(instrument_id, settings):
    return instruments(settings["QUESTIONNAIRES_DIR"]).get(instrument_id)


def _setting(key, default=None):
    row = db_session.get(CatalogueSetting, key)
    return row.value.get("v", default) if row is not None and row.value else default


def _sample_docs(settings):
    directory = Path(settings["CATALOGUES_DIR"])
    return tuple(safe_load((directory / f"{kind}.yaml").read_text(encoding="utf-8")) for kind in KINDS)


def current_docs(settings):
    """(modules document, providers document) of the catalogue in use; `settings` (a mapping
    such as the application's config) names QUESTIONNAIRES_DIR and CATALOGUES_DIR."""
    modules = db_session.scalars(select(CatalogueModule).order_by(CatalogueModule.position)).all()
    if not modules:
        return _sample_docs(settings)
    providers = db_session.scalars(select(CatalogueProvider).order_by(CatalogueProvider.position)).all()
    return ({"catalogue": "modules", "instrument": _setting("instrument", ""), "sample": _setting("sample", False),
             "modules": [m.data for m in modules]},
            {"catalogue": "providers", "sample": _setting("sample", False), "rating_axes": _setting("rating_axes", {}),
             "ranking": _setting("ranking"), "providers": [p.data for p in providers]})


def _in_use(settings):
    """(Catalogue in use, its fingerprint), made once per catalogue."""
    # Keyed by database and revision: each import bumps the revision, so every worker process
    # notices a new catalogue on its next request.
    where = str(db_session.get_bind().url)
    # the sample files read the same whatever the database, so they are read once per process
    # (not once per database: tests make a database each)
    source = (where, _setting("revision", 0)) if db_session.scalar(select(CatalogueModule.id).limit(1)) else \
        ("files", str(settings["CATALOGUES_DIR"]), str(settings["QUESTIONNAIRES_DIR"]))
    # a warning or suspension, and the outcome of a project, change the ranking too
    key = (where, *source, provider_lifecycle.revision(), provider_outcomes.revision())
    hit = _CACHE.get(key)
    if hit is None:
        parsed = _PARSED.get(source)
        if parsed is None:
            modules_doc, providers_doc = current_docs(settings)
            parsed = parse_catalogue(modules_doc, providers_doc,
                                     _instrument(modules_doc.get("instrument"), settings),
                                     files=(STORED, STORED))
            _PARSED.clear()
            _PARSED[source] = parsed
        catalogue = replace(provider_lifecycle.overlay(parsed),
                            outcomes=provider_outcomes.factors(settings))
        hit = (catalogue, _fingerprint(catalogue))
        _CACHE.clear()
        _CACHE[key] = hit
    return hit


def _fingerprint(catalogue):
    # Every field in its loaded order (the order of modules and providers may decide a tie);
    # the providers-by-module index (fields named _...) is derived, and filled only when used.
    plain = {f.name: getattr(catalogue, f.name) for f in fields(catalogue) if not f.name.startswith("_")}
    text = json.dumps(plain, ensure_ascii=False, default=lambda o: asdict(o) if is_dataclass(o) else str(o))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current(settings):
    """The Catalogue in use (validated; cached until the next import)."""
    return _in_use(settings)[0]


def fingerprint(settings):
    """A hash of everything in the catalogue in use (modules, providers with their standing
    and outcome factors, ranking): another one whenever a plan made with it may differ."""
    return _in_use(settings)[1]


def subsidy_rule(settings):
    """The configured subsidy rule (PLAN_SUBSIDY_FILE; the sample rule by default) or None."""
    path = settings.get("PLAN_SUBSIDY_FILE", Path(settings["CATALOGUES_DIR"]) / "subsidy.yaml")
    return load_subsidy(path) if path and Path(path).exists() else None


# -- reading files ----------------------------------------------------------------------------------
def _kind_of(name, doc, text):
    if isinstance(doc, dict) and doc.get("catalogue") in KINDS:
        return doc["catalogue"]
    head = text.splitlines()[0] if text else ""
    if "uscc" in head.split(","):
        return "providers"
    if "effects" in head.split(","):
        return "modules"
    stem = Path(name).stem
    return stem if stem in KINDS else None


def read_upload(name, raw, rating_axes, instrument_id, settings):
    """(kind, document, where(i), problems) for one file's bytes; never raises."""
    file = Path(name).name
    problem = lambda code, msg, **p: CatalogueProblem(file, "", "", code, msg, p)  # noqa: E731
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        return None, None, None, [problem("not_utf8", "the file is not UTF-8 text")]
    if file.lower().endswith(".csv"):
        kind = _kind_of(file, None, text)
        if kind is None:
            return None, None, None, [problem("unknown_kind", "cannot tell modules from providers: use the documented header")]
        if kind == "modules":
            doc, problems = catalogue_csv.read_modules(text, file, _instrument(instrument_id, settings))
        else:
            doc, problems = catalogue_csv.read_providers(text, file, rating_axes)
        return kind, doc, (lambda i: f"row {i + 2}"), problems
    try:
        doc = safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        return None, None, None, [CatalogueProblem(file, f"line {line}", "", "yaml_syntax",
                                                   f"malformed YAML at line {line}", {"line": line})]
    kind = _kind_of(file, doc, "")
    if kind is None:
        return None, None, None, [problem("unknown_kind", "the file needs 'catalogue: modules' or 'catalogue: providers'")]
    return kind, doc, (lambda i, k=kind: f"{k}[{i}]"), []


def _merge(stored, incoming, file_where, replace):
    """Entries after the import, and where each came from (for messages)."""
    new_ids = [e.get("id") for e in incoming if isinstance(e, dict)]
    entries, wheres = [], []
    if not replace:
        for e in stored:
            if e.get("id") not in new_ids:
                entries.append(e)
                wheres.append(f"stored entry '{e.get('id')}'")
    for i, e in enumerate(incoming):
        entries.append(e)
        wheres.append(file_where(i))
    return entries, wheres


def import_files(files, settings, replace=False, user_id=None):
    """Import [(name, bytes or text)]; raise CatalogueError (nothing written) on any problem."""
    modules_doc, providers_doc = current_docs(settings)
    instrument_id = modules_doc.get("instrument") or ""
    rating_axes = providers_doc.get("rating_axes") or {}
    problems, parsed = [], {}
    for name, raw in files:
        kind, doc, where, found = read_upload(name, raw, rating_axes, instrument_id, settings)
        problems += found
        if kind in parsed:
            problems.append(CatalogueProblem(Path(name).name, "", "", "duplicate_kind",
                                             f"two {kind} files in one import"))
        elif kind is not None and doc is not None:
            parsed[kind] = (Path(name).name, doc, where)
    if problems:
        raise CatalogueError(problems)
    docs, where_fns, names = {"modules": modules_doc, "providers": providers_doc}, {}, {}
    for kind, (name, doc, where) in parsed.items():
        stored = docs[kind].get(kind) or []
        incoming = doc.get(kind) if isinstance(doc, dict) else None
        if not isinstance(incoming, list):
            raise CatalogueError([CatalogueProblem(name, "", kind, "missing_field", f"needs a non-empty '{kind}' list")])
        entries, wheres = _merge(stored, incoming, where, replace)
        head = {k: v for k, v in docs[kind].items() if k != kind}
        head.update({k: v for k, v in doc.items() if k != kind and k != "catalogue"})
        docs[kind] = {**head, kind: entries}
        where_fns[kind] = wheres.__getitem__
        names[kind] = name
    for kind in KINDS:
        if kind not in where_fns:  # kept as stored: name entries by id
            ids = [e.get("id") for e in docs[kind].get(kind) or []]
            where_fns[kind] = lambda i, ids=ids: f"stored entry '{ids[i]}'"
    instrument_id = docs["modules"].get("instrument") or instrument_id
    catalogue = parse_catalogue(docs["modules"], docs["providers"], _instrument(instrument_id, settings),
                                files=(names.get("modules", STORED), names.get("providers", STORED)),
                                module_where=where_fns.get("modules"), provider_where=where_fns.get("providers"))
    _store(catalogue, parsed, replace, user_id)
    return ImportReport(len(catalogue.modules), len(catalogue.providers), tuple(n for n, _, _ in parsed.values()))


def _store(catalogue, parsed, replace, user_id):
    data = catalogue.to_dict()
    with transaction():
        db_session.execute(delete(CatalogueProvider))
        db_session.execute(delete(CatalogueModule))
        for pos, m in enumerate(data["modules"]["modules"]):
            module = catalogue.modules[m["id"]]
            db_session.add(CatalogueModule(id=m["id"], position=pos, category=m["category"], cost=module.cost,
                                           public=m["public"], data=m))
        for pos, p in enumerate(data["providers"]["providers"]):
            db_session.add(CatalogueProvider(id=p["id"], position=pos, uscc=p["uscc"], type=p["type"],
                                             status=p["status"], rating_total=sum(p["rating"].values()), data=p))
        head = data["providers"]
        values = {"instrument": catalogue.instrument, "sample": catalogue.sample,
                  "rating_axes": head["rating_axes"], "ranking": head["ranking"],
                  "revision": _setting("revision", 0) + 1}
        for key, value in values.items():
            row = db_session.get(CatalogueSetting, key) or CatalogueSetting(key=key)
            row.value = {"v": value}
            db_session.add(row)
        for kind, (name, doc, _) in parsed.items():
            db_session.add(CatalogueImport(kind=kind, file=name[:255], mode="replace" if replace else "merge",
                                           entries=len(doc.get(kind) or []), user_id=user_id))


def export(kind, settings, fmt="yaml"):
    """The catalogue in use, one kind, as YAML or CSV text."""
    catalogue = current(settings)
    doc = modules_to_data(catalogue) if kind == "modules" else providers_to_data(catalogue)
    if fmt == "csv":
        return catalogue_csv.write_modules(doc) if kind == "modules" else catalogue_csv.write_providers(doc)
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)


def recent_imports(limit=10):
    rows = db_session.scalars(select(CatalogueImport).order_by(CatalogueImport.id.desc()).limit(limit)).all()
    return [{"kind": r.kind, "file": r.file, "mode": r.mode, "entries": r.entries, "at": r.created_at} for r in rows]
