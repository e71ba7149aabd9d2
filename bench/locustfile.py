"""Locust clients of the load and fault benchmarks (run by bench/load.py and bench/faults.py).

BENCH_PLAN names the JSON written by bench/load_data.prepare (the user classes to run are named
on locust's command line: all four for the mixed load, Sme alone for the faults). Once all
BENCH_EXPECTED clients have signed in and opened their first page, the statistics start again
after BENCH_SETTLE seconds and, with BENCH_SECONDS, the run ends that many seconds later;
BENCH_READY, when set, names a file made at that moment. BENCH_EVENTS, when set, names a
JSON-lines file that gets one line per autosave (start, end, status, counter) and, at the end,
each client's last acknowledged counter.

Each SME owns one draft and sets the numerator of one rate question to 1, 2, 3, ... in turn,
as the page script posts one changed answer: what the database holds afterwards must be at
least the last number the client was told was saved.
"""
import json
import os
import random
import re
import time

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())
EVENTS_FILE = os.environ.get("BENCH_EVENTS")
# Signing in (an Argon2 check each) and each worker's first pages are not measured.
EXPECTED = int(os.environ.get("BENCH_EXPECTED", "0"))
SETTLE = float(os.environ.get("BENCH_SETTLE", "5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "0"))
READY_FILE = os.environ.get("BENCH_READY")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REFRESH_SECONDS = 3

_smes = iter(PLAN["smes"])
_report_people = iter(PLAN["smes"][::-1])
_consultants = iter(PLAN["consultants"])
_analysts = iter(PLAN["analysts"])
_acknowledged = {}  # draft id -> last counter acknowledged as saved
_events = []
_ready = set()


def _is_ready(user):
    """Count `user` as started; when all are, start measuring (and schedule the end)."""
    if id(user) in _ready:
        return
    _ready.add(id(user))
    if len(_ready) != EXPECTED:
        return
    runner = user.environment.runner
    if READY_FILE:
        open(READY_FILE, "w").close()
    gevent.spawn_later(SETTLE, runner.stats.reset_all)
    if SECONDS:
        gevent.spawn_later(SETTLE + SECONDS, runner.quit)


class Person(FastHttpUser):
    abstract = True
    network_timeout = 30.0
    connection_timeout = 10.0
    email = None

    def sign_in(self, email):
        """Sign in with the login form; False (and a failure recorded) when it does not work."""
        self.email = email
        page = self.client.get("/auth/login", name="login form")
        token = CSRF_RE.search(page.text or "")
        with self.client.post("/auth/login", name="login", allow_redirects=False,
                              data={"email": email, "password": PLAN["password"],
                                    "csrf_token": token.group(1) if token else ""},
                              catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in answered {answer.status_code}")
                return False
        return True

    def signed_in(self):
        """Sign in as `self.me` unless done; count the client as started once it is."""
        if not getattr(self, "_signed_in", False):
            self._signed_in = self.sign_in(self.me)
            if self._signed_in:
                _is_ready(self)
        return self._signed_in

    def read(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")


class Sme(Person):
    """An enterprise's owner answering the questionnaire: one autosave every 1-3 s."""
    wait_time = between(1, 3)
    fixed_count = len(PLAN["smes"])

    def on_start(self):
        me = next(_smes)
        self.me, self.draft, self.counter, self.csrf = me["email"], me["draft"], 0, None
        self.begin()

    def begin(self):
        if self.sign_in(self.me) and self.open_page():
            _is_ready(self)

    def open_page(self):
        """Open the questionnaire page (for its CSRF token); False when it does not open."""
        with self.client.get(f"/assess/{self.draft}/page/{PLAN['page']}", name="questionnaire page",
                             allow_redirects=False, catch_response=True) as answer:
            token = CSRF_RE.search(answer.text or "")
            if answer.status_code != 200 or not token:
                answer.failure(f"HTTP {answer.status_code}")
                return False
            self.csrf = token.group(1)
            return True

    @task(20)
    def autosave(self):
        if self.csrf is None:  # not signed in yet (the server was down): try again
            self.begin()
            return
        self.counter += 1
        qid, n = PLAN["question"], self.counter
        started = time.time()
        status = 0
        with self.client.post(
                f"/assess/{self.draft}/autosave/{PLAN['page']}", name="autosave",
                data={f"{qid}-numerator": str(n), f"{qid}-denominator": str(PLAN["denominator"]),
                      "items": qid},
                headers={"X-CSRFToken": self.csrf, "Accept": "application/json"},
                catch_response=True) as answer:
            status = answer.status_code or 0
            saved = False
            if status == 200:
                try:
                    saved = answer.json().get("saved") is True
                except ValueError:
                    saved = False
            if saved:
                _acknowledged[self.draft] = n
            else:
                answer.failure(f"HTTP {status}" if status else f"no answer: {answer.error!r}")
        if EVENTS_FILE:
            _events.append((started, time.time(), status, self.draft, n, saved))

    @task(1)
    def page(self):
        self.open_page()


class Consultant(Person):
    """A centre's consultant: the client list, then one consented client's page (audited)."""
    wait_time = between(2, 5)
    fixed_count = len(PLAN["consultants"])

    def on_start(self):
        self.me = next(_consultants)
        self.signed_in()

    @task(1)
    def clients(self):
        if self.signed_in():
            self.read(f"/org/{PLAN['centre']}/", "centre: clients")

    @task(2)
    def client(self):
        if self.signed_in():
            self.read(f"/org/{PLAN['centre']}/clients/{random.choice(PLAN['clients'])}",
                  "centre: client")


class Analyst(Person):
    """A bureau analyst: the dashboard of the district's aggregates and its CSV export."""
    wait_time = between(2, 5)
    fixed_count = len(PLAN["analysts"])

    def on_start(self):
        self.me = next(_analysts)
        self.signed_in()

    @task(3)
    def dashboard(self):
        if self.signed_in():
            self.read("/bureau/", "bureau: dashboard")

    @task(1)
    def export(self):
        if self.signed_in():
            self.read("/bureau/export.csv", "bureau: export")


class ReportReader(Person):
    """An owner downloading the PDF report of a submitted assessment, Chinese or English: the
    first asks queue a job and refresh every 3 s, as the "preparing" page does, until the file
    comes."""
    wait_time = between(5, 10)
    fixed_count = PLAN.get("report_readers", 5)

    def on_start(self):
        me = next(_report_people)
        self.me, self.submitted = me["email"], me["submitted"]
        self.signed_in()

    @task
    def download(self):
        if not self.signed_in():
            return
        url = f"/reports/{self.submitted}.pdf?lang={random.choice(('zh', 'en'))}"
        for _ in range(40):
            with self.client.get(url, name="report", catch_response=True) as answer:
                if answer.status_code == 200 and answer.content.startswith(b"%PDF"):
                    return
                if answer.status_code != 202:
                    answer.failure(f"HTTP {answer.status_code}")
                    return
                answer.request_meta["name"] = "report (preparing)"
            time.sleep(REFRESH_SECONDS)


class Probe(FastHttpUser):
    """A load balancer's health probe, once a second: the same-run baseline, what the server
    answers when the application does nothing (bench/load.py prints autosave p95 / its p95)."""
    wait_time = between(1, 1)
    fixed_count = 1

    def on_start(self):
        _is_ready(self)

    @task
    def healthz(self):
        self.client.get("/healthz", name="healthz (baseline)")


@events.quitting.add_listener
def _write_events(environment, **_):
    if not EVENTS_FILE:
        return
    with open(EVENTS_FILE, "w", encoding="utf-8") as out:
        for started, ended, status, draft, n, saved in _events:
            out.write(json.dumps({"start": started, "end": ended, "status": status,
                                  "draft": draft, "n": n, "saved": saved}) + "\n")
        out.write(json.dumps({"acknowledged": _acknowledged}) + "\n")
