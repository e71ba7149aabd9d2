"""My data: an owner downloads everything the service holds about the enterprise in one ZIP."""
from flask import Blueprint, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from services import data_export
from services.errors import NotFound
from storage.base import utcnow
from web.nav import nav_item

bp = Blueprint("my_data", __name__)
nav_item("my_data.index", _l("My data"), roles=("sme_user",), order=75)


def _enterprise_id() -> int:
    if current_user.enterprise_id is None:
        raise NotFound()  # staff accounts have no enterprise
    return current_user.enterprise_id


@bp.get("/")
@login_required
def index():
    """What the export holds; the download button for owners."""
    return render_template("my_data/index.html",
                           owner=current_user.is_owner(_enterprise_id()))


@bp.get("/export.zip")
@login_required
def export():
    """The ZIP of everything kept about the enterprise (owners only; 404 for anyone else)."""
    name, raw = data_export.export_zip(current_user, _enterprise_id(), current_app.config,
                                       utcnow())
    reply = current_app.response_class(raw, mimetype="application/zip")
    reply.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return reply
