"""Questions the enterprise profile also answers (annual revenue, who owns digitalisation).

Written in the instrument file, for example

    profile_links:
      - field: revenue              # a profile field (diagnosis.profile.PROFILE_FIELDS)
        item: digital_spend_rate    # a rate item: the profile gives one of its parts
        part: denominator
        unit: 10000                 # profile units per unit of the answer (yuan per 万元)
        source: profile
      - field: has_cio
        item: digital_talent        # a choice item: true when any of these options is chosen
        options: [staff, department]
        source: answer

An unanswered linked question shows the profile's value (`prefill`). `source` says which of the
two is the truth once both exist: `profile` — the answer holding the profile's old value follows
a profile change (`follow_profile`); `answer` — the answer is what the plan reads and what the
stored profile is brought in step with (`profile_from_answers`), and a profile change carries
into open drafts the same way. So the Art. 41 recommendation and the answer never disagree.
"""
from .model import NA, ProfileLink
from .profile import PROFILE_FIELDS

SOURCES = ("profile", "answer")


def read_links(raw, r):
    """The file's `profile_links` list as ProfileLink objects (references are checked later)."""
    links = []
    for i, c in enumerate(r.seq(raw, "profile_links", non_empty=False) if raw is not None else []):
        path = f"profile_links[{i}]"
        c = r.mapping(c, path, required=("field", "item", "source"),
                      optional=("part", "unit", "options"))
        field = c.get("field")
        if field not in PROFILE_FIELDS:
            r.bad(f"{path}.field", f"unknown profile field {field!r} (allowed: {', '.join(PROFILE_FIELDS)})")
        if c.get("source") not in SOURCES:
            r.bad(f"{path}.source", f"unknown source {c.get('source')!r} (allowed: {', '.join(SOURCES)})")
        options = tuple(str(o) for o in r.seq(c["options"], f"{path}.options")) if "options" in c else ()
        links.append(ProfileLink(
            field=str(field), item=str(c.get("item")), source=str(c.get("source")),
            part=str(c["part"]) if "part" in c else None,
            unit=float(r.number(c.get("unit", 1), f"{path}.unit", lo=1e-9)), options=options))
    return tuple(links)


def check_link_references(inst, r):
    """Each link names an item of the right kind: a rate with its `part`, or a choice item
    with `options` it offers (a yes/no profile field)."""
    for i, link in enumerate(inst.profile_links):
        path = f"profile_links[{i}]"
        q = inst.question(link.item)
        if q is None:
            r.bad(f"{path}.item", f"unknown item '{link.item}'")
        elif q.kind == "rate":
            if link.part not in ("numerator", "denominator") or link.options:
                r.bad(path, "a rate item takes 'part' (numerator or denominator) and no 'options'")
        elif q.kind in ("single", "multiple"):
            offered = {o.id for o in q.options}
            if not link.options or link.part is not None:
                r.bad(path, f"a {q.kind} item takes 'options' and no 'part'")
            for option in link.options:
                if option not in offered:
                    r.bad(f"{path}.options", f"item '{link.item}' offers no option '{option}'")
        else:
            r.bad(f"{path}.item", f"item '{link.item}' is {q.kind}: link a rate or a choice item")


def _says(link, answer):
    """What `answer` says about the link's profile field, or None when it says nothing."""
    if answer is None or answer == NA:
        return None
    if link.part is not None:
        figure = answer.get(link.part) if isinstance(answer, dict) else None
        ok = isinstance(figure, (int, float)) and not isinstance(figure, bool)
        return figure * link.unit if ok else None
    if not isinstance(answer, (list, str)):
        return None  # not an answer the core accepts: the checks say so, not this
    chosen = {o for o in answer if isinstance(o, str)} if isinstance(answer, list) else {answer}
    return bool(chosen & set(link.options))


def _answer(link, question, value, answer=None):
    """The answer that says `value` for the field, changing `answer` as little as possible;
    None when the profile's value cannot be put as an answer (e.g. "nobody" in a list)."""
    if link.part is not None:
        figure = value / link.unit
        figure = int(figure) if figure == int(figure) else round(figure, 4)
        return {**(answer if isinstance(answer, dict) else {}), link.part: figure}
    if question.kind != "multiple":
        return None
    chosen = [o for o in (answer or []) if o != NA]
    if value:
        if set(chosen) & set(link.options):
            return chosen
        exclusive = {o.id for o in question.options if o.exclusive}
        return [o for o in chosen if o not in exclusive] + [link.options[0]]
    kept = [o for o in chosen if o not in link.options]
    return kept or None


def prefill(inst, profile, answers):
    """{question id: value} for unanswered linked questions the profile answers. A rate gets
    only its linked part (the person adds the other); `has_cio: false` prefills nothing, as
    "nobody" does not say what else the enterprise does."""
    out = {}
    for link in inst.profile_links:
        value = (profile or {}).get(link.field)
        if link.item in answers or value is None or value is False:
            continue
        answer = _answer(link, inst.question(link.item), value)
        if answer is not None:
            out[link.item] = answer
    return out


def profile_from_answers(inst, answers, profile):
    """The profile with the fields whose source is the answer taken from `answers`."""
    found = dict(profile or {})
    if not isinstance(answers, dict):
        return found
    for link in inst.profile_links:
        said = _says(link, answers.get(link.item)) if link.source == "answer" else None
        if said is not None:
            found[link.field] = said
    return found


def follow_profile(inst, answers, before, after):
    """{question id: new answer or None} for a draft's answers once the profile changes from
    `before` to `after`: a `profile` link whose answer still holds the old value takes the new
    one; an `answer` link whose answer disagrees with the new value is brought in step."""
    changes = {}
    for link in inst.profile_links:
        old, new = (before or {}).get(link.field), (after or {}).get(link.field)
        answer = answers.get(link.item)
        if answer is None or answer == NA or new is None or old == new:
            continue
        said = _says(link, answer)
        if link.source == "profile" and (old is None or said is None or abs(said - old) > 1e-6):
            continue
        if link.source == "answer" and said == new:
            continue
        changed = _answer(link, inst.question(link.item), new, answer)
        if changed != answer and (changed is not None or link.part is None):
            changes[link.item] = changed
    return changes
