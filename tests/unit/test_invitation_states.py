"""The row-level rules every invitation follows (enterprise colleagues and organisation staff,
services/invitations.py): its state, withdrawing, sending again. Hand-computed cases, then an
invariant over any sequence of actions: only the latest link can work, and only while pending."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services import invitations, tokens
from services.accounts import AccountError

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def _row(**values):
    fields = dict(id=1, email="a@example.com", token_hash="", created_at=NOW, sent_at=None,
                  expires_at=NOW, accepted_at=None, withdrawn_at=None)
    return SimpleNamespace(**{**fields, **values})


@pytest.mark.parametrize("values, state", [
    ({"expires_at": NOW}, "pending"),  # valid up to and including its expiry
    ({"expires_at": NOW - timedelta(seconds=1)}, "expired"),
    ({"withdrawn_at": NOW}, "withdrawn"),
    ({"withdrawn_at": NOW, "expires_at": NOW - timedelta(days=3)}, "withdrawn"),
    ({"accepted_at": NOW, "withdrawn_at": NOW}, "accepted"),
    ({"accepted_at": NOW, "expires_at": NOW - timedelta(days=3)}, "accepted"),
    ({"expires_at": datetime(2026, 12, 1, 12, 0)}, "pending"),  # SQLite: naive, stored as UTC
])
def test_the_state_of_an_invitation(values, state):
    assert invitations.state(_row(**values), NOW) == state


def test_sending_again_gives_a_new_link_a_new_expiry_and_clears_the_withdrawal():
    row = _row(withdrawn_at=NOW, token_hash="old")
    token = invitations.send_again(row, 7)
    assert row.token_hash == tokens.token_hash(token) != "old"
    assert row.withdrawn_at is None and row.sent_at == row.expires_at - timedelta(days=7)
    assert invitations.state(row) == "pending"


def test_an_accepted_invitation_is_neither_withdrawn_nor_sent_again():
    row = _row(accepted_at=NOW, token_hash="kept")
    for act in (lambda: invitations.take_back(row), lambda: invitations.send_again(row, 7)):
        with pytest.raises(AccountError) as refused:
            act()
        assert refused.value.code == "invitation_accepted"
    assert (row.token_hash, row.withdrawn_at) == ("kept", None)


@given(st.lists(st.sampled_from(["withdraw", "resend", "accept"]), max_size=12))
def test_only_the_latest_link_works_and_only_while_pending(actions):
    row = _row()
    links = [invitations.new_link(row, 7)]
    withdrawn = accepted = False
    for action in actions:
        if action == "accept":
            if invitations.state(row) == "pending":
                row.accepted_at, accepted = NOW, True
            continue
        try:
            if action == "withdraw":
                invitations.take_back(row)
                withdrawn = True
            else:
                links.append(invitations.send_again(row, 7))
                withdrawn = False
        except AccountError:
            assert accepted
    assert invitations.state(row) == ("accepted" if accepted else
                                      "withdrawn" if withdrawn else "pending")
    assert [tokens.token_hash(t) == row.token_hash for t in links] == \
        [False] * (len(links) - 1) + [True]
    assert len(set(links)) == len(links)
