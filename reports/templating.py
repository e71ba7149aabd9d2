"""The Jinja environment of the PDF report, one per language.

Reports render outside requests (RQ worker, CLI, benchmark), so they do not go through
Flask-Babel's per-request locale: each language gets its own environment with the report
catalogue installed. The catalogue is read from the .po file itself, so a report never comes
out half-translated because a compiled .mo file is missing or stale.
"""
import io
from functools import lru_cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

from config import ROOT

CATALOGUE = ROOT / "translations" / "reports" / "zh_CN" / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=None)
def translations(lang):
    """The report catalogue for `lang`, compiled in memory from the .po file."""
    if lang == "en":
        return NullTranslations()  # msgids are English
    with CATALOGUE.open("rb") as po:
        catalog = read_po(po, locale="zh_CN")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


@lru_cache(maxsize=None)
def environment(lang):
    """Autoescaping environment over templates/ with gettext in `lang` ("zh" or "en")."""
    env = Environment(loader=FileSystemLoader(ROOT / "templates"),
                      autoescape=select_autoescape(default=True),
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)
    return env


def N_(message):
    """Mark `message` for extraction; it is translated later, by gettext()."""
    return message


def gettext(lang, message):
    """`message` translated to `lang`, for texts the renderer builds outside templates."""
    return translations(lang).gettext(message)
