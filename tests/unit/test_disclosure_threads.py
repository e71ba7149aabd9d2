"""Disclosure control runs its matrices on one BLAS thread, also when numpy is first loaded after
the services (as in the web process, which starts without numpy): more threads only contend,
and on a busy machine a page's audit took seconds instead of milliseconds."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from services import aggregates  # numpy is not loaded yet
assert "numpy" not in sys.modules
from diagnosis import disclosure
from threadpoolctl import ThreadpoolController

seen = []
def spy(*args, **kwargs):
    seen.extend(lib["num_threads"] for lib in ThreadpoolController().select(user_api="blas").info())
    return frozenset()
disclosure.protect = spy
aggregates.protect({"a": 1}, {"x": {"a"}}, 5)
outside = [lib["num_threads"] for lib in ThreadpoolController().select(user_api="blas").info()]
print(json.dumps({"inside": seen, "outside": outside}))
"""


def test_protect_limits_blas_to_one_thread_when_numpy_loads_after_the_services():
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                         check=True, env=env)
    threads = json.loads(out.stdout.strip().splitlines()[-1])
    assert threads["inside"] and set(threads["inside"]) == {1}
    assert set(threads["outside"]) == {2}  # restored afterwards: batch scoring keeps its threads
