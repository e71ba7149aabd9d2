"""The catalogue format: the sample loads and covers the instrument; bad files are refused
with file, place and field named."""
import copy
from pathlib import Path

import pytest
import yaml

from diagnosis import score
from diagnosis.catalogue import (CatalogueError, load_catalogue, load_subsidy, parse_catalogue,
                                 parse_subsidy, providers_to_data)
from diagnosis.uscc import uscc_valid
from diagnosis.effects import apply_effects
from tests.unit.builders import MANUFACTURING, extreme_answers

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "catalogues"
# The districts an enterprise chooses from in its profile (their stored names).
DISTRICTS = [d["zh"] for d in yaml.safe_load(
    (ROOT / "data" / "districts.yaml").read_text(encoding="utf-8"))["districts"]]
DOCS = {kind: yaml.safe_load((SAMPLE / f"{kind}.yaml").read_text(encoding="utf-8"))
        for kind in ("modules", "providers")}


@pytest.fixture(scope="module")
def sample(cn):
    return load_catalogue(SAMPLE, cn)


def refused(cn, modules=None, providers=None):
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(modules or DOCS["modules"], providers or DOCS["providers"], cn,
                        files=("modules.yaml", "providers.yaml"))
    return [str(p) for p in err.value.problems], err.value.problems


def test_sample_is_marked_and_big_enough(sample):
    assert sample.sample is True
    assert len(sample.modules) >= 40 and len(sample.providers) >= 60
    assert "SAMPLE" in (SAMPLE / "modules.yaml").read_text(encoding="utf-8").splitlines()[0]


def test_sample_modules_together_raise_every_item_and_scenario_to_the_top(cn, sample):
    # Two tops no module buys: digital spend above 60 % of revenue (7.5 points) and the top
    # step of digital awareness (transformed 6 of 7.5). Everything else reaches its maximum.
    worst = extreme_answers(cn, best=False)
    effects = [e for m in sample.modules.values() for e in m.effects]
    after = apply_effects(cn, worst, effects)
    result = score(cn, after, MANUFACTURING)
    short = {i["id"]: (i["points"], i["max"]) for i in result.items if i["points"] < i["max"]}
    assert short == {"digital_awareness": (6.0, 7.5), "digital_spend_rate": (0.0, 7.5)}
    assert result.total == pytest.approx(cn.max_total - 1.5 - 7.5)
    assert all(level == 4 for level in result.scenarios.values())
    assert set(result.scenarios) == {s.id for s in cn.scenarios}


def test_every_demo_district_has_all_four_provider_types(sample):
    for district in DISTRICTS:
        types = {p.type for p in sample.providers.values()
                 if p.status != "removed" and ("*" in p.districts or district in p.districts)}
        assert types == {"chain_leader", "integrator", "product_vendor", "public_platform"}, district


def test_providers_serve_districts_by_the_names_enterprises_choose(sample):
    named = {d for p in sample.providers.values() for d in p.districts} - {"*"}
    assert named - set(DISTRICTS) == set()
    assert {"黄渤海新区（烟台开发区）", "烟台高新区"} <= named


def test_public_platforms_offer_the_free_public_modules(sample):
    public_modules = [m.id for m in sample.modules.values() if m.public]
    assert public_modules
    for mid in public_modules:
        assert any(p.type == "public_platform" and p.offer_for(mid).price == 0
                   for p in sample.providers_for(mid))


def test_sample_uscc_codes_carry_a_valid_check_character(sample):
    from stdnum.cn import uscc
    for p in sample.providers.values():
        assert uscc.is_valid(p.uscc), p.uscc
    assert not uscc_valid("91370600MA3000010X")


def test_duplicate_ids_and_missing_translations_are_all_reported(cn):
    mods = copy.deepcopy(DOCS["modules"])
    mods["modules"][1]["id"] = mods["modules"][0]["id"]
    mods["modules"][2]["name"] = {"zh": "只有中文"}
    messages, _ = refused(cn, modules=mods)
    assert f"modules.yaml: modules[1]: id: id '{mods['modules'][0]['id']}' is used twice" in messages
    assert "modules.yaml: modules[2]: name: needs a text in both zh and en" in messages


def test_unknown_item_option_and_scenario_level_in_effects(cn):
    mods = copy.deepcopy(DOCS["modules"])
    mods["modules"][0]["effects"] = [{"item": "no_such_item", "answer": "x"}]
    mods["modules"][1]["effects"] = [{"item": "network", "answer": "fibre"}]
    mods["modules"][2]["effects"] = [{"scenario": "quality", "level": 7}]
    messages, problems = refused(cn, modules=mods)
    assert "modules.yaml: modules[0]: effects[0]: item 'no_such_item' is not in the instrument" in messages
    assert any(m.startswith("modules.yaml: modules[1]: effects[0].answer: 'fibre' is not an answer") for m in messages)
    assert "modules.yaml: modules[2]: effects[0].level: must be between 0 and 4" in messages
    assert {p.code for p in problems} >= {"unknown_item", "bad_answer", "out_of_range"}


def test_costs_deployment_and_prerequisites_are_checked(cn):
    mods = copy.deepcopy(DOCS["modules"])
    mods["modules"][0]["cost"]["one_off"] = [5000, 1000]
    mods["modules"][1]["deployment"] = "cloud"
    mods["modules"][2]["requires"] = {"modules": ["ghost"]}
    by_id = {m["id"]: m for m in mods["modules"]}
    by_id["pdm-lite"]["requires"] = {"modules": ["cad-collab"]}     # cad-collab needs pdm-lite
    messages, _ = refused(cn, modules=mods)
    assert "modules.yaml: modules[0]: cost.one_off: the minimum is above the maximum" in messages
    assert any("modules[1]: deployment: 'cloud' is not one of saas" in m for m in messages)
    assert "modules.yaml: modules[2]: requires.modules: module 'ghost' is not in the catalogue" in messages
    assert any("prerequisites form a cycle" in m and "pdm-lite" in m for m in messages)


def test_provider_problems_name_the_provider_and_field(cn):
    provs = copy.deepcopy(DOCS["providers"])
    provs["providers"][0]["uscc"] = "913706000000000000"
    provs["providers"][1]["offers"][0]["module"] = "ghost"
    provs["providers"][2]["rating"]["capability"] = 26
    provs["providers"][3]["status"] = "on_holiday"
    provs["providers"][4]["type"] = "consultant"
    messages, _ = refused(cn, providers=provs)
    assert any(m.startswith("providers.yaml: providers[0]: uscc: is not a valid") for m in messages)
    assert "providers.yaml: providers[1]: offers[0].module: module 'ghost' is not in the catalogue" in messages
    assert "providers.yaml: providers[2]: rating.capability: must be between 0 and 25" in messages
    assert any(m.startswith("providers.yaml: providers[3]: status: 'on_holiday' is not one of") for m in messages)
    assert any(m.startswith("providers.yaml: providers[4]: type: 'consultant' is not one of") for m in messages)


def test_rating_axes_and_ranking_weights_must_add_up(cn):
    provs = copy.deepcopy(DOCS["providers"])
    provs["rating_axes"]["overall"] = 30
    provs["ranking"] = {"rating": 0.5, "price": 0.5, "fit": 0.5}
    messages, _ = refused(cn, providers=provs)
    assert "providers.yaml: rating_axes: the axis maxima must add up to 100" in messages
    assert "providers.yaml: ranking: the ranking weights must add up to 1" in messages


def test_malformed_yaml_names_the_line(tmp_path, cn):
    (tmp_path / "modules.yaml").write_text("modules:\n  - id: a\n    name: {zh: x\n", encoding="utf-8")
    (tmp_path / "providers.yaml").write_text((SAMPLE / "providers.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(tmp_path, cn)
    assert [p.code for p in err.value.problems] == ["yaml_syntax"]
    assert str(err.value.problems[0]).startswith("modules.yaml: line 4: malformed YAML")


def test_missing_file_is_named(tmp_path, cn):
    with pytest.raises(CatalogueError) as err:
        load_catalogue(tmp_path, cn)
    assert [str(p) for p in err.value.problems] == ["modules.yaml: file not found", "providers.yaml: file not found"]


def test_subsidy_rule_pays_a_share_up_to_the_cap_for_pilot_sub_sectors(sample):
    rule = load_subsidy(SAMPLE / "subsidy.yaml")
    erp, mes, free = sample.modules["erp-basic"], sample.modules["mes-lite"], sample.modules["public-diagnosis"]
    pilot = {"industry": "C36"}
    assert rule.subsidy(erp, 62000, pilot) == 18600             # 30 % of 62,000
    assert rule.subsidy(mes, 170000, pilot) == 50000            # 30 % would be 51,000: capped
    assert rule.subsidy(erp, 62000, {"industry": "C13"}) == 0   # not a pilot sub-sector
    assert rule.subsidy(free, 0, pilot) == 0


def test_bad_subsidy_rule_is_refused():
    with pytest.raises(CatalogueError) as err:
        parse_subsidy({"subsidy": {"name": {"zh": "补贴"}, "rate": 1.5, "cap_per_module": -1}}, "subsidy.yaml")
    messages = [str(p) for p in err.value.problems]
    assert "subsidy.yaml: subsidy: name: needs a text in both zh and en" in messages
    assert "subsidy.yaml: subsidy: rate: must be between 0 and 1" in messages
    assert "subsidy.yaml: subsidy: cap_per_module: must be at least 0" in messages


def test_certifications_are_one_text_or_zh_and_en(cn, sample):
    """A certification named alike in both languages is one text; one named differently is
    {zh, en}; the sample names none in Chinese only."""
    p002 = sample.providers["p002"]
    assert p002.certifications == (
        {"zh": "两化融合管理体系",
         "en": "Integration of informatization and industrialization management system"},
        {"zh": "ISO 9001", "en": "ISO 9001"}, {"zh": "CMMI 3", "en": "CMMI 3"})
    han = [c["en"] for p in sample.providers.values() for c in p.certifications
           if any("\u4e00" <= ch <= "\u9fff" for ch in c["en"])]
    assert han == []
    provs = copy.deepcopy(DOCS["providers"])
    provs["providers"][0]["certifications"] = [{"zh": "高新技术企业"}, 7, ""]
    provs["providers"][1]["certifications"] = "ISO 9001"
    messages, _ = refused(cn, providers=provs)
    assert "providers.yaml: providers[0]: certifications[0]: needs a text in both zh and en" in messages
    for j in (1, 2):
        assert (f"providers.yaml: providers[0]: certifications[{j}]: needs a text, or {{zh, en}} "
                "when the name differs by language") in messages
    assert "providers.yaml: providers[1]: certifications: must be a list of texts" in messages


def test_certifications_are_written_back_as_read(sample):
    written = {p["id"]: p["certifications"] for p in providers_to_data(sample)["providers"]}
    assert written["p002"] == [
        {"zh": "两化融合管理体系",
         "en": "Integration of informatization and industrialization management system"},
        "ISO 9001", "CMMI 3"]
