"""Sign-in throttle: wrong passwords slow guessing down without locking the owner out.

Failed sign-ins are counted in the database (so every worker sees the same counts, with or
without Redis) under several keys, each with a number of free failures and then an escalating
wait: after the free ones, the next attempt on that key is accepted only BASE_DELAY · 2^(n-free)
seconds after the last failure, at most MAX_DELAY. An attempt made too early is refused
before the password is even checked, so guessing faster gains nothing.

Keys (see `keys_for`):
- the account from this address (few free failures): a typist's mistakes cost little;
- the account from anywhere (more): a guesser spread over many addresses;
- the address across accounts (many): one address trying many accounts;
- the browser's device token for this account, instead of all three, when the browser holds
  one from an earlier successful sign-in of that account ("known device"): strangers' failures
  never slow the owner's own browser, and a stolen device token is throttled on its own.

Waits are capped, so nobody is ever locked out for good; a success clears the keys of that
browser and address (never the account-wide key, which a guesser would otherwise reset by
signing in to an account of their own). Counters are forgotten FORGET_AFTER after the last
failure.
"""
import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from storage.account_models import SignInThrottle
from storage.base import utcnow
from storage.db import db_session, transaction

BASE_DELAY = 1.0          # seconds: the first wait after the free failures
MAX_DELAY = 15 * 60.0     # seconds: no single wait is longer
FORGET_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Policy:
    """Free failures per key kind before waits begin."""

    account_address: int = 3
    account: int = 10
    address: int = 30
    device: int = 5


def _key(kind: str, value: str) -> str:
    # Hashed, so the table holds no e-mail or address in clear.
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def keys_for(email: str, address: str, device: str | None, policy: Policy) -> dict[str, int]:
    """{key: free failures} that apply to one attempt."""
    if device:
        return {_key("device", f"{device}:{email}"): policy.device}
    return {_key("account-address", f"{email}|{address}"): policy.account_address,
            _key("account", email): policy.account,
            _key("address", address): policy.address}


def delay_after(failures: int, free: int) -> float:
    """Seconds to wait after `failures` failures on a key allowing `free` of them."""
    if failures < free:
        return 0.0
    return min(MAX_DELAY, BASE_DELAY * 2 ** min(failures - free, 30))


def wait_seconds(keys: dict[str, int], now=None) -> int:
    """Whole seconds until an attempt on these keys is accepted (0: now)."""
    now = now or utcnow()
    rows = db_session.execute(select(SignInThrottle.key, SignInThrottle.failures,
                                     SignInThrottle.last_failure_at)
                              .where(SignInThrottle.key.in_(list(keys)))).all()
    wait = 0.0
    for key, failures, last in rows:
        if now - _aware(last) > FORGET_AFTER:
            continue
        ready = _aware(last) + timedelta(seconds=delay_after(failures, keys[key]))
        wait = max(wait, (ready - now).total_seconds())
    return int(wait + 0.999)


def record_failure(keys: dict[str, int], now=None) -> None:
    """Count one failed attempt under every key (atomic increments, safe across workers)."""
    now = now or utcnow()
    with transaction():
        db_session.execute(delete(SignInThrottle)
                           .where(SignInThrottle.last_failure_at < now - FORGET_AFTER))
        for key in keys:
            bumped = db_session.execute(
                update(SignInThrottle).where(SignInThrottle.key == key)
                .values(failures=SignInThrottle.failures + 1, last_failure_at=now)).rowcount
            if not bumped:
                try:
                    with db_session.begin_nested():
                        db_session.add(SignInThrottle(key=key, failures=1, last_failure_at=now))
                except IntegrityError:  # another worker inserted it meanwhile
                    db_session.execute(
                        update(SignInThrottle).where(SignInThrottle.key == key)
                        .values(failures=SignInThrottle.failures + 1, last_failure_at=now))


def clear(email: str, address: str, device: str | None) -> None:
    """After a success: forget this browser's and this address's failures on the account."""
    keys = [_key("account-address", f"{email}|{address}")]
    if device:
        keys.append(_key("device", f"{device}:{email}"))
    with transaction():
        db_session.execute(delete(SignInThrottle).where(SignInThrottle.key.in_(keys)))


def _aware(moment):
    # SQLite hands datetimes back without tzinfo; they were stored as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)
