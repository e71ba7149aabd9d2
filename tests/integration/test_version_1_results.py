"""Results scored with cn-sme-2024 1.0.0 still display and render exactly as they did.

tests/data/v1/results-1.0.0.json was made before version 2.0.0 existed: two stored 1.0.0
results (a manufacturer, a services firm), the results-page context of each in both languages,
and the text of each PDF report. Rendering them today with the registry's 1.0.0 file must give
the same context and the same text.
"""
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from diagnosis import load_instruments, score
from reports.context import result_context
from reports.document import ReportInputs, render_pdf
from tests.integration.test_report_support import pdftotext

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = json.loads((ROOT / "tests" / "data" / "v1" / "results-1.0.0.json").read_text(encoding="utf-8"))
CASES = sorted(GOLDEN)


@pytest.fixture(scope="module")
def v1():
    return load_instruments(ROOT / "questionnaires").version("cn-sme-2024", "1.0.0")


def _plain(value):
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@pytest.mark.parametrize("case", CASES)
def test_version_1_still_scores_as_it_did(v1, case):
    stored = GOLDEN[case]
    assert _plain(score(v1, stored["answers"], stored["profile"]).to_dict()) == stored["result"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_results_page_context_of_a_version_1_result_is_unchanged(v1, case, lang):
    stored = GOLDEN[case]
    context = result_context(stored["result"], v1, stored["profile"], stored["enterprise"], lang, history=[])
    assert _plain(context) == stored["context"][lang]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_of_a_version_1_result_says_what_it_said(v1, case, lang):
    stored = GOLDEN[case]
    inputs = ReportInputs(instrument=v1, answers=stored["answers"], result=stored["result"],
                          profile=stored["profile"], enterprise=stored["enterprise"], lang=lang, plan=None,
                          history=[], assessment_id=7, archival=False,
                          created=datetime(2026, 3, 18, 9, 30, tzinfo=timezone.utc))
    assert pdftotext(render_pdf(inputs)) == stored["pdf_text"][lang]
