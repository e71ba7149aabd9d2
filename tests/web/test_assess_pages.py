"""The questionnaire through the test client: dashboard, start, pages, autosave, submit."""

from tests.web.test_assess_fixtures import (FULL, mini_app, owner, owner_client, start,  # noqa: F401
                                            stored)


def test_dashboard_lists_the_questionnaires_to_start(owner_client):
    html = owner_client.get("/assess/").get_data(as_text=True)
    assert "测试问卷" in html
    assert 'name="instrument" value="test-mini"' in html


def test_starting_opens_page_one_with_the_questions_of_the_first_dimension(owner_client, owner, mini_app):
    aid = start(owner_client)
    html = owner_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)
    assert "有没有系统？" in html and "多少设备联网？" in html
    assert "车间联网吗？" not in html  # page 2
    assert stored(mini_app, aid)["status"] == "draft"


def test_posting_a_page_saves_its_answers_and_moves_on(owner_client, mini_app):
    aid = start(owner_client)
    response = owner_client.post(f"/assess/{aid}/page/1", data={
        "gate": "yes", "follow": ["a", "b"], "devices-numerator": "3", "devices-denominator": "4",
        "maturity": "2", "action": "next"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assess/{aid}/page/2")
    assert stored(mini_app, aid)["answers"] == {
        "gate": "yes", "follow": ["a", "b"], "devices": {"numerator": 3, "denominator": 4},
        "maturity": 2}


def test_autosave_saves_only_the_changed_question_and_reports_progress(owner_client, mini_app):
    aid = start(owner_client)
    response = owner_client.post(f"/assess/{aid}/autosave/1", data={
        "gate": "no", "maturity": "1", "items": ["gate"]})
    assert response.status_code == 200
    data = response.get_json()
    assert data["saved"] is True
    assert data["answered"] == 1 and data["required"] == 7  # follow-up hidden by "no"
    assert "follow" not in data["visible"] and "gate" in data["visible"]
    assert stored(mini_app, aid)["answers"] == {"gate": "no"}


def test_answering_yes_reveals_the_follow_up_and_no_drops_its_answer(owner_client, mini_app):
    aid = start(owner_client)
    owner_client.post(f"/assess/{aid}/autosave/1", data={"gate": "yes", "items": ["gate"]})
    reply = owner_client.post(f"/assess/{aid}/autosave/1",
                              data={"follow": ["b"], "items": ["follow"]}).get_json()
    assert "follow" in reply["visible"]
    assert stored(mini_app, aid)["answers"]["follow"] == ["b"]
    reply = owner_client.post(f"/assess/{aid}/autosave/1",
                              data={"gate": "no", "follow": ["b"], "items": ["gate"]}).get_json()
    assert reply["dropped"] == ["follow"]
    assert "已隐藏并删除其答案" in reply["message"]
    assert "follow" not in reply["visible"]
    assert stored(mini_app, aid)["answers"] == {"gate": "no"}


def test_posting_a_page_that_opens_a_follow_up_stays_on_the_page(owner_client):
    aid = start(owner_client)
    response = owner_client.post(f"/assess/{aid}/page/1", data={"gate": "yes", "action": "next"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assess/{aid}/page/1#q-follow")


def test_an_emptied_question_is_removed_from_the_draft(owner_client, mini_app):
    aid = start(owner_client)
    owner_client.post(f"/assess/{aid}/page/1", data={"maturity": "3", "action": "save"})
    owner_client.post(f"/assess/{aid}/page/1", data={"action": "save"})
    assert stored(mini_app, aid)["answers"] == {}


def test_not_applicable_is_offered_where_allowed_and_saved(owner_client, mini_app):
    aid = start(owner_client)
    html = owner_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)
    assert 'name="devices-na" value="n/a"' in html
    owner_client.post(f"/assess/{aid}/page/1", data={"devices-na": "n/a", "action": "save"})
    assert stored(mini_app, aid)["answers"] == {"devices": "n/a"}


def test_page_shows_help_evidence_progress_and_fieldsets(owner_client):
    aid = start(owner_client)
    owner_client.post(f"/assess/{aid}/page/1", data={"maturity": "3", "action": "save"})
    html = owner_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)
    assert '<progress id="assess-progress" max="7" value="1">' in html
    assert "<legend>" in html and 'id="gate-help"' in html
    assert "评估人员可能要求提供的证明材料" in html and "<p>证据</p>" in html
    assert "保存并继续" in html  # the page's own texts are Chinese by default
    assert 'value="3" checked' in html


def test_english_page_uses_the_instruments_english_texts(owner_client, owner):
    owner_client.post("/auth/language", data={"locale": "en", "next": "/assess/"})
    aid = start(owner_client)
    html = owner_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)
    assert "Do you have a system?" in html
    assert 'lang="en"' in html


def test_scenario_page_offers_levels_0_to_4_with_descriptions(owner_client):
    aid = start(owner_client)
    html = owner_client.get(f"/assess/{aid}/page/3").get_data(as_text=True)
    assert "<h1>应用场景</h1>" in html
    assert "营销管理" in html and "2级：信息系统" in html
    assert html.count('name="sales_scn"') == 5


def test_profile_hidden_item_is_left_out_for_a_non_manufacturer(owner_client, owner, mini_app):
    from tests.web.test_assess_fixtures import set_profile
    set_profile(mini_app, owner.enterprise_id, industry_code="I65")
    aid = start(owner_client)
    html = owner_client.get(f"/assess/{aid}/page/2").get_data(as_text=True)
    assert "有规划吗？" in html and "车间联网吗？" not in html


def test_going_back_to_an_earlier_page_shows_the_saved_answers(owner_client):
    aid = start(owner_client)
    owner_client.post(f"/assess/{aid}/page/1", data={"gate": "no", "maturity": "4", "action": "next"})
    owner_client.post(f"/assess/{aid}/page/2", data={"plan": "yes", "action": "back"})
    html = owner_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)
    assert 'value="no" checked' in html and 'value="4" checked' in html


def _fill(client, aid):
    client.post(f"/assess/{aid}/page/1", data={
        "gate": "yes", "follow": ["a"], "devices-numerator": "5", "devices-denominator": "10",
        "maturity": "4", "action": "next"})
    client.post(f"/assess/{aid}/page/2", data={"plan": "yes", "factory": "yes", "action": "next"})
    client.post(f"/assess/{aid}/page/3", data={"sales_scn": "2", "finance_scn": "1",
                                               "action": "review"})


def test_resume_goes_to_the_first_page_with_open_questions(owner_client):
    aid = start(owner_client)
    owner_client.post(f"/assess/{aid}/page/1", data={
        "gate": "no", "devices-na": "n/a", "maturity": "1", "action": "next"})
    response = owner_client.get(f"/assess/{aid}/")
    assert response.headers["Location"].endswith(f"/assess/{aid}/page/2")


def test_dashboard_offers_the_draft_to_resume_with_its_progress(owner_client):
    aid = start(owner_client)
    owner_client.post(f"/assess/{aid}/page/1", data={"gate": "no", "action": "save"})
    html = owner_client.get("/assess/").get_data(as_text=True)
    assert f"/assess/{aid}/" in html
    assert '<progress max="7" value="1"' in html
    # The questionnaire's own wording, not another area's "Continue" (继续).
    assert f'href="/assess/{aid}/">继续填写<' in html


def test_assess_pages_link_their_stylesheet_instead_of_inline_styles(owner_client):
    aid = start(owner_client)
    for url in ("/assess/", f"/assess/{aid}/page/1", f"/assess/{aid}/submit"):
        html = owner_client.get(url).get_data(as_text=True)
        assert 'href="/static/css/assess.css"' in html, url
        assert "<style" not in html, url  # a strict Content-Security-Policy would block it
    with owner_client.get("/static/css/assess.css") as stylesheet:
        assert stylesheet.status_code == 200


def test_submit_needs_the_pledge(owner_client, mini_app):
    aid = start(owner_client)
    _fill(owner_client, aid)
    response = owner_client.post(f"/assess/{aid}/submit", data={})
    assert response.status_code == 400
    assert "请勾选承诺后再提交评测" in response.get_data(as_text=True)
    assert stored(mini_app, aid)["status"] == "draft"


def test_submit_scores_and_stores_the_result(owner_client, mini_app):
    aid = start(owner_client)
    _fill(owner_client, aid)
    response = owner_client.post(f"/assess/{aid}/submit", data={"pledge": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assess/{aid}/result")
    row = stored(mini_app, aid)
    assert row["status"] == "submitted" and row["pledged_at"] is not None
    # Hand-computed: gate 10 + follow 1/2 of 10 + devices rate 0.5 -> 0.5 of 20 + maturity 4/4 of
    # 20 + plan 20 + factory 20 = 85; scenarios: sales at level 2 meets level 2's rule.
    assert row["total"] == 85 and row["level_id"] == "l2" and row["level_rank"] == 2
    assert row["dimension_scores"] == {"base": (45, 60), "mgmt": (40, 40)}
    assert row["result"]["total"] == 85
    assert row["answers"] == FULL | {"follow": ["a"]}


def test_submit_with_open_questions_lists_them_and_changes_nothing(owner_client, mini_app):
    aid = start(owner_client)
    owner_client.post(f"/assess/{aid}/page/1", data={"gate": "no", "action": "save"})
    html = owner_client.get(f"/assess/{aid}/submit").get_data(as_text=True)
    assert 'name="pledge"' not in html  # no pledge until complete
    response = owner_client.post(f"/assess/{aid}/submit", data={"pledge": "y"})
    assert response.status_code == 400
    assert stored(mini_app, aid)["status"] == "draft"


def test_a_submitted_assessment_no_longer_takes_answers(owner_client, mini_app):
    aid = start(owner_client)
    _fill(owner_client, aid)
    owner_client.post(f"/assess/{aid}/submit", data={"pledge": "y"})
    before = stored(mini_app, aid)
    response = owner_client.post(f"/assess/{aid}/autosave/1", data={"gate": "no", "items": ["gate"]})
    assert response.status_code == 409
    assert owner_client.post(f"/assess/{aid}/page/1", data={"gate": "no"}).status_code == 302
    assert stored(mini_app, aid)["answers"] == before["answers"]


def test_submitting_twice_makes_one_submission(owner_client, mini_app):
    aid = start(owner_client)
    _fill(owner_client, aid)
    first = owner_client.post(f"/assess/{aid}/submit", data={"pledge": "y"})
    submitted_at = stored(mini_app, aid)["submitted_at"]
    second = owner_client.post(f"/assess/{aid}/submit", data={"pledge": "y"})
    assert first.status_code == second.status_code == 302
    assert stored(mini_app, aid)["submitted_at"] == submitted_at


def test_a_page_post_that_hides_a_follow_up_says_its_answer_was_removed(owner_client, mini_app):
    aid = start(owner_client)
    owner_client.post(f"/assess/{aid}/page/1", data={"gate": "yes", "follow": ["a"], "action": "save"})
    response = owner_client.post(f"/assess/{aid}/page/1", data={"gate": "no", "follow": ["a"],
                                                                 "action": "save"},
                                 follow_redirects=True)
    assert "已隐藏并删除其答案" in response.get_data(as_text=True)
    assert stored(mini_app, aid)["answers"] == {"gate": "no"}


def test_submission_says_which_answers_no_longer_apply(owner_client, owner, mini_app):
    from tests.web.test_assess_fixtures import set_profile
    aid = start(owner_client)
    _fill(owner_client, aid)
    set_profile(mini_app, owner.enterprise_id, industry_code="I65")  # no longer a manufacturer
    response = owner_client.post(f"/assess/{aid}/submit", data={"pledge": "y"}, follow_redirects=True)
    assert "未计入评测" in response.get_data(as_text=True)
    assert "factory" not in stored(mini_app, aid)["answers"]
