"""GET /api/v1/aggregates/figures: the bureau dashboard's further figures over the API, with the
query, scope rules and problems of /api/v1/aggregates, and the service's figures unchanged."""
from datetime import date

import pytest

from services import aggregates, bureau_figures, instrument_registry, organisations
from tests.api_helpers import bearer, is_problem, make_token
from tests.figure_helpers import LAISHAN, ZHIFU, figure_population
from tests.organisation_helpers import make_org, staff_user

URL = "/api/v1/aggregates/figures?as_of=2026-06-30"


@pytest.fixture
def token(app, make_user):
    figure_population(app)
    city = make_org(app, "bureau", name="市工信局")
    return make_token(app, staff_user(app, make_user, city, role="bureau_analyst"),
                      "aggregates:read")


def test_a_bureau_token_gets_the_hand_counted_figures_of_the_service(app, client, token):
    reply = client.get(URL, headers=bearer(token))
    assert reply.status_code == 200, reply.get_data(as_text=True)
    body = reply.get_json()
    assert (body["k"], body["instrument"], body["version"]) == (5, "cn-sme-2024", "2.0.0")
    assert body["filters"]["as_of"] == "2026-06-30"
    assert body["median"] == {"n": 10, "median": 55}
    assert [(d["id"], d["mean"], d["percent"]) for d in body["dimensions"]] == [
        ("management", 6.0, 20.0), ("foundation", 20.0, 50.0), ("outcomes", 27.0, 90.0)]
    assert body["dimensions"][0]["title"]["en"]
    design = {row["id"]: row for row in body["heatmap"]["rows"]}["product_design"]
    assert [c["n"] for c in design["cells"]] == [None, 0, None, 0, 0]  # suppressed: null
    assert body["uplift"] == {"pairs": 6, "up": None, "share_up": None, "mean_points": 10.0,
                              "mean_levels": 0.67, "empty": False}
    assert [(g["category"], [(m["id"], m["enterprises"]) for m in g["modules"]])
            for g in body["demand"]] == [("equipment", [("iot-retrofit", None)]),
                                         ("infrastructure", [("net-basic", 6)])]
    assert [(m["id"], m["enterprises"]) for g in body["plan_demand"] for m in g["modules"]] \
        == [("iot-retrofit", None), ("net-basic", 7)]
    with app.app_context():
        query = aggregates.parse({"instrument": "cn-sme-2024", "by": "district",
                                  "as_of": "2026-06-30"}, organisations.reference(app.config),
                                 instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"]),
                                 date.today())
        figures = bureau_figures.for_settings(query, None, app.config)
    assert {key: body[key] for key in figures} == figures


def test_a_district_bureau_gets_its_district_and_a_named_problem_outside_it(app, client,
                                                                           make_user, token):
    laishan = make_org(app, "bureau", name="莱山区工信局", districts=[LAISHAN])
    own = make_token(app, staff_user(app, make_user, laishan, role="bureau_analyst"),
                     "aggregates:read")
    inside = client.get(URL, headers=bearer(own)).get_json()
    assert inside["median"] == {"n": 7, "median": 40}  # 10 … 70: the middle one of seven
    outside = client.get(f"{URL}&district={ZHIFU}", headers=bearer(own, "en"))
    body = is_problem(outside, 422, "invalid_input")
    assert list(body["errors"]) == ["district"] and "Outside" in body["errors"]["district"][0]
    # the city bureau may ask for 芝罘区: three firms, every figure null, never 0
    small = client.get(f"{URL}&district={ZHIFU}", headers=bearer(token)).get_json()
    assert small["median"] == {"n": None, "median": None}
    assert all(d["mean"] is None for d in small["dimensions"])


def test_without_a_token_or_its_scope_or_a_bureau_there_are_no_figures(app, client, sme_user,
                                                                      make_user, token):
    is_problem(client.get(URL), 401, "unauthorized")
    analyst = staff_user(app, make_user, make_org(app, "bureau"), role="bureau_analyst")
    narrow = make_token(app, analyst, "catalogue:read")
    is_problem(client.get(URL, headers=bearer(narrow)), 403, "insufficient_scope")
    is_problem(client.get(URL, headers=bearer(make_token(app, sme_user))), 404, "not_found")
    centre = make_org(app, "centre")
    admin = staff_user(app, make_user, centre, role="centre_admin")
    is_problem(client.get(URL, headers=bearer(make_token(
        app, admin, "aggregates:read", "--organisation", str(centre)))), 404, "not_found")


@pytest.mark.parametrize("query, field", [("by=colour", "by"), ("instrument=nope", "instrument"),
                                          ("as_of=2999-01-01", "as_of"), ("mode=both", "mode"),
                                          ("colour=red", "colour")])
def test_bad_queries_are_named_in_the_callers_language(app, client, token, query, field):
    body = is_problem(client.get(f"/api/v1/aggregates/figures?{query}",
                                 headers=bearer(token, "zh")), 422, "invalid_input")
    assert field in body["errors"]


def test_the_openapi_document_describes_the_figures(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/aggregates/figures"]["get"]
    assert operation["security"] == [{"bearer": ["aggregates:read"]}]
    assert {"200", "404", "422"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {"as_of", "district", "mode"}
