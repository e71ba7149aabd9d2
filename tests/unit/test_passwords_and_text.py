"""The password rule, the stored-text rule and the CSP-safe chart SVG, without the web."""
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.errors import InvalidInput
from services.passwords import password_problem
from services.text import clean_line, control_character


@pytest.mark.parametrize("password, problem", [
    ("short", "password_too_short"),
    ("x" * 201, "password_too_long"),
    ("12345678", "password_guessable"),
    (" " * 8, "password_guessable"),
    ("password1", "password_guessable"),
    ("qwertyuiop", "password_guessable"),
    ("Li.Wang@Example.com", "password_is_email"),
    (" li.wang@example.com ", "password_is_email"),
    ("li.wang1", "password_guessable"),
    ("haiou2024", "password_guessable"),  # the enterprise's name and a year
    ("correct horse battery", None),
    ("violet tractor umbrella", None),
])
def test_the_password_rule(password, problem):
    assert password_problem(password, email="li.wang@example.com",
                            names=("王丽", "haiou")) == problem


@pytest.mark.parametrize("text", ["a\x00b", "a\x1bb", "a\u202eb", "a\u2028b", "a\nb", "\x7f"])
def test_control_characters_are_refused_in_a_line(text):
    with pytest.raises(InvalidInput) as refused:
        clean_line(text)
    assert refused.value.code == "control_characters"


def test_line_breaks_are_fine_in_multi_line_text_and_joiners_anywhere():
    assert clean_line(" 第一行\n第二行\t ", multiline=True) == "第一行\n第二行"
    assert clean_line("👩\u200d💻") == "👩\u200d💻"


@pytest.mark.parametrize("blank", ["", "   ", "\u3000", None])
def test_required_text_of_only_spaces_is_empty(blank):
    with pytest.raises(InvalidInput) as refused:
        clean_line(blank, code="name_required")
    assert refused.value.code == "name_required"


@given(st.text())
def test_what_clean_line_keeps_has_no_control_character_and_no_outer_space(text):
    try:
        kept = clean_line(text, required=False)
    except InvalidInput:
        assert control_character(text.strip())
    else:
        assert kept == kept.strip() and control_character(kept) is None


def test_chart_svg_has_no_style_for_a_strict_content_security_policy():
    from reports.charts import bar_svg, radar_svg
    from reports.context import result_context
    from reports.demo import demo_inputs

    i = demo_inputs()
    data = result_context(i.result, i.instrument, i.profile, i.enterprise, "zh", history=i.history)
    for svg in (radar_svg(data), bar_svg(data)):
        assert "style=" not in svg and "<style" not in svg
        assert 'stroke-linejoin="round"' in svg.split(">", 1)[0]
        assert re.search(r'<text[^>]* font-size="11\.5px"', svg) and 'fill="#1d4ed8"' in svg


def test_presentation_attributes_keep_quotes_and_values():
    from reports.svg_attributes import presentation_attributes
    svg = ('<svg a="1"><style type="text/css">*{stroke-linejoin: round}</style>'
           '<text style="font-family: \'Noto Sans\', sans-serif; fill: #000">x</text></svg>')
    assert presentation_attributes(svg) == (
        '<svg stroke-linejoin="round" a="1"><text font-family="\'Noto Sans\', sans-serif" '
        'fill="#000">x</text></svg>')
