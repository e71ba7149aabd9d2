"""questionnaires/schema.json (for editors and reviewers) agrees with the shipped instruments."""
import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.unit.builders import SMALL

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "questionnaires" / "schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", sorted((ROOT / "questionnaires").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_instrument_matches_the_schema(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [e.message for e in VALIDATOR.iter_errors(data)] == []


def test_the_small_test_instrument_matches_the_schema():
    assert list(VALIDATOR.iter_errors(SMALL)) == []


@pytest.mark.parametrize("breaker", [
    lambda d: d["title"].pop("en"),
    lambda d: d["dimensions"][0]["indicators"][0]["items"][0].update(kind="slider"),
    lambda d: d["dimensions"][0]["indicators"][0]["items"][0].update(optons=[]),
    lambda d: d["levels"][1]["conditions"].append({"total_at_least": 1, "total_above": 2}),
    lambda d: d.update(version="v1"),
])
def test_the_schema_refuses_what_the_loader_refuses(breaker):
    data = copy.deepcopy(SMALL)
    breaker(data)
    assert list(VALIDATOR.iter_errors(data)) != []
