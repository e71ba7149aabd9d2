"""Languages: Flask-Babel set-up, the locale choice and the `t()` helper.

Locale order: the logged-in user's saved choice, then the session's, then
zh_CN. Instrument and catalogue texts are {zh, en} dicts picked by `t()`.
"""
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import session
from flask_babel import Babel, get_locale
from flask_login import current_user

LANGUAGES = ("zh_CN", "en")


def select_locale() -> str:
    """Saved user choice → session choice → zh_CN."""
    saved = getattr(current_user, "locale", None) if current_user else None
    for choice in (saved, session.get("locale")):
        if choice in LANGUAGES:
            return choice
    return "zh_CN"


def lang() -> str:
    """Short language key of the current locale: "zh" or "en"."""
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "zh"


def t(text) -> str:
    """Pick the current language from a {zh, en} dict; plain strings pass through."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    key = lang()
    other = "zh" if key == "en" else "en"
    return text.get(key) or text.get(other) or ""


def html_lang() -> str:
    """Value for <html lang>: zh-CN or en."""
    return "en" if lang() == "en" else "zh-CN"


def compile_catalogues(root: Path) -> list[Path]:
    """Compile every translations/*/<locale>/LC_MESSAGES/messages.po to .mo."""
    written = []
    for po_path in sorted(Path(root).glob("translations/*/*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as f:
            write_mo(f, catalog)
        written.append(mo_path)
    return written


def init_app(app) -> None:
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(t=t, lang=lang, html_lang=html_lang, LANGUAGES=LANGUAGES)
