"""Ordering chosen modules into phases: prerequisites first, quick wins early, effort spread out."""

WEEKS_PER_MONTH = 52 / 12
PARALLEL = 2   # projects an SME can run side by side in one phase


def priority_key(entry):
    """Quick wins first, then most impact per 10,000 yuan, then the shortest."""
    cost = entry["net_cost"]
    per_10k = entry["impact"] * 10000 / cost if cost > 0 else float("inf")
    return (not entry["quick_win"], -per_10k, entry["weeks"], entry["id"])


def phase_plan(entries, needs, phases=3, horizon_months=12):
    """Assign entries (dicts with id, weeks, …) to phases.

    `needs[id]` are the ids (in this plan) that must be done before. A module goes into the
    first phase after all its prerequisites with room left; the last phase takes what remains,
    after its prerequisites in order. Returns a list of lists of entries, one per phase.
    """
    # Spread the effort evenly, but never beyond what the horizon allows per phase.
    effort = sum(e["weeks"] for e in entries)
    capacity = min(horizon_months * WEEKS_PER_MONTH / phases * PARALLEL, -(-effort // phases))
    placed, out, load = {}, [[] for _ in range(phases)], [0.0] * phases
    pending = sorted(entries, key=priority_key)
    while pending:
        ready = [e for e in pending if all(n in placed for n in needs.get(e["id"], ()))]
        if not ready:  # cannot happen with an acyclic catalogue; keep whatever remains in order
            ready = pending[:1]
        entry = ready[0]
        earliest = max((placed[n] + 1 for n in needs.get(entry["id"], ()) if n in placed), default=0)
        phase = min(earliest, phases - 1)
        while phase < phases - 1 and load[phase] and load[phase] + entry["weeks"] > capacity:
            phase += 1
        placed[entry["id"]] = phase
        out[phase].append(entry)
        load[phase] += entry["weeks"]
        pending.remove(entry)
    return out


def phase_months(index, phases, horizon_months):
    step = horizon_months / phases
    return [round(index * step, 1), round((index + 1) * step, 1)]
