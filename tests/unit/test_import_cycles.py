"""Every module of the project imports on its own, in a fresh interpreter: no import cycle
hides behind the order in which the application happens to import things."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("diagnosis", "services", "storage", "reports", "web", "commands")
TOP_LEVEL = ("app", "config", "logsetup", "worker")
PARTS = 4

# In one child interpreter, each module is imported after every project module has been
# dropped from sys.modules: the libraries stay loaded (fast), the project's own import order
# starts afresh each time, which is all a cycle depends on.
CHILD = """
import sys
project = set(sys.argv[1:]) | {n.split(".")[0] for n in sys.argv[1:]}
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m in project or m.split(".")[0] in project]:
        del sys.modules[loaded]
    try:
        __import__(name)
    except Exception as exc:
        failed.append(f"{name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
"""


def modules() -> list[str]:
    names = [m for m in TOP_LEVEL if (ROOT / f"{m}.py").exists()]
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_module_list_covers_the_layers():
    names = modules()
    assert {"diagnosis.catalogue_check", "services.reports", "services.report_jobs", "app", "worker"} <= set(names)


@pytest.mark.parametrize("part", range(PARTS))
def test_every_module_imports_on_its_own_in_a_fresh_interpreter(part):
    # in PARTS interpreters (every PARTS-th module each), so parallel test workers share them
    out = subprocess.run([sys.executable, "-c", CHILD, *modules()[part::PARTS]], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
