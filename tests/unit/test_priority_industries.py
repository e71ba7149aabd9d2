"""The city's priority industries (data/priority-industries.yaml): the shipped groups of Art. 16
and a broken file's problems, each naming the place."""
from pathlib import Path

import pytest

from services.reference import ReferenceDataError, load_priority_industries

DATA = Path(__file__).resolve().parents[2] / "data"
INDUSTRIES = str(DATA / "gbt4754.yaml")


def test_shipped_groups_are_the_six_of_article_16_with_known_codes():
    groups = load_priority_industries(str(DATA / "priority-industries.yaml"), INDUSTRIES)
    assert [g["name"]["zh"] for g in groups] == ["石化及化工新材料", "航空航天", "清洁能源",
                                                 "生物医药", "海洋工程", "汽车"]
    by_id = {g["id"]: g for g in groups}
    assert by_id["automotive"]["codes"] == ("C36",)
    assert by_id["aerospace"]["codes"] == ("C37",)
    assert all(g["name"]["en"] for g in groups)


def test_a_broken_file_names_every_problem(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("groups:\n"
                   "  - {id: cars, zh: 汽车, en: Cars, codes: [C36, C99, C36]}\n"
                   "  - {id: cars, zh: 汽车二, codes: []}\n"
                   "  - {id: all, zh: 全部, en: All, codes: [C]}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        load_priority_industries(str(bad), INDUSTRIES)
    assert err.value.problems == [
        f"{bad}: groups[0].codes[1]: C99 is not in {INDUSTRIES}",
        f"{bad}: groups[0].codes: a code appears twice",
        f"{bad}: groups[1].id: cars appears twice",
        f"{bad}: groups[1].codes: must list GB/T 4754 codes",
        f"{bad}: groups[1]: needs non-empty zh and en names",
        f"{bad}: groups[2].id: lower-case letters, digits and hyphens, not 'all'"]


def test_a_file_without_groups_is_refused(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("groups: []\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="groups: missing"):
        load_priority_industries(str(bad), INDUSTRIES)
