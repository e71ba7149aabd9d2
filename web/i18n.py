"""Languages: Flask-Babel set-up, the locale choice and the `t()` helper.

Locale order: the logged-in user's saved choice, then the session's, then
zh_CN. Instrument and catalogue texts are {zh, en} dicts picked by `t()`.
"""
import os
from pathlib import Path

from babel import support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import has_request_context, request, session
from flask_babel import Babel, Domain, format_decimal, get_locale
from flask_login import current_user

from diagnosis.texts import tr

LANGUAGES = ("zh_CN", "en")


def select_locale() -> str:
    """Saved user choice → session choice → zh_CN; the JSON API follows Accept-Language."""
    if has_request_context() and request.path.startswith("/api/") and request.endpoint != "api.docs":
        return "en" if request.accept_languages.best_match(("zh", "en"), "zh") == "en" else "zh_CN"
    saved = getattr(current_user, "locale", None) if current_user else None
    for choice in (saved, session.get("locale")):
        if choice in LANGUAGES:
            return choice
    return "zh_CN"


def catalogue_name(locale) -> str:
    """Folder name of a locale's catalogues: "zh_CN", "en" (no script subtag)."""
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


class CatalogueDomain(Domain):
    """Merges translations/*/<locale>: Babel resolves "zh_CN" to zh_Hans_CN, a name
    gettext would not find among the zh_CN folders, so look them up by catalogue_name."""

    def get_translations(self):
        locale = get_locale()
        if locale is None:
            return support.NullTranslations()
        key = catalogue_name(locale)
        if key not in self.cache:
            merged = support.Translations()
            for dirname in self.translation_directories:
                catalog = support.Translations.load(dirname, [key], self.domain[0])
                merged.merge(catalog)
                if hasattr(catalog, "plural"):
                    merged.plural = catalog.plural
            self.cache[key] = merged
        return self.cache[key]


def lang() -> str:
    """Short language key of the current locale: "zh" or "en"."""
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "zh"


def t(text) -> str:
    """Pick the current language from a {zh, en} dict; plain strings pass through."""
    return tr(text, lang())


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
        # Write beside, then rename: a process reading the catalogue never sees half a file.
        partial = mo_path.with_name(f".{mo_path.name}.{os.getpid()}")
        with partial.open("wb") as f:
            write_mo(f, catalog)
        os.replace(partial, mo_path)
        written.append(mo_path)
    return written


def init_app(app) -> None:
    babel = Babel(app, locale_selector=select_locale)
    babel.domain_instance = CatalogueDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.jinja_env.globals.update(t=t, lang=lang, html_lang=html_lang, LANGUAGES=LANGUAGES)
    app.jinja_env.filters["decimal"] = format_decimal
