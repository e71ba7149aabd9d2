"""Start-up time of the command line: `flask --app app --help` against two baselines.

Runs each command N times, interleaved (so a change in machine load hits all three alike), and
prints the median wall time (byte code cached, as deployed) and the median CPU time (user + system of the child) of each:
`python -c pass` (the interpreter alone), `python -c "import flask"` (the framework alone) and
`flask --app app --help` (the application factory, every blueprint and command). Also lists the
heavy libraries the factory must not load (rendering, charts, scoring arrays, password
estimation, migrations, queue). Target: the app's median under 0.5 s on a quiet machine.
Ends with one line: `startup: app X s (cpu Y s), flask X s, python X s, ratio app/flask R`.

Run: .venv/bin/python bench/startup.py [--runs 15]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HEAVY = ("weasyprint", "matplotlib", "numpy", "zxcvbn", "alembic", "redis", "rq", "fontTools", "openpyxl")
# As a deployed service runs: byte code cached in __pycache__ (the warm-up run writes it), even
# where the shell sets PYTHONDONTWRITEBYTECODE.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.setdefault("SECRET_KEY", "bench-startup-only")
COMMANDS = {
    "python": [sys.executable, "-c", "pass"],
    "flask": [sys.executable, "-c", "import flask"],
    "app": [str(BIN / "flask"), "--app", "app", "--help"],
}


def timed(cmd):
    """(wall seconds, CPU seconds of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def heavy_loaded():
    code = ("import sys, json, app; app.create_app(); "
            f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    for cmd in COMMANDS.values():  # warm the file cache and .pyc files
        timed(cmd)
    runs = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, cmd in COMMANDS.items():
            runs[name].append(timed(cmd))
    med = {name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
           for name, r in runs.items()}
    for name, (wall, cpu) in med.items():
        print(f"{name:>6}: median {wall:.3f} s wall, {cpu:.3f} s CPU over {args.runs} runs")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    loaded = heavy_loaded()
    print(f"heavy libraries create_app loads: {', '.join(loaded) or 'none'}")
    print(f"startup: app {med['app'][0]:.2f} s (cpu {med['app'][1]:.2f} s), flask {med['flask'][0]:.2f} s, "
          f"python {med['python'][0]:.2f} s, ratio app/flask {med['app'][0] / med['flask'][0]:.1f}")


if __name__ == "__main__":
    main()
