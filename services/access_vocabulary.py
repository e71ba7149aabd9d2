"""The access vocabulary (data/access.yaml): organisation kinds and their staff roles, consent
scopes and the service's own consent purposes, and the actions an outsider may take on an
enterprise's data.

Loaded once, checked on load; every problem names the file, the path inside it and what is
wrong. Code refers to these names as strings and asks this module about them, so a new role,
scope or action is a change of the data file (and its texts come from there in both languages).
"""
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from diagnosis.reader import safe_load

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "access.yaml"
# The kinds the database accepts (storage/organisation_models.py keeps the same list).
KINDS = ("centre", "provider", "bureau", "platform")
LANGS = ("zh", "en")
MODULES = "{modules}"  # in a purpose: the modules asked for, joined with the language's mark
JOIN = {"zh": "、", "en": "; "}


class VocabularyError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class UnknownTerm(ValueError):
    """Code asked about a role, scope or action the vocabulary does not have (a bug)."""


@dataclass(frozen=True)
class Role:
    id: str
    kind: str
    name: dict
    admin: bool


@dataclass(frozen=True)
class Scope:
    id: str
    name: dict
    description: dict
    kinds: frozenset[str]


@dataclass(frozen=True)
class Action:
    id: str
    name: dict
    scopes: frozenset[str]
    roles: frozenset[str]  # empty: any staff role
    changes: bool

    @property
    def members_only(self) -> bool:
        return not self.scopes


@dataclass(frozen=True)
class Vocabulary:
    kinds: dict  # kind -> {"name": {zh, en}, "roles": (role ids in file order)}
    roles: dict  # role id -> Role
    scopes: dict  # scope id -> Scope (file order)
    actions: dict  # action id -> Action
    consent_max_days: int
    purposes: dict  # purpose id -> {zh, en}, MODULES where the modules go

    def action(self, action_id: str) -> Action:
        try:
            return self.actions[action_id]
        except KeyError:
            raise UnknownTerm(f"unknown action {action_id!r}; see data/access.yaml") from None

    def role(self, role_id: str) -> Role:
        try:
            return self.roles[role_id]
        except KeyError:
            raise UnknownTerm(f"unknown organisation role {role_id!r}") from None

    def roles_of(self, kind: str) -> tuple[Role, ...]:
        return tuple(self.roles[r] for r in self.kinds[kind]["roles"])

    def admin_roles(self, kind: str) -> frozenset[str]:
        return frozenset(r.id for r in self.roles_of(kind) if r.admin)

    def scopes_for(self, kind: str) -> tuple[Scope, ...]:
        return tuple(s for s in self.scopes.values() if kind in s.kinds)

    def purpose(self, purpose_id: str, lang: str = "zh", modules=()) -> str:
        """One of the service's own purposes in `lang`, with the names ({zh, en}) of the
        modules asked for."""
        try:
            text = self.purposes[purpose_id][lang]
        except KeyError:
            raise UnknownTerm(f"unknown consent purpose {purpose_id!r}") from None
        return text.replace(MODULES, JOIN[lang].join(m[lang] for m in modules))

    def purpose_text(self, written: str, module_names=()):
        """A consent's purpose to show: {zh, en} when it reads as one of the service's own
        purposes in either language (the modules among `module_names`, {zh, en} each), else the
        text as it was written."""
        written = (written or "").strip()
        for purpose_id, text in self.purposes.items():
            for lang in LANGS:
                modules = _modules_in(text[lang], written, JOIN[lang], module_names, lang)
                if modules is not None:
                    return {other: self.purpose(purpose_id, other, modules) for other in LANGS}
        return written


def _modules_in(template: str, written: str, join: str, names, lang):
    """The modules whose names fill the template's MODULES to give `written` (() without
    MODULES), or None when it does not read so."""
    if MODULES not in template:
        return () if written == template else None
    head, tail = template.split(MODULES)
    if len(written) <= len(head) + len(tail) or not (written.startswith(head)
                                                     and written.endswith(tail)):
        return None
    by_name = {n[lang]: n for n in names}
    found = [by_name.get(part) for part in written[len(head):len(written) - len(tail)].split(join)]
    return None if None in found else found


def _texts(raw, where, problems, *, key="name") -> dict:
    value = raw.get(key) if isinstance(raw, dict) else None
    if not (isinstance(value, dict) and set(value) == {"zh", "en"}
            and all(isinstance(value[k], str) and value[k].strip() for k in ("zh", "en"))):
        # Exactly zh and en: a comma left unquoted in a {zh: ..., en: ...} flow mapping would
        # otherwise cut the English text short without a word.
        problems.append(f"{where}.{key}: needs non-empty zh and en texts and nothing else "
                        "(quote texts with commas)")
        return {"zh": "", "en": ""}
    return {"zh": value["zh"], "en": value["en"]}


def _names(raw, where, problems, known, what) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        problems.append(f"{where}: must be a list of {what} names")
        return frozenset()
    for name in raw:
        if name not in known:
            problems.append(f"{where}: unknown {what} {name!r} (known: {', '.join(known)})")
    return frozenset(raw)


def _mapping(raw, where, problems) -> dict:
    if not isinstance(raw, dict) or not raw:
        problems.append(f"{where}: missing (a mapping of names)")
        return {}
    return raw


def _kinds(raw, where, problems):
    kinds, roles = {}, {}
    section = _mapping(raw, where, problems)
    for kind in KINDS:
        if kind not in section:
            problems.append(f"{where}.{kind}: missing (every organisation kind needs its roles)")
    for kind, spec in section.items():
        here = f"{where}.{kind}"
        if kind not in KINDS:
            problems.append(f"{here}: unknown organisation kind (known: {', '.join(KINDS)})")
            continue
        name = _texts(spec, here, problems)
        role_specs = _mapping(spec.get("roles") if isinstance(spec, dict) else None,
                              f"{here}.roles", problems)
        for role_id, role in role_specs.items():
            if role_id in roles:
                problems.append(f"{here}.roles.{role_id}: also a role of "
                                f"{roles[role_id].kind}; a role belongs to one kind")
                continue
            admin = role.get("admin", False) if isinstance(role, dict) else False
            if not isinstance(admin, bool):
                problems.append(f"{here}.roles.{role_id}.admin: must be true or false")
            roles[role_id] = Role(role_id, kind, _texts(role, f"{here}.roles.{role_id}", problems),
                                  admin is True)
        if role_specs and not any(roles[r].admin for r in role_specs if roles[r].kind == kind):
            problems.append(f"{here}.roles: needs at least one role with admin: true")
        kinds[kind] = {"name": name, "roles": tuple(r for r in role_specs
                                                    if r in roles and roles[r].kind == kind)}
    return kinds, roles


def _scopes(raw, where, problems):
    scopes = {}
    for scope_id, spec in _mapping(raw, where, problems).items():
        here = f"{where}.{scope_id}"
        kinds = _names(spec.get("kinds") if isinstance(spec, dict) else None, f"{here}.kinds",
                       problems, KINDS, "organisation kind")
        if not kinds:
            problems.append(f"{here}.kinds: name at least one organisation kind")
        scopes[scope_id] = Scope(scope_id, _texts(spec, here, problems),
                                 _texts(spec, here, problems, key="description"), kinds)
    return scopes


def _purposes(raw, where, problems):
    purposes = {}
    for purpose_id, spec in _mapping(raw, where, problems).items():
        here = f"{where}.{purpose_id}"
        text = _texts(spec, here, problems, key="text")
        if {text[lang].count(MODULES) for lang in LANGS} not in ({0}, {1}):
            problems.append(f"{here}.text: {MODULES} goes in both languages once, or in neither")
        purposes[purpose_id] = text
    return purposes


def _actions(raw, where, problems, scopes, roles):
    actions = {}
    for action_id, spec in _mapping(raw, where, problems).items():
        here = f"{where}.{action_id}"
        spec = spec if isinstance(spec, dict) else {}
        if "scopes" not in spec:
            problems.append(f"{here}.scopes: missing (a list; [] for the enterprise's own people)")
        changes = spec.get("changes", False)
        if not isinstance(changes, bool):
            problems.append(f"{here}.changes: must be true or false")
        actions[action_id] = Action(
            action_id, _texts(spec, here, problems),
            _names(spec.get("scopes"), f"{here}.scopes", problems, tuple(scopes), "scope"),
            _names(spec.get("roles"), f"{here}.roles", problems, tuple(roles), "role"),
            changes is True)
    return actions


@lru_cache(maxsize=4)
def load_vocabulary(path=DEFAULT_FILE) -> Vocabulary:
    """The vocabulary of that file; VocabularyError with every problem if it is not valid."""
    path = Path(path)
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise VocabularyError([f"{path}: cannot read: {err}"]) from None
    if not isinstance(raw, dict):
        raise VocabularyError([f"{path}: must be a mapping"])
    problems = []
    where = lambda key: f"{path}: {key}"  # noqa: E731
    kinds, roles = _kinds(raw.get("organisation_kinds"), where("organisation_kinds"), problems)
    scopes = _scopes(raw.get("consent_scopes"), where("consent_scopes"), problems)
    actions = _actions(raw.get("actions"), where("actions"), problems, scopes, roles)
    purposes = _purposes(raw.get("consent_purposes"), where("consent_purposes"), problems)
    max_days = raw.get("consent_max_days")
    if not (isinstance(max_days, int) and not isinstance(max_days, bool) and max_days > 0):
        problems.append(f"{where('consent_max_days')}: must be a whole number of days above 0")
    if problems:
        raise VocabularyError(problems)
    return Vocabulary(kinds, roles, scopes, actions, max_days, purposes)


def vocabulary() -> Vocabulary:
    """The vocabulary in use (data/access.yaml)."""
    return load_vocabulary(DEFAULT_FILE)
