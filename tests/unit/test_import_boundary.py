"""The pure core imports nothing of the web, storage or PDF layers."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("flask", "sqlalchemy", "weasyprint", "web", "storage", "reports", "services", "commands")


def test_importing_diagnosis_in_a_fresh_interpreter_loads_no_web_storage_or_pdf_modules():
    code = ("import sys, json, diagnosis\n"
            "diagnosis.load_instruments('questionnaires')\n"
            "diagnosis.score, diagnosis.compile_instrument\n"  # names load their module on first use
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert "diagnosis.scoring" in loaded  # the check looks at a real import
    offending = [m for m in loaded if m.split(".")[0] in FORBIDDEN]
    assert offending == []
