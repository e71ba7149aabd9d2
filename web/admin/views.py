"""Create and list organisations (administrators only; anyone else gets 404)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from services import first_admins, organisations
from services.access_vocabulary import KINDS, vocabulary
from services.errors import Conflict, NotFound
from services.reference import load_districts
from web.admin import bp
from web.i18n import t
from web.mail import mail_link

FIELDS = ("kind", "name", "contact_person", "phone", "email", "address", "website",
          "industries", "follow_up_months", "provider_ref", "admin_email")
MESSAGES = {
    "control_characters": _l("Remove the invisible control characters (for example a pasted "
                             "line break or NUL) from this text."),
    "kind_unknown": _l("Choose the kind of organisation."),
    "name_required": _l("Enter the organisation's name."),
    "name_too_long": _l("Keep the name under 200 characters."),
    "contact_person_too_long": _l("Keep this under 100 characters."),
    "address_too_long": _l("Keep this under 255 characters."),
    "website_too_long": _l("Keep this under 255 characters."),
    "email_too_long": _l("Keep this under 255 characters."),
    "email_format": _l("Enter a valid e-mail address."),
    "phone_format": _l("Enter a telephone number: digits, spaces, +, - and brackets."),
    "website_format": _l("Enter the full address of the website, starting with https://."),
    "scope_only_bureau": _l("Only bureaus have districts and industries in scope; leave this "
                            "empty."),
    "district_unknown": _l("Choose districts from the list."),
    "industry_unknown": _l("Use GB/T 4754-2017 codes: a section letter (e.g. C) or a division "
                           "(e.g. C36), separated by commas."),
    "settings_only_centre": _l("Only centres have these settings; leave them empty."),
    "follow_up_range": _l("Enter a whole number of months from 1 to 60."),
    "provider_ref_only_provider": _l("Only providers and platforms speak for a catalogue "
                                     "provider; leave this empty."),
    "provider_ref_required": _l("Choose the catalogue provider this organisation speaks for."),
    "provider_unknown": _l("Choose a provider from the catalogue."),
    "name_taken": _l("An organisation of this kind with this name exists already."),
    "provider_taken": _l("Another organisation already speaks for this provider."),
}


def _administrator_only():
    if not current_user.has_role("administrator"):
        raise NotFound()


def _form_values():
    form = request.form
    values = {name: form.get(name, "").strip() for name in FIELDS}
    values["districts"] = form.getlist("districts")
    values["review_required"] = form.get("review_required") == "1"
    return values


def render_page(values=None, errors=None, link=None, status=200):
    """The organisations page; `errors` may name a waiting organisation's form
    ("first_admin_<id>") and `link` is an invitation link just made."""
    ref = organisations.reference(current_app.config)
    voc = vocabulary()
    districts = load_districts(str(current_app.config["DISTRICTS_FILE"]))
    return render_template(
        "admin/organisations.html", organisations=organisations.all_organisations(current_user),
        kinds=[(kind, voc.kinds[kind]["name"]) for kind in KINDS],
        districts=[(d["value"], t(d["name"])) for d in districts],
        providers=[(pid, t(name)) for pid, name in ref.providers],
        waiting=first_admins.waiting(current_user),
        values=values or {"districts": [], "kind": "centre"}, errors=errors or {}, link=link,
        days=current_app.config["INVITATION_DAYS"]), status


@bp.get("/organisations")
@login_required
def organisations_page():
    _administrator_only()
    return render_page()


@bp.post("/organisations")
@login_required
def create_organisation():
    _administrator_only()
    values = _form_values()
    ref = organisations.reference(current_app.config)
    try:
        created = organisations.create(current_user, values, ref,
                                       invitation_days=current_app.config["INVITATION_DAYS"])
    except organisations.OrganisationInvalid as err:
        errors = {field: str(MESSAGES.get(code, code)) for field, code in err.problems.items()}
        return render_page(values, errors, status=400)
    except Conflict as err:
        field = "provider_ref" if err.code == "provider_taken" else "name"
        return render_page(values, {field: str(MESSAGES[err.code])}, status=409)
    flash(_("Organisation created: %(name)s.", name=values["name"]), "success")
    if created.admin_added:
        flash(_("%(email)s is its administrator.", email=values["admin_email"].lower()),
              "success")
    if created.invitation_token:
        link = mail_link("organisations.accept_invitation", token=created.invitation_token)
        return render_page(link=link)
    return redirect(url_for("admin.organisations_page"))
