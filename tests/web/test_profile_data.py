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


def test_english_industry_names_are_whole():
    names = load_industries(str(DATA / "gbt4754.yaml")).names
    assert names["A05"]["en"] == "Support activities for agriculture, forestry, animal husbandry and fishery"
    assert names["R87"]["en"] == "Radio, television, film and sound recording"


def test_an_unquoted_name_with_commas_is_refused_not_cut_off(tmp_path):
    bad = tmp_path / "ind.yaml"
    bad.write_text("sections:\n  - code: C\n    zh: 制造业\n    en: Manufacturing\n"
                   "    divisions:\n      - {code: C15, zh: 酒, en: Liquor, beverages and tea}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        load_industries(str(bad))
    assert f"{bad}: sections[0].divisions[0]: unknown keys beverages and tea (quote a name that contains commas)" \
        in err.value.problems


@pytest.mark.parametrize("word, code", [("五金", "C33"), ("服装", "C18"), ("软件", "I65"), ("software", "I65"),
                                        ("hardware", "C33"), ("汽配", "C36"), ("电商", "F52")])
def test_everyday_words_lead_to_their_division(word, code):
    keywords = load_industries(str(DATA / "gbt4754.yaml")).keywords
    assert word in keywords[code]["zh"] + keywords[code]["en"]


def test_keywords_for_an_unknown_division_are_named(tmp_path):
    (tmp_path / "ind.yaml").write_text("sections:\n  - code: C\n    zh: 制造业\n    en: Manufacturing\n"
                                       "    divisions:\n      - {code: C33, zh: 金属制品业, en: Metal products}\n",
                                       encoding="utf-8")
    words = tmp_path / "ind-keywords.yaml"
    words.write_text("keywords:\n  C99: {zh: [五金], en: [hardware]}\n  C33: {zh: [], en: [x]}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        load_industries(str(tmp_path / "ind.yaml"))
    assert err.value.problems == [f"{words}: keywords.C99: not a division of the industry list",
                                  f"{words}: keywords.C33: needs non-empty zh and en lists of words"]


def test_the_picker_carries_the_keywords_and_shows_the_whole_chosen_name(sme_client):
    from tests.web.test_profile import VALID
    page = sme_client.get("/profile/edit").get_data(as_text=True)
    assert '<option data-keywords="五金 金属制品' in page and 'value="C33"' in page
    sme_client.post("/profile/edit", data={**VALID, "industry_code": "A05"})
    sme_client.post("/auth/language", data={"locale": "en"})
    page = sme_client.get("/profile/edit").get_data(as_text=True)
    assert ('id="industry_code-chosen" aria-live="polite">Chosen: A05 Support activities for agriculture, '
            'forestry, animal husbandry and fishery</p>') in page
