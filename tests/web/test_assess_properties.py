"""Invariants of saving, for any posted form: never a server error, a rejected post changes
nothing, and the stored draft always passes the core's checks."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnosis import check_answers
from services.instrument_registry import instruments
from tests.web.test_assess_fixtures import (MANUFACTURER, mini_app, owner, owner_client,  # noqa: F401
                                            start, stored)

KEYS = ["gate", "follow", "maturity", "devices-numerator", "devices-denominator", "devices-na"]
VALUES = st.one_of(
    st.sampled_from(["yes", "no", "a", "b", "none", "n/a", "0", "3", "4", "5", "-1", "1e3",
                     "1001", "2.5", "", "nan", "inf", "９"]),
    st.text(max_size=8))
POSTS = st.dictionaries(st.sampled_from(KEYS), st.lists(VALUES, min_size=1, max_size=3), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(posts=st.lists(POSTS, min_size=1, max_size=4))
def test_any_sequence_of_autosaves_keeps_a_valid_draft(owner_client, mini_app, posts):
    inst = instruments(mini_app.config["QUESTIONNAIRES_DIR"])["test-mini"]
    aid = start(owner_client)
    try:
        for data in posts:
            before = stored(mini_app, aid)
            items = sorted({key.split("-")[0] for key in data}) or ["gate"]
            response = owner_client.post(f"/assess/{aid}/autosave/1", data={**data, "items": items})
            assert response.status_code in (200, 400), response.get_data(as_text=True)
            after = stored(mini_app, aid)
            if response.status_code == 400:
                assert after["answers"] == before["answers"]
                assert response.get_json()["errors"] or response.get_json()["message"]
            assert check_answers(inst, after["answers"], {"industry": MANUFACTURER}, partial=True) == []
    finally:  # one draft per questionnaire: the next example starts a fresh one
        owner_client.post(f"/assess/{aid}/delete", data={"delete": "1"})
