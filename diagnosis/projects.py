"""The project rules (data/projects.yaml): statuses, the steps between them and who moves each,
the acceptance pack and the rating aspects. Loaded and checked here; `move` decides one step.

Pure: the service layer reads the project, asks `move`, and writes what it answers.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from diagnosis.catalogue import STATUSES as PROVIDER_STATUSES
from diagnosis.reader import safe_load

SIDES = ("enterprise", "provider", "centre")
NEEDS = ("amount", "reason")
LIFECYCLE_SIDES = ("library", "provider")
LIFECYCLE_NEEDS = ("reason", "deadline")
PACK_KINDS = ("file", "assessment")
MAX_AMOUNT = 10**10  # yuan; a larger "quote" is a typo
MAX_REASON = 1000


class ProjectRulesError(ValueError):
    """The rules file is wrong: every problem as `file: path: what`."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class StepRefused(ValueError):
    """A step that cannot be taken now; `code` names why (the web translates it)."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)


@dataclass(frozen=True)
class Step:
    id: str
    name: dict
    sources: tuple  # statuses it starts from; "*" = any status that is not final
    target: str
    side: str
    needs: tuple = ()


@dataclass(frozen=True)
class PackItem:
    id: str
    name: dict
    kind: str


@dataclass(frozen=True)
class ProjectRules:
    statuses: dict  # id -> {"name": {zh, en}, "final": bool}
    steps: dict  # id -> Step
    pack: dict  # id -> PackItem, in file order
    rating_aspects: dict  # id -> {zh, en}
    min_accepted: int
    lifecycle: dict | None = None  # id -> Step over provider statuses (target None: unchanged)

    def final(self, status: str) -> bool:
        return bool(self.statuses[status].get("final"))

    def open_steps(self, status: str, side: str | None = None) -> list[Step]:
        """The steps that can start from `status` (for one side, or all)."""
        return [s for s in self.steps.values()
                if (side is None or s.side == side) and self._starts(s, status)]

    def _starts(self, step: Step, status: str) -> bool:
        return status in step.sources or ("*" in step.sources and not self.final(status))

    def lifecycle_steps(self, status: str, side: str) -> list[Step]:
        """The provider lifecycle steps `side` may take from the provider's `status`."""
        return [s for s in (self.lifecycle or {}).values() if s.side == side and status in s.sources]

    def move(self, status: str, step_id: str, side: str, amount=None, reason=None) -> dict:
        """{"status", "amount", "reason"} after `side` takes `step_id` from `status`, or
        StepRefused naming the first thing wrong."""
        step = self.steps.get(step_id)
        if step is None:
            raise StepRefused("step_unknown")
        if step.side != side:
            raise StepRefused("not_your_step")
        if not self._starts(step, status):
            raise StepRefused("step_out_of_order", status=status, step=step_id)
        out = {"status": step.target, "amount": None, "reason": None}
        if "amount" in step.needs:
            out["amount"] = parse_amount(amount)
        if "reason" in step.needs:
            text = (reason or "").strip() if isinstance(reason, str) else ""
            if not text:
                raise StepRefused("reason_required")
            if len(text) > MAX_REASON:
                raise StepRefused("reason_too_long")
            out["reason"] = text
        return out


def parse_amount(value) -> int:
    """A sum in whole yuan from a form or JSON value: 0 … 10^10, digits only (a thousands comma
    is allowed), else StepRefused."""
    if isinstance(value, bool) or value is None:
        raise StepRefused("amount_required")
    if isinstance(value, int):
        number = Decimal(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        if not text:
            raise StepRefused("amount_required")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise StepRefused("amount_not_number") from None
    if not number.is_finite():
        raise StepRefused("amount_not_number")
    if number < 0:
        raise StepRefused("amount_negative")
    if number != number.to_integral_value() or number > MAX_AMOUNT:
        raise StepRefused("amount_not_whole" if number <= MAX_AMOUNT else "amount_too_large")
    return int(number)


def _text(node, where, problems):
    if not (isinstance(node, dict) and all(isinstance(node.get(k), str) and node[k].strip()
                                           for k in ("zh", "en"))):
        problems.append(f"{where}: needs zh and en texts")
        return {"zh": "", "en": ""}
    return {"zh": node["zh"], "en": node["en"]}


def parse_rules(doc, file="projects.yaml") -> ProjectRules:
    """ProjectRules from the parsed file, or ProjectRulesError naming every problem."""
    problems: list[str] = []
    doc = doc if isinstance(doc, dict) else {}
    statuses = {}
    for sid, node in (doc.get("statuses") or {}).items():
        node = node if isinstance(node, dict) else {}
        statuses[sid] = {"name": _text(node.get("name"), f"{file}: statuses.{sid}.name", problems),
                         "final": bool(node.get("final"))}
    if not statuses:
        problems.append(f"{file}: statuses: at least one status is needed")
    steps = {}
    for sid, node in (doc.get("steps") or {}).items():
        where = f"{file}: steps.{sid}"
        node = node if isinstance(node, dict) else {}
        sources = tuple(node.get("from") or ())
        for source in sources:
            if source != "*" and source not in statuses:
                problems.append(f"{where}.from: unknown status {source!r}")
        if not sources:
            problems.append(f"{where}.from: at least one status is needed")
        if node.get("to") not in statuses:
            problems.append(f"{where}.to: unknown status {node.get('to')!r}")
        if node.get("side") not in SIDES:
            problems.append(f"{where}.side: one of {', '.join(SIDES)}")
        needs = tuple(node.get("needs") or ())
        if any(n not in NEEDS for n in needs):
            problems.append(f"{where}.needs: only {', '.join(NEEDS)}")
        steps[sid] = Step(sid, _text(node.get("name"), f"{where}.name", problems), sources,
                          node.get("to"), node.get("side"), needs)
    pack = {}
    for pid, node in (doc.get("acceptance_pack") or {}).items():
        node = node if isinstance(node, dict) else {}
        if node.get("kind") not in PACK_KINDS:
            problems.append(f"{file}: acceptance_pack.{pid}.kind: one of {', '.join(PACK_KINDS)}")
        pack[pid] = PackItem(pid, _text(node.get("name"), f"{file}: acceptance_pack.{pid}.name",
                                        problems), node.get("kind"))
    aspects = {aid: _text((node or {}).get("name"), f"{file}: rating_aspects.{aid}.name", problems)
               for aid, node in (doc.get("rating_aspects") or {}).items()}
    if not aspects:
        problems.append(f"{file}: rating_aspects: at least one aspect is needed")
    lifecycle = {}
    for sid, node in (doc.get("provider_lifecycle") or {}).items():
        where = f"{file}: provider_lifecycle.{sid}"
        node = node if isinstance(node, dict) else {}
        sources = tuple(node.get("from") or ())
        if not sources or any(s not in PROVIDER_STATUSES for s in sources):
            problems.append(f"{where}.from: statuses among {', '.join(PROVIDER_STATUSES)}")
        if node.get("to") is not None and node.get("to") not in PROVIDER_STATUSES:
            problems.append(f"{where}.to: one of {', '.join(PROVIDER_STATUSES)}")
        if node.get("side") not in LIFECYCLE_SIDES:
            problems.append(f"{where}.side: one of {', '.join(LIFECYCLE_SIDES)}")
        needs = tuple(node.get("needs") or ())
        if any(n not in LIFECYCLE_NEEDS for n in needs):
            problems.append(f"{where}.needs: only {', '.join(LIFECYCLE_NEEDS)}")
        lifecycle[sid] = Step(sid, _text(node.get("name"), f"{where}.name", problems), sources,
                              node.get("to"), node.get("side"), needs)
    minimum = (doc.get("outcomes") or {}).get("min_accepted")
    if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
        problems.append(f"{file}: outcomes.min_accepted: a whole number from 1")
    if problems:
        raise ProjectRulesError(problems)
    return ProjectRules(statuses, steps, pack, aspects, minimum, lifecycle)


def load_rules(path: Path) -> ProjectRules:
    """The rules from a YAML file (ProjectRulesError names the file on every problem)."""
    try:
        doc = safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ProjectRulesError([f"{Path(path).name}: {err}"]) from None
    return parse_rules(doc, Path(path).name)
