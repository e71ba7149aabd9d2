"""The bureau's charts are plain vector SVG (the PDF brief's fetcher refuses data: URIs, so an
embedded raster image would vanish from the brief), mark suppressed figures, and are drawn
once per figures and language."""
from reports import bureau_charts
from reports.fetcher import RefusedURL, StaticFetcher

import pytest

NAMES = {"1": {"zh": "一级", "en": "Level 1"}, "2": {"zh": "二级", "en": "Level 2"}}


def _heat(hidden=True):
    def cells(*shares):
        return [{"n": None if s is None else 10, "share": s} for s in shares]
    return {"levels": [0, 1, 2], "rows": [
        {"title": {"zh": "产品设计", "en": "Product design"}, "cells": cells(20.0, 50.0, 30.0)},
        {"title": {"zh": "安全生产", "en": "Safety"},
         "cells": cells(40.0, None if hidden else 0.0, 60.0)}]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_heatmap_is_vector_cells_with_a_marker_per_suppressed_cell(lang):
    svg = bureau_charts.heatmap_svg(_heat(), lang)
    assert "<image" not in svg and "data:" not in svg
    assert svg.count("<path") >= 5  # one coloured cell per published share (and the axes)
    assert svg.count("<use") == bureau_charts.heatmap_svg(_heat(False), lang).count("<use") + 1
    assert ("Safety" if lang == "en" else "安全生产") in svg
    assert bureau_charts.SUPPRESSED_NOTE[lang] in svg
    with pytest.raises(RefusedURL):
        StaticFetcher().resolve("data:image/png;base64,AAAA")


def test_a_suppressed_level_shows_its_mark_and_no_bar():
    shown = bureau_charts.levels_svg([{"id": "1", "n": 7}, {"id": "2", "n": 12}], NAMES, "en")
    hidden = bureau_charts.levels_svg([{"id": "1", "n": 7}, {"id": "2", "n": None}], NAMES, "en")
    assert ">12<" in shown and ">×<" not in shown
    assert ">×<" in hidden and ">12<" not in hidden
    assert bureau_charts.SUPPRESSED_NOTE["en"] in hidden
    assert "Level 2" in hidden and "二级" not in hidden


def test_the_same_figures_give_the_same_chart_drawn_once():
    rows = [{"title": {"zh": "数字化基础", "en": "Foundations"}, "percent": 41.5},
            {"title": {"zh": "经营管理", "en": "Management"}, "percent": None}]
    first = bureau_charts.means_svg(rows, "zh")
    before = bureau_charts._drawn.cache_info()
    again = bureau_charts.means_svg([dict(row) for row in rows], "zh")
    after = bureau_charts._drawn.cache_info()
    assert again == first and (after.hits, after.misses) == (before.hits + 1, before.misses)
    assert bureau_charts.means_svg(rows, "en") != first  # another language is another chart
    assert ">41.5%<" in first and ">×<" in first


def _label_end(svg, label):
    """The x where a right-aligned label ends (its text-anchor is "end")."""
    import re

    return float(re.search(rf'text-anchor="end"[^>]* x="([\d.]+)"[^>]*>{re.escape(label)}<',
                           svg).group(1))


def test_long_english_labels_move_the_bars_right_instead_of_being_cut_off():
    def chart(label):
        return bureau_charts.means_svg([{"title": {"zh": "短", "en": label}, "percent": 40.0}],
                                       "en")

    short, long = chart("Data use"), chart("Digital foundations")
    assert _label_end(long, "Digital foundations") > _label_end(short, "Data use")
    # Noto Sans sets Latin text at least half an em per character on average
    assert _label_end(long, "Digital foundations") >= len("Digital foundations") * 0.5 * 11.5
