"""Benchmark: the demo PDF report, our pipeline against bare WeasyPrint on the same HTML.

    .venv/bin/python bench/report.py [--runs 10] [--lang zh|en]

Our pipeline = report context + SVG charts + Jinja templates + WeasyPrint through the locked
fetcher, tagged PDF/A-3b with the result attached (what a download of a submitted assessment does
on a cache miss). Bare = WeasyPrint alone on the final HTML of that pipeline, stylesheet
given as a file URL, with the same PDF options. Both run warm (after two untimed renders),
in the same process, taking turns. The last line is the summary (wall-clock medians):

    report: median X s, bare median X s, ratio X, size N KB, pages N
"""
import argparse
import io
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402
from weasyprint import HTML, Attachment  # noqa: E402

from reports.demo import demo_inputs  # noqa: E402
from reports.document import build_context, render_html, render_pdf  # noqa: E402
from reports.fetcher import SCHEME, STATIC_DIR  # noqa: E402
from reports.pdf import ARCHIVAL_VARIANT, RESULT_ATTACHMENT, result_json  # noqa: E402

WARMUP = 2


def interleaved(fns, runs):
    """Run each of `fns` WARMUP times untimed, then `runs` rounds of one timed call each, taking
    turns so load from other processes falls on both alike. Wall and CPU seconds per fn."""
    outs = [None] * len(fns)
    for _ in range(WARMUP):
        outs = [fn() for fn in fns]
    wall = [[] for _ in fns]
    cpu = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start, start_cpu = time.perf_counter(), time.process_time()
            outs[i] = fn()
            wall[i].append(time.perf_counter() - start)
            cpu[i].append(time.process_time() - start_cpu)
    return wall, cpu, outs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args()

    inputs = demo_inputs(args.lang)
    html = render_html(build_context(inputs))
    bare_html = html.replace(f"{SCHEME}css/", (STATIC_DIR / "css").as_uri() + "/")

    def bare():
        attachment = Attachment(string=result_json(inputs.result), name=RESULT_ATTACHMENT,
                                created=inputs.created, modified=inputs.created)
        with warnings.catch_warnings():  # WeasyPrint's own leaked sRGB profile handle
            warnings.simplefilter("ignore", ResourceWarning)
            return HTML(string=bare_html).write_pdf(pdf_variant=ARCHIVAL_VARIANT, pdf_tags=True,
                                                     attachments=[attachment])

    (ours, bare_times), (ours_cpu, bare_cpu), (pdf, bare_pdf) = interleaved(
        [lambda: render_pdf(inputs), bare], args.runs)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    bare_pages = len(PdfReader(io.BytesIO(bare_pdf)).pages)
    assert pages == bare_pages, f"bare WeasyPrint made {bare_pages} pages, ours {pages}"

    print(json.dumps({"lang": args.lang, "runs": args.runs,
                      "ours_s": [round(t, 3) for t in ours],
                      "bare_s": [round(t, 3) for t in bare_times],
                      "ours_cpu_median_s": round(statistics.median(ours_cpu), 3),
                      "bare_cpu_median_s": round(statistics.median(bare_cpu), 3),
                      "load_average": [round(x, 2) for x in os.getloadavg()]}))
    median, bare_median = statistics.median(ours), statistics.median(bare_times)
    print(f"report: median {median:.2f} s, bare median {bare_median:.2f} s, "
          f"ratio {median / bare_median:.2f}, size {len(pdf) // 1024} KB, pages {pages}")


if __name__ == "__main__":
    main()
