"""The results page: level, total, dimensions, charts, scenarios, checklist, next level, history."""
from tests.web.test_assess_fixtures import (mini_app, owner, owner_client, start,  # noqa: F401
                                            stored)


def _submit(client, answers_page1, page2, page3):
    aid = start(client)
    client.post(f"/assess/{aid}/page/1", data={**answers_page1, "action": "next"})
    client.post(f"/assess/{aid}/page/2", data={**page2, "action": "next"})
    client.post(f"/assess/{aid}/page/3", data={**page3, "action": "review"})
    response = client.post(f"/assess/{aid}/submit", data={"pledge": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return aid


GOOD = ({"gate": "yes", "follow": ["a"], "devices-numerator": "5", "devices-denominator": "10",
         "maturity": "4"}, {"plan": "yes", "factory": "yes"}, {"sales_scn": "2", "finance_scn": "1"})
WEAK = ({"gate": "no", "devices-na": "n/a", "maturity": "0"}, {"plan": "no", "factory": "no"},
        {"sales_scn": "0", "finance_scn": "0"})


def test_result_shows_level_meaning_total_and_dimensions(owner_client):
    aid = _submit(owner_client, *GOOD)
    html = owner_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert 'data-testid="level">二级<' in html
    assert "规范" in html  # the level's meaning
    assert "85" in html and "100" in html
    assert "基础" in html and "45 / 60" in html and "40 / 40" in html


def test_result_draws_radar_and_bar_charts_as_inline_svg(owner_client):
    aid = _submit(owner_client, *GOOD)
    html = owner_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert html.count("<svg ") == 2
    assert 'role="img"' in html


def test_result_shows_scenario_grid_and_level_checklist(owner_client):
    aid = _submit(owner_client, *GOOD)
    html = owner_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert "营销管理" in html and "财务管理" in html
    assert "总分不低于 50 分" in html  # a level condition in words, from the core


def test_weak_result_explains_what_the_next_level_needs(owner_client):
    aid = _submit(owner_client, *WEAK)
    html = owner_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert 'data-testid="level">一级<' in html
    assert "二级" in html  # the next level is named with what is missing


def test_second_result_shows_the_first_and_the_change(owner_client, mini_app):
    first = _submit(owner_client, *WEAK)
    second = _submit(owner_client, *GOOD)
    change = stored(mini_app, second)["total"] - stored(mini_app, first)["total"]
    assert change > 0
    html = owner_client.get(f"/assess/{second}/result").get_data(as_text=True)
    assert f"/assess/{first}/result" in html
    assert f"+{change:g}" in html


def test_a_draft_has_no_result_page_yet(owner_client):
    aid = start(owner_client)
    response = owner_client.get(f"/assess/{aid}/result")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/assess/{aid}/")


def test_result_in_english(owner_client):
    aid = _submit(owner_client, *GOOD)
    owner_client.post("/auth/language", data={"locale": "en", "next": "/"})
    html = owner_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert 'data-testid="level">Level 2<' in html and "Standardised" in html


def test_result_lists_every_answer_with_its_points(owner_client):
    aid = _submit(owner_client, *GOOD)
    html = owner_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert "各题答案及得分" in html
    assert "有没有系统？" in html and "10 / 10" in html   # the gate answered "yes"
