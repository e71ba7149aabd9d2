"""Schemathesis, a real client, against the running application: every operation of the
OpenAPI document, with a token from `flask tokens create`, in every phase (examples, coverage,
fuzzing, stateful). No server error, every response (status, media type, body, headers) as
documented. A fixed seed and 10 examples per operation keep it to about a minute.

Run it broader by hand against a served application:
    st --config-file schemathesis.toml run http://127.0.0.1:5000/api/v1/openapi.json \
        -H "Authorization: Bearer $(flask --app app tokens create --user EMAIL --scopes ...)" \
        --checks all -n 200
"""
import subprocess
import sys
import uuid
from pathlib import Path

from tests.api_helpers import ALL_SCOPES

ROOT = Path(__file__).resolve().parents[2]
SCHEMATHESIS = Path(sys.executable).with_name("st")
EXAMPLES_PER_OPERATION = "10"


def test_schemathesis_finds_no_server_error_and_no_answer_off_the_document(live_server):
    from services import accounts

    email = f"api-{uuid.uuid4().hex[:8]}@example.com"
    with live_server.app.app_context():
        accounts.register(email, "Correct-horse-battery-42", "API", "接口测试有限公司", None)
    made = live_server.app.test_cli_runner().invoke(
        args=["tokens", "create", "--user", email, "--scopes", ALL_SCOPES, "--expires", "1d"])
    assert made.exit_code == 0, made.output
    run = subprocess.run(
        [str(SCHEMATHESIS), "--config-file", str(ROOT / "schemathesis.toml"), "run",
         f"{live_server.url}/api/v1/openapi.json",
         "-H", f"Authorization: Bearer {made.output.strip()}",
         "--checks", "all", "--max-examples", EXAMPLES_PER_OPERATION, "--seed", "14",
         "--request-timeout", "60", "--no-color"],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    document = live_server.app.test_client().get("/api/v1/openapi.json").get_json()
    operations = sum(len(methods) for methods in document["paths"].values())
    assert f"Tested: {operations}" in run.stdout  # every operation, none skipped
