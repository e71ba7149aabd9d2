"""The enterprise profile form; choices come from the reference data files."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from diagnosis.uscc import check_uscc
from web.forms import FiniteDecimalField, TextForm

REQUIRED = InputRequired(message=_l("This field is required."))
MESSAGES = {
    "uscc_length": _l("The unified social credit code has 18 characters; check that none is "
                      "missing or extra."),
    "uscc_format": _l("The unified social credit code uses only digits and capital letters "
                      "(not I, O, S, V or Z); check for a typing error."),
    "uscc_checksum": _l("The last character (the check character) does not match the other 17: "
                        "there is probably a typing error."),
    "uscc_taken": _l("Another enterprise has already registered this code. Ask its owner to "
                     "invite you instead."),
    "assets_required": _l("The size rule of this industry needs the total assets."),
    "name_required": _l("This field is required."),
    "control_characters": _l("Remove the invisible control characters (for example a pasted "
                             "line break or NUL) from this text."),
}
WAN = _l("in 10,000 yuan (万元)")


def _valid_uscc(form, field):
    _code, problem = check_uscc((field.data or "").strip().upper())
    if problem:
        raise ValidationError(MESSAGES[problem])


class ProfileForm(TextForm):
    name = StringField(_l("Enterprise name"), validators=[REQUIRED, Length(max=200)])
    uscc = StringField(_l("Unified social credit code (统一社会信用代码)"),
                       validators=[REQUIRED, _valid_uscc],
                       filters=[lambda v: (v or "").strip().upper().replace(" ", "")])
    industry_code = SelectField(_l("Industry (GB/T 4754-2017)"), validators=[REQUIRED],
                                validate_choice=True)
    district = SelectField(_l("District"), validators=[REQUIRED], validate_choice=True)
    employees = IntegerField(_l("Employees (从业人员)"), validators=[
        REQUIRED, NumberRange(min=0, max=10_000_000, message=_l("Enter a whole number from 0."))])
    annual_revenue = FiniteDecimalField(_l("Annual revenue"), places=2, validators=[
        REQUIRED, NumberRange(min=0, max=1e9, message=_l("Enter an amount from 0."))])
    total_assets = FiniteDecimalField(_l("Total assets"), places=2, validators=[
        Optional(), NumberRange(min=0, max=1e9, message=_l("Enter an amount from 0."))])
    main_products = TextAreaField(_l("Main products or services"),
                                  validators=[Optional(), Length(max=2000)])
    has_cio = RadioField(_l("Is someone responsible for digitalisation (a CIO or equivalent)?"),
                         choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                         validators=[InputRequired(message=_l("Choose yes or no."))])

    def set_choices(self, industries, districts, t):
        """Fill the selects: industries grouped by 门类 (optgroups), districts as listed."""
        blank = SelectChoice("", _l("Choose…"))
        words = industries.keywords or {}
        self.industry_code.choices = [blank] + [
            SelectChoice(d["code"], f"{d['code']} {t(d['name'])}",
                         optgroup=f"{s['code']} {t(s['name'])}",
                         # both languages: a person may type either, whatever the page's language
                         render_kw={"data-keywords": " ".join(words[d["code"]]["zh"] + words[d["code"]]["en"])}
                         if d["code"] in words else {})
            for s in industries.sections for d in s["divisions"]]
        self.district.choices = [blank] + [SelectChoice(d["value"], t(d["name"]))
                                           for d in districts]

    def to_data(self) -> dict:
        """Plain values for services.profile.update_profile (money in yuan)."""
        def yuan(value):
            return None if value is None else int(round(value * 10_000))
        return {"name": self.name.data, "uscc": self.uscc.data,
                "industry_code": self.industry_code.data, "district": self.district.data,
                "employees": self.employees.data, "annual_revenue": yuan(self.annual_revenue.data),
                "total_assets": yuan(self.total_assets.data),
                "main_products": self.main_products.data, "has_cio": self.has_cio.data == "yes"}
