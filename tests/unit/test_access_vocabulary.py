"""data/access.yaml: the organisation kinds and roles, consent scopes and actions, checked on
load with messages naming the file, the path inside it and the problem."""
import pytest
import yaml

from services.access_vocabulary import (DEFAULT_FILE, KINDS, UnknownTerm, VocabularyError,
                                        load_vocabulary)


def test_the_shipped_vocabulary_has_what_the_service_relies_on():
    voc = load_vocabulary(DEFAULT_FILE)
    assert set(voc.kinds) == set(KINDS)
    assert voc.roles_of("centre") and {r.id for r in voc.roles_of("centre")} == {
        "centre_admin", "consultant", "reviewer"}
    assert voc.admin_roles("provider") == {"provider_admin"}
    assert {"view_assessments", "on_site_assessment", "share_summary", "share_report",
            "named_list"} <= set(voc.scopes)
    assert voc.action("fill_self_assessment").members_only
    assert voc.action("view_assessment").scopes == {"view_assessments", "on_site_assessment"}
    assert voc.action("edit_on_site").changes and not voc.action("view_report").changes
    assert [s.id for s in voc.scopes_for("bureau")] == ["share_report", "named_list"]
    with pytest.raises(UnknownTerm):
        voc.action("read_everything")


def _problems(tmp_path, change):
    data = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "access.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(VocabularyError) as refused:
        load_vocabulary(path)
    return [p.split(": ", 1)[1] for p in refused.value.problems], refused.value.problems


def test_an_action_naming_an_unknown_scope_or_role_is_refused(tmp_path):
    def change(data):
        data["actions"]["view_report"]["scopes"] = ["view_everything"]
        data["actions"]["view_report"]["roles"] = ["janitor"]
    problems, full = _problems(tmp_path, change)
    assert any(p.startswith("actions.view_report.scopes: unknown scope 'view_everything'")
               for p in problems)
    assert any(p.startswith("actions.view_report.roles: unknown role 'janitor'") for p in problems)
    assert all(str(tmp_path / "access.yaml") in p for p in full)


def test_kinds_need_their_roles_and_an_admin(tmp_path):
    def change(data):
        del data["organisation_kinds"]["platform"]
        data["organisation_kinds"]["bureau"]["roles"]["bureau_admin"]["admin"] = False
        data["organisation_kinds"]["provider"]["roles"]["consultant"] = {
            "name": {"zh": "顾问", "en": "Consultant"}}
    problems, _ = _problems(tmp_path, change)
    assert "organisation_kinds.platform: missing (every organisation kind needs its roles)" \
        in problems
    assert "organisation_kinds.bureau.roles: needs at least one role with admin: true" in problems
    assert any(p.startswith("organisation_kinds.provider.roles.consultant: also a role of centre")
               for p in problems)


def test_texts_need_both_languages_and_nothing_else(tmp_path):
    def change(data):
        data["consent_scopes"]["share_report"]["name"] = {"zh": "共享", "en": "Share",
                                                          "the full report": None}
        data["actions"]["view_profile"]["name"] = {"zh": "查看"}
        data["consent_scopes"]["named_list"]["kinds"] = ["ministry"]
        data["consent_max_days"] = 0
    problems, _ = _problems(tmp_path, change)
    assert any(p.startswith("consent_scopes.share_report.name: needs non-empty zh and en")
               for p in problems)
    assert any(p.startswith("actions.view_profile.name: needs non-empty zh and en")
               for p in problems)
    assert any(p.startswith("consent_scopes.named_list.kinds: unknown organisation kind 'ministry'")
               for p in problems)
    assert "consent_max_days: must be a whole number of days above 0" in problems


def test_an_unreadable_file_is_named(tmp_path):
    path = tmp_path / "access.yaml"
    path.write_text("actions: [unclosed", encoding="utf-8")
    with pytest.raises(VocabularyError, match="cannot read"):
        load_vocabulary(path)


MES = {"zh": "生产报工系统", "en": "Shop-floor reporting"}
DOCS = {"zh": "工艺文件电子化", "en": "Digital process documents"}


def test_the_services_own_purposes_read_in_either_language_show_in_both():
    voc = load_vocabulary(DEFAULT_FILE)
    consultation = {"zh": "就本企业数字化转型进行咨询",
                    "en": "A consultation on our digital transformation"}
    assert voc.purpose("consultation", "en") == consultation["en"]
    assert voc.purpose_text("就本企业数字化转型进行咨询") == consultation
    assert voc.purpose_text(" A consultation on our digital transformation ") == consultation
    written = voc.purpose("help_request", "zh", [MES, DOCS])
    assert written == "数字化转型求助：生产报工系统、工艺文件电子化"
    both = {"zh": written, "en": "Help with our digital transformation: Shop-floor reporting; "
                                 "Digital process documents"}
    assert voc.purpose_text(written, [MES, DOCS]) == both
    assert voc.purpose_text(both["en"], [DOCS, MES]) == both
    # what the service did not write stays as it was typed: another text, a module it does not
    # know (renamed since), a purpose read without the catalogue's names
    for typed in ("请中心帮助解读评估结果", "数字化转型求助：生产报工系统、智能仓储",
                  "数字化转型求助：", "就本企业数字化转型进行咨询。"):
        assert voc.purpose_text(typed, [MES, DOCS]) == typed
    assert voc.purpose_text(written) == written
    with pytest.raises(UnknownTerm):
        voc.purpose("anything")


def test_a_purpose_needs_both_languages_and_the_modules_in_both_or_neither(tmp_path):
    def change(data):
        data["consent_purposes"]["help_request"]["text"]["en"] = "Help with our transformation"
        data["consent_purposes"]["referral"]["text"] = {"zh": "推荐"}
    problems, _ = _problems(tmp_path, change)
    assert ("consent_purposes.help_request.text: {modules} goes in both languages once, or in "
            "neither") in problems
    assert any(p.startswith("consent_purposes.referral.text: needs non-empty zh and en")
               for p in problems)
