"""Wrong passwords slow guessing down (database counters shared by every worker) without ever
locking the owner out: waits are capped, and the owner's own browser (a known device) and
address keep their own counts. Time is moved by ageing the stored counters, never by sleeping."""
from datetime import timedelta


from services import throttle
from storage.account_models import SignInThrottle
from tests.helpers import PASSWORD, login


def _age(app, seconds):
    """Pretend `seconds` passed since every recorded failure."""
    from storage.db import db_session
    with app.app_context():
        for row in db_session.query(SignInThrottle):
            row.last_failure_at = row.last_failure_at - timedelta(seconds=seconds)
        db_session.commit()


def _from(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_after_the_free_failures_the_next_try_must_wait_and_the_password_is_not_checked(app,
                                                                                      sme_user):
    client = _from(app, "203.0.113.7")
    for _ in range(3):
        assert login(client, sme_user.email, "wrong").status_code == 200
    refused = login(client, sme_user.email, PASSWORD)  # even the right one: not checked now
    assert refused.status_code == 429
    assert "密码错误次数过多" in refused.get_data(as_text=True)
    assert "秒后再试" in refused.get_data(as_text=True)

    _age(app, 2)
    assert login(client, sme_user.email, PASSWORD).status_code == 302


def test_waits_double_with_each_failure_up_to_the_cap():
    free = 3
    assert [throttle.delay_after(n, free) for n in range(3)] == [0, 0, 0]
    assert [throttle.delay_after(n, free) for n in range(3, 7)] == [1, 2, 4, 8]
    assert throttle.delay_after(10_000, free) == throttle.MAX_DELAY


def test_counts_are_shared_by_every_worker_through_the_database(app, sme_user, request):
    from app import create_app
    from storage.db import get_engine

    second = create_app(dict(app.config))  # another worker process, same database, no Redis
    with second.app_context():
        request.addfinalizer(get_engine().dispose)
    clients = [_from(app, "203.0.113.8"), _from(second, "203.0.113.8")]
    for n in range(3):
        assert login(clients[n % 2], sme_user.email, "wrong").status_code == 200
    assert login(clients[1], sme_user.email, PASSWORD).status_code == 429


def test_a_guesser_elsewhere_does_not_slow_the_owner_on_a_known_device(app, sme_user):
    owner = _from(app, "198.51.100.1")
    assert login(owner, sme_user.email).status_code == 302  # the browser becomes known
    owner.post("/auth/logout")
    for n in range(40):  # many addresses, then one address: every account-wide key is hot
        login(_from(app, f"203.0.113.{n % 20}"), sme_user.email, "wrong")
    assert login(_from(app, "203.0.113.99"), sme_user.email, PASSWORD).status_code == 429

    assert login(owner, sme_user.email).status_code == 302


def test_a_guesser_on_the_owners_address_does_not_slow_the_owners_device(app, sme_user):
    owner = _from(app, "198.51.100.2")
    assert login(owner, sme_user.email).status_code == 302
    owner.post("/auth/logout")
    guesser = _from(app, "198.51.100.2")  # same office network, another browser
    for _ in range(6):
        login(guesser, sme_user.email, "wrong")
    assert login(guesser, sme_user.email, PASSWORD).status_code == 429
    assert login(owner, sme_user.email).status_code == 302


def test_the_wait_is_capped_so_the_owner_always_gets_in_eventually(app, sme_user):
    client = _from(app, "203.0.113.9")
    for _ in range(30):
        _age(app, throttle.MAX_DELAY)
        assert login(client, sme_user.email, "wrong").status_code == 200
    assert login(client, sme_user.email, PASSWORD).status_code == 429
    _age(app, throttle.MAX_DELAY)
    assert login(client, sme_user.email, PASSWORD).status_code == 302


def test_a_success_clears_this_address_but_not_the_account_wide_count(app, sme_user, make_user):
    guesser = _from(app, "203.0.113.10")
    for _ in range(2):
        login(guesser, sme_user.email, "wrong")
    assert login(guesser, sme_user.email).status_code == 302
    guesser.post("/auth/logout")
    from storage.db import db_session
    with app.app_context():
        assert db_session.query(SignInThrottle).count() == 2  # account-wide and address-wide


def test_a_forged_device_cookie_counts_for_nothing(app, sme_user):
    client = _from(app, "203.0.113.11")
    client.set_cookie("known_device", "forged.value")
    for _ in range(3):
        login(client, sme_user.email, "wrong")
    assert login(client, sme_user.email, PASSWORD).status_code == 429


def test_the_counters_hold_no_email_or_address_in_clear(app, sme_user):
    login(_from(app, "203.0.113.12"), sme_user.email, "wrong")
    from storage.db import db_session
    with app.app_context():
        keys = [row.key for row in db_session.query(SignInThrottle)]
    assert len(keys) == 3 and all(len(k) == 64 and "@" not in k and "203." not in k for k in keys)


def test_typos_of_the_owner_cost_nothing_before_the_free_failures(app, sme_user):
    client = _from(app, "203.0.113.13")
    for _ in range(throttle.Policy().account_address - 1):
        login(client, sme_user.email, "typo")
    assert login(client, sme_user.email).status_code == 302
