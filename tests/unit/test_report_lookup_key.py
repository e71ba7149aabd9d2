"""The lookup key finds a stored report before its plan is made: it hashes what the plan is
made of instead of the plan, and everything else the cache key hashes."""
import dataclasses

import pytest

from reports import document
from reports.demo import demo_inputs

BASIS = {"instrument": ["cn-sme-2024", "2.0.0", "2.0.0"], "answers": {"network": ["none"]},
         "profile": {"size_class": "small"}, "catalogue": "c" * 64, "subsidy": None,
         "choices": {"budget": 200000, "target_level": None, "horizon_months": 12}}
INPUTS = demo_inputs(with_plan=False)


def test_the_key_does_not_need_the_plan():
    planned = dataclasses.replace(INPUTS, plan={"phases": [], "budget": 1})
    assert document.lookup_key(planned, BASIS) == document.lookup_key(INPUTS, BASIS)
    assert document.lookup_key(INPUTS, BASIS) != document.cache_key(INPUTS)


@pytest.mark.parametrize("part, value", [
    ("catalogue", "d" * 64), ("subsidy", {"rate": 0.5}), ("profile", {"size_class": "medium"}),
    ("choices", {"budget": 500000, "target_level": "level3", "horizon_months": 18}),
    ("instrument", ["cn-sme-2024", "2.0.0", "3.0.0"]), ("answers", {"network": ["system_network"]}),
])
def test_each_part_of_the_plan_basis_changes_the_key(part, value):
    assert document.lookup_key(INPUTS, {**BASIS, part: value}) != document.lookup_key(INPUTS, BASIS)


@pytest.mark.parametrize("field, value", [
    ("lang", "en"), ("enterprise", {"name": "另一家公司"}), ("mode", "onsite"), ("archival", False),
    ("history", []), ("on_site", {"signed": True}), ("before_after", {"pairs": []}),
    ("answers", {}), ("result", {}), ("profile", {}), ("assessment_id", 43),
])
def test_each_printed_input_changes_the_key(field, value):
    changed = dataclasses.replace(INPUTS, **{field: value})
    assert document.lookup_key(changed, BASIS) != document.lookup_key(INPUTS, BASIS)


def test_a_new_instrument_version_changes_the_key():
    newer = dataclasses.replace(INPUTS, instrument=dataclasses.replace(INPUTS.instrument, version="9.0.0"))
    assert document.lookup_key(newer, BASIS) != document.lookup_key(INPUTS, BASIS)


@pytest.mark.parametrize("version", ["template_version", "planning_version"])
def test_new_templates_or_new_planning_code_change_the_key(monkeypatch, version):
    before = document.lookup_key(INPUTS, BASIS)
    monkeypatch.setattr(document, version, lambda: "0123456789abcdef")
    assert document.lookup_key(INPUTS, BASIS) != before


def test_the_planning_version_follows_the_solver_and_the_core(monkeypatch, tmp_path):
    (tmp_path / "diagnosis").mkdir()
    (tmp_path / "diagnosis" / "planning.py").write_text("A = 1\n")
    monkeypatch.setattr(document, "ROOT", tmp_path)
    versions = {"highspy": "1.16.0", "numpy": "2.4.6"}
    monkeypatch.setattr(document, "version", versions.get)
    first = document.planning_version.__wrapped__()
    (tmp_path / "diagnosis" / "planning.py").write_text("A = 2\n")
    changed_code = document.planning_version.__wrapped__()
    versions["highspy"] = "1.17.0"
    changed_solver = document.planning_version.__wrapped__()
    assert len({first, changed_code, changed_solver}) == 3
