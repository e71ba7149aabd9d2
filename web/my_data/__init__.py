"""My data: an owner downloads everything the service holds about the enterprise in one ZIP, or
deletes the enterprise's account and data (services/deletion.py)."""
from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from services import data_export, deletion
from services.errors import InvalidInput, NotFound
from services.passwords import MAX_PASSWORD
from storage.base import utcnow
from web.auth.messages import show_on
from web.auth.signin import sign_out
from web.forms import TextForm
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


class DeletionForm(TextForm):
    password = PasswordField(_l("Your password"), validators=[
        InputRequired(message=_l("This field is required.")), Length(max=MAX_PASSWORD)])
    confirmation = StringField(_l("The enterprise's name, to confirm"), validators=[
        InputRequired(message=_l("This field is required.")), Length(max=255)])


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    """What goes and what is kept (data/retention.yaml), then the deletion (owners only)."""
    now = utcnow()
    happens = deletion.what_happens(current_user, _enterprise_id(), now)
    form = DeletionForm()
    if form.validate_on_submit():
        try:
            deletion.delete_enterprise(current_user, _enterprise_id(),
                                       password=form.password.data,
                                       confirmation=form.confirmation.data,
                                       settings=current_app.config, now=now)
        except InvalidInput as err:
            show_on(form, err, "password")
        else:
            sign_out()
            return redirect(url_for("my_data.deleted"))
    status = 400 if form.errors else 200
    return render_template("my_data/delete.html", form=form, **happens), status


@bp.get("/deleted")
def deleted():
    """The confirmation after a deletion (the person is signed out by then)."""
    return render_template("my_data/deleted.html")
