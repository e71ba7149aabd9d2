"""Moments in a history read to the minute, joined the way each language joins date and time."""
from datetime import datetime, timezone

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from web.formats import when

MOMENT = datetime(2026, 12, 2, 2, 31, 5, tzinfo=timezone.utc)  # 10:31:05 in Asia/Shanghai


@pytest.mark.parametrize("lang, expected", [("zh_CN", "2026年12月2日 10:31"),
                                            ("en", "Dec 2, 2026, 10:31\u202fAM")])
def test_a_moment_shows_its_date_and_minute_without_seconds(lang, expected):
    app = Flask(__name__)
    Babel(app, default_timezone="Asia/Shanghai")
    with app.test_request_context(), force_locale(lang):
        assert when(MOMENT) == expected
        assert when(None) == ""
