"""Public pages: the landing page that explains the service, and the privacy notice."""
from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from web.nav import nav_item

bp = Blueprint("public", __name__)
nav_item("public.index", _l("Home"), order=0, public=True)


@bp.get("/")
def index():
    return render_template("public/index.html")


@bp.get("/privacy")
def privacy():
    """What is collected, why, who sees it, how long it is kept, how to export or delete it."""
    from services import privacy as texts
    return render_template("public/privacy.html", sections=texts.notice(),
                           kept=list(texts.retention().values()))
