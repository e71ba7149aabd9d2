"""The bureau's charts are plain vector SVG: the PDF brief's fetcher refuses data: URIs, so an
embedded raster image would vanish from the brief."""
from reports import bureau_charts
from reports.fetcher import RefusedURL, StaticFetcher

import pytest


def _heat():
    cells = lambda *shares: [{"n": None if s is None else 10, "share": s} for s in shares]  # noqa: E731
    return {"levels": [0, 1, 2], "rows": [
        {"title": {"zh": "产品设计", "en": "Product design"}, "cells": cells(20.0, 50.0, 30.0)},
        {"title": {"zh": "安全生产", "en": "Safety"}, "cells": cells(40.0, None, 60.0)}]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_heatmap_is_vector_cells_with_its_marks_and_no_embedded_image(lang):
    svg = bureau_charts.heatmap_svg(_heat(), lang)
    assert "<image" not in svg and "data:" not in svg
    assert svg.count("<path") >= 5  # one coloured cell per published share (and the axes)
    assert "×" in svg and "50" in svg  # the suppressed cell's mark, a published share
    with pytest.raises(RefusedURL):
        StaticFetcher().resolve("data:image/png;base64,AAAA")
