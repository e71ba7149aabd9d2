"""Enterprise profile: see it, with the size class and its reason; edit it."""
from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from services import assessments, drafts, instrument_registry
from services import profile as profiles
from services.reference import load_industries, load_districts
from web.assess.context import start_choices
from web.i18n import t
from web.nav import nav_item
from web.profile.forms import MESSAGES, WAN, ProfileForm

bp = Blueprint("profile", __name__)
nav_item("profile.show", _l("Enterprise profile"), roles=("sme_user",), order=30)


def _enterprise_id() -> int:
    if current_user.enterprise_id is None:
        abort(404)  # staff accounts have no enterprise profile
    return current_user.enterprise_id


def _reference():
    cfg = current_app.config
    return load_industries(str(cfg["INDUSTRIES_FILE"])), load_districts(str(cfg["DISTRICTS_FILE"]))


def _wan(yuan):
    return None if yuan is None else Decimal(yuan) / 10_000


@bp.get("/")
@login_required
def show():
    view = profiles.profile_view(_enterprise_id())
    industries, districts = _reference()
    code = view["industry_code"]
    labels = {
        "industry": code and f"{code} {t(industries.names.get(code))}",
        "section": code and t(industries.names.get(code[0])),
        "district": next((t(d["name"]) for d in districts if d["value"] == view["district"]),
                         view["district"]),
    }
    registry = _registry()
    profile = assessments.profile_of(view["id"])
    rows = assessments.for_enterprise(view["id"], registry, profile)
    drafts = [a for a in rows if a["status"] == "draft"]
    done = [a for a in rows if a["status"] == "submitted"]
    return render_template("profile/show.html", p=view, labels=labels,
                           revenue=_wan(view["annual_revenue"]), assets=_wan(view["total_assets"]),
                           choices=start_choices(registry, drafts, done))


def _registry():
    return instrument_registry.instruments(current_app.config["QUESTIONNAIRES_DIR"])


@bp.route("/edit", methods=["GET", "POST"])
@login_required
def edit():
    enterprise_id = _enterprise_id()
    view = profiles.profile_view(enterprise_id)
    form = ProfileForm(data={
        **view, "annual_revenue": _wan(view["annual_revenue"]),
        "total_assets": _wan(view["total_assets"]),
        "has_cio": None if view["has_cio"] is None else ("yes" if view["has_cio"] else "no")})
    industries, districts = _reference()
    form.set_choices(industries, districts, t)
    if form.validate_on_submit():
        before = profiles.profile_dict(enterprise_id)
        try:
            profiles.update_profile(enterprise_id, form.to_data(),
                                    current_app.config["SIZE_RULES_FILE"])
        except profiles.ProfileError as err:
            for field, code in err.problems.items():
                getattr(form, field).errors.append(MESSAGES[code])
        else:
            # Questions the profile also answers follow it in open drafts (one source of truth).
            drafts.follow_profile_in_drafts(enterprise_id, _registry(), before,
                                            profiles.profile_dict(enterprise_id))
            flash(_("The profile is saved."), "success")
            return redirect(url_for("profile.show", _anchor="next-step"))
    code = form.industry_code.data
    chosen = f"{code} {t(industries.names[code])}" if code in industries.names and len(code) > 1 else None
    return render_template("profile/edit.html", form=form, wan=WAN, chosen_industry=chosen)
