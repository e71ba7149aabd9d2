"""Whatever a file holds, the loader answers with an Instrument or an InstrumentError, never a crash."""
import copy

from diagnosis import Instrument, InstrumentError
from diagnosis.instrument import instrument_from_data
from tests.unit.builders import SMALL

JUNK = [None, True, 0, -1, 1.5, "", "x", "yes", [], {}, [{}], [[1]], {"zh": "文"}, {"at_least": "x"}]


def places(node, prefix=()):
    """Every place in a nested structure (dict keys and list indices)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from places(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix + (i,)
            yield from places(v, prefix + (i,))


def test_every_place_replaced_by_junk_gives_an_instrument_or_an_instrument_error():
    crashes = []
    for path in places(SMALL):
        for junk in JUNK:
            data = copy.deepcopy(SMALL)
            node = data
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = junk
            try:
                assert isinstance(instrument_from_data(data, "small.yaml"), Instrument)
            except InstrumentError as exc:
                assert exc.problems and all(p.startswith("small.yaml: ") for p in exc.problems)
            except Exception as exc:  # noqa: BLE001 - collecting every crash is the point
                crashes.append(f"{path} = {junk!r}: {type(exc).__name__}: {exc}")
    assert crashes == []
