"""Split an instrument into questionnaire pages.

One page per dimension; a dimension with more than `PAGE_SIZE` questions gets one page per
indicator instead, so a phone screen never holds a wall of questions. Scenarios come last,
one page per scenario group (each scenario describes four levels: a page of all sixteen would
be eleven screens on a phone). Pages are numbered from 1 and
derived from the instrument alone, so a page number means the same thing on every request.
"""
from dataclasses import dataclass
from functools import lru_cache

PAGE_SIZE = 8


@dataclass(frozen=True)
class Page:
    number: int
    key: str           # "dimension:<id>", "indicator:<id>", "scenarios" or "scenarios:<group>"
    title: dict        # {zh, en}; {} for the one scenario page (the web names it)
    subtitle: dict     # the dimension's title when the page is one indicator, else {}
    question_ids: tuple
    scenarios: bool = False


def pages(instrument):
    """The instrument's pages, in order (cached per instrument)."""
    return _pages(instrument)


@lru_cache(maxsize=32)
def _pages(instrument):
    raw = []
    for dim in instrument.dimensions:
        ids = [it.id for ind in dim.indicators for it in ind.items]
        if len(ids) <= PAGE_SIZE or len(dim.indicators) == 1:
            raw.append((f"dimension:{dim.id}", dim.title, {}, tuple(ids), False))
            continue
        for ind in dim.indicators:
            if ind.items:
                raw.append((f"indicator:{ind.id}", ind.title, dim.title,
                            tuple(it.id for it in ind.items), False))
    scenarios = list(instrument.scenarios)
    if scenarios:
        groups = list(instrument.scenario_groups)
        if len(groups) <= 1:
            raw.append(("scenarios", {}, {}, tuple(s.id for s in scenarios), True))
        else:
            for group in groups:
                ids = tuple(s.id for s in scenarios if s.group == group.id)
                if ids:
                    raw.append((f"scenarios:{group.id}", group.title, {}, ids, True))
    return tuple(Page(n, key, title, sub, ids, scen)
                 for n, (key, title, sub, ids, scen) in enumerate(raw, start=1))


def page(instrument, number):
    """Page `number` (1-based) or None."""
    all_pages = pages(instrument)
    return all_pages[number - 1] if 1 <= number <= len(all_pages) else None


def page_of(instrument, question_id):
    """The page holding a question, or None."""
    for p in pages(instrument):
        if question_id in p.question_ids:
            return p
    return None
