"""Reading answer mappings (questionnaires/mappings/*.yaml) and checking them against the two
instrument versions they join, every problem at once as "file: path: what is wrong".

The checks make "nothing is lost silently" a property of the file: every target question has
a rule (an answer source, or a reason why it is new), every source question is used by a
rule or named for reference, and every source answer value is mapped or marked `~` (cannot
be carried over, the person answers again).
"""
from pathlib import Path

from .errors import InstrumentError
from .mapping import AnswerMapping, Rule
from .model import NA
from .reader import Reader, parse_yaml


class MappingError(InstrumentError):
    """A mapping file that cannot be used; `.problems` lists every problem."""


def load_mappings(directory, registry):
    """{(source id, version, target id, version): AnswerMapping} of every *.yaml in
    `directory` (none when it does not exist); raises MappingError listing every problem."""
    found, problems = {}, []
    for path in sorted(Path(directory).glob("*.yaml")) if Path(directory).is_dir() else []:
        try:
            mapping = load_mapping(path, registry)
        except MappingError as exc:
            problems.extend(exc.problems)
            continue
        key = mapping.source + mapping.target
        if key in found:
            problems.append(f"{path}: from: a second mapping from {mapping.source} to {mapping.target} "
                            f"(also {found[key].file})")
        found[key] = mapping
    if problems:
        raise MappingError(problems)
    return found


def load_mapping(path, registry):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError([f"{path}: cannot read: {exc}"]) from None
    return parse_mapping(text, str(path), registry)


def parse_mapping(text, file, registry):
    """An AnswerMapping from YAML text, checked against the instruments of `registry`."""
    problems = []
    data = parse_yaml(text, file, problems)
    r = Reader(file, problems)
    mapping = None
    if not problems:
        mapping = _build(data, r, registry)
    if problems:
        raise MappingError(problems)
    return mapping


def _end(raw, path, r, registry):
    raw = r.mapping(raw, path, required=("instrument", "version"))
    iid, version = str(raw.get("instrument")), str(raw.get("version"))
    inst = registry.version(iid, version)
    if inst is None and raw:
        known = ", ".join(f"{i.id} {i.version}" for i in registry.all())
        r.bad(path, f"no instrument '{iid}' version {version} (known: {known})")
    return inst


def _build(data, r, registry):
    top = r.mapping(data, "", required=("id", "from", "to"), optional=("description", "copy", "questions"))
    source = _end(top.get("from"), "from", r, registry)
    target = _end(top.get("to"), "to", r, registry)
    description = r.text(top["description"], "description") if "description" in top else {"zh": "", "en": ""}
    if source is None or target is None:
        return None
    rules, where = {}, {}
    for i, qid in enumerate(r.seq(top.get("copy", []), "copy", non_empty=False)):
        _add(rules, where, str(qid), f"copy[{i}]", Rule(target=str(qid), sources=(str(qid),), copy=True), r)
    questions = top.get("questions", {})
    if not isinstance(questions, dict):
        r.bad("questions", "must map target question ids to their rules")
        questions = {}
    for qid, raw in questions.items():
        _add(rules, where, str(qid), f"questions.{qid}", _rule(str(qid), raw, f"questions.{qid}", r), r)
    for p, qid in ((where[q], q) for q in list(rules)):
        q = target.question(qid)
        if q is None:
            r.bad(p, f"'{qid}' is not a question of {target.id} {target.version}")
            del rules[qid]
        else:
            _check_rule(rules[qid], q, source, target, p, r)
    for q in target.questions:
        if q.id not in rules:
            r.bad("questions", f"no rule for '{q.id}' of {target.id} {target.version}: copy or map "
                               "an answer to it, or say why it is new (new: {zh, en})")
    used = {s for rule in rules.values() for s in rule.sources + rule.see}
    for q in source.questions:
        if q.id not in used:
            r.bad("questions", f"answers to '{q.id}' of {source.id} {source.version} are used by no rule: "
                               "map them, or name the question in `see` of the one that replaces it")
    ident = r.ident(top.get("id"), "id")
    return AnswerMapping(id=ident, source=(source.id, source.version), target=(target.id, target.version),
                         description=description, rules=rules, file=r.file)


def _add(rules, where, qid, path, rule, r):
    if qid in rules:
        r.bad(path, f"'{qid}' has a rule already (at {where[qid]})")
        return
    rules[qid], where[qid] = rule, path


def _rule(qid, raw, path, r):
    raw = r.mapping(raw, path, optional=("copy", "from", "new", "see"))
    given = [k for k in ("copy", "from", "new") if k in raw]
    if len(given) != 1:
        r.bad(path, "needs exactly one of copy (a source question), from (value maps) or new (why it is new)")
    see = tuple(str(s) for s in r.seq(raw.get("see", []), f"{path}.see", non_empty=False))
    if "copy" in raw:
        return Rule(target=qid, sources=(str(raw["copy"]),), copy=True, see=see)
    if "from" in raw:
        maps = raw["from"] if isinstance(raw["from"], dict) and raw["from"] else None
        if maps is None:
            r.bad(f"{path}.from", "must map each source question id to a map of its answers")
            return Rule(target=qid, see=see)
        return Rule(target=qid, sources=tuple(str(s) for s in maps), maps={
            str(s): ({str(k): v for k, v in m.items()} if isinstance(m, dict) else m)
            for s, m in maps.items()}, see=see)
    reason = r.text(raw.get("new"), f"{path}.new") if "new" in raw else {}
    return Rule(target=qid, see=see, reason=reason)


def _check_rule(rule, q, source, target, path, r):
    for i, sid in enumerate(rule.see):
        if source.question(sid) is None:
            r.bad(f"{path}.see[{i}]", f"'{sid}' is not a question of {source.id} {source.version}")
    if rule.copy:
        src = source.question(rule.sources[0])
        if src is None:
            r.bad(f"{path}.copy", f"'{rule.sources[0]}' is not a question of {source.id} {source.version}")
        else:
            _check_copy(src, q, f"{path}.copy", r)
        return
    if len(rule.sources) > 1 and q.kind != "multiple":
        r.bad(f"{path}.from", f"only a multiple-choice question can combine several sources; '{q.id}' is {q.kind}")
    for sid in rule.sources:
        src = source.question(sid)
        if src is None:
            r.bad(f"{path}.from.{sid}", f"'{sid}' is not a question of {source.id} {source.version}")
            continue
        _check_values(src, q, rule.maps.get(sid), f"{path}.from.{sid}", r)


def _check_copy(src, q, path, r):
    if src.kind != q.kind:
        r.bad(path, f"cannot copy a {src.kind} answer into a {q.kind} question: use `from` with a value map")
        return
    if src.allow_na and not q.allow_na:
        r.bad(path, f"'{src.id}' allows 'n/a' but '{q.id}' does not: use `from` and map n/a to ~")
    if src.kind in ("single", "multiple"):
        missing = [o.id for o in src.options if q.option(o.id) is None]
        if missing:
            r.bad(path, f"options {missing} of '{src.id}' are not offered by '{q.id}': use `from` with a value map")
    if src.kind == "scale" and not (q.min <= src.min and src.max <= q.max):
        r.bad(path, f"scale {src.min}..{src.max} does not fit {q.min}..{q.max}: use `from` with a value map")


def _source_keys(src):
    if src.kind in ("single", "multiple"):
        keys = [o.id for o in src.options]
    elif src.kind in ("scale", "scenario"):
        keys = [str(v) for v in range(int(src.min), int(src.max) + 1)]
    else:
        keys = []
    return keys + ([NA] if src.allow_na else [])


def _check_values(src, q, values, path, r):
    if src.kind == "rate":
        r.bad(path, "a rate answer can only be copied (copy: ...), not mapped value by value")
        return
    if not isinstance(values, dict):
        r.bad(path, f"must map every answer of '{src.id}' to an answer of '{q.id}' (or ~ for none)")
        return
    expected = _source_keys(src)
    for key in expected:
        if key not in values:
            r.bad(path, f"answer '{key}' of '{src.id}' is not mapped: give its answer of '{q.id}', or ~ "
                        "when it cannot be carried over")
    for key, value in values.items():
        if key not in expected:
            r.bad(f"{path}.{key}", f"'{key}' is not an answer of '{src.id}' ({', '.join(expected)})")
        elif value is not None:
            _check_target_value(q, value, f"{path}.{key}", r)


def _check_target_value(q, value, path, r):
    if value == NA:
        if not q.allow_na:
            r.bad(path, f"'{q.id}' cannot be answered n/a")
        return
    if q.kind == "single":
        if not isinstance(value, str) or q.option(value) is None:
            r.bad(path, f"{value!r} is not an option of '{q.id}' ({', '.join(o.id for o in q.options)})")
    elif q.kind == "multiple":
        if not isinstance(value, list) or any(not isinstance(v, str) or q.option(v) is None for v in value):
            r.bad(path, f"{value!r} must be a list of options of '{q.id}' ({', '.join(o.id for o in q.options)})")
        elif len(value) > 1 and any(q.option(v).exclusive for v in value):
            r.bad(path, f"{value!r}: an exclusive option cannot be combined")
    elif q.kind in ("scale", "scenario"):
        if isinstance(value, bool) or not isinstance(value, int) or not q.min <= value <= q.max:
            r.bad(path, f"{value!r} is not a whole number from {q.min} to {q.max}")
    else:
        r.bad(path, f"'{q.id}' is a {q.kind} question: its answer can only be copied")
