"""The profile's reference files: shipped ones load; broken ones are named precisely."""
from pathlib import Path

import pytest

from services.reference import ReferenceDataError, load_districts, load_industries

DATA = Path(__file__).resolve().parents[2] / "data"


def test_shipped_industry_list_has_every_section_and_the_divisions():
    industries = load_industries(str(DATA / "gbt4754.yaml"))
    assert [s["code"] for s in industries.sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert industries.names["C36"] == {"zh": "汽车制造业", "en": "Motor vehicles"}
    assert industries.section_of("C36")["name"]["zh"] == "制造业"


def test_shipped_districts_are_yantais():
    names = [d["value"] for d in load_districts(str(DATA / "districts.yaml"))]
    assert names[:2] == ["芝罘区", "福山区"] and "海阳市" in names and len(names) == 13


def test_every_division_with_a_size_rule_is_offered():
    from diagnosis.sizing import load_size_rules

    industries = load_industries(str(DATA / "gbt4754.yaml"))
    rules = load_size_rules(DATA / "size_classes.yaml")
    for group in rules.groups:
        for code in group.industries:
            assert code in industries.names, f"{group.id}: {code} is not in gbt4754.yaml"


def test_a_broken_industry_file_names_the_place(tmp_path):
    bad = tmp_path / "ind.yaml"
    bad.write_text("sections:\n  - code: C\n    zh: 制造业\n    en: Manufacturing\n"
                   "    divisions:\n      - {code: D36, zh: 汽车, en: Cars}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        load_industries(str(bad))
    assert f"{bad}: sections[0].divisions[0].code: must be C and digits" in err.value.problems


def test_a_district_without_english_is_refused(tmp_path):
    bad = tmp_path / "d.yaml"
    bad.write_text("districts:\n  - {zh: 芝罘区}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"districts\[0\]: needs non-empty zh and en"):
        load_districts(str(bad))
