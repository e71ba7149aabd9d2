"""Anyone holding a PDF (a bank, a bureau, a buyer) checks it here; nothing but the level is
shown, and the form is rate-limited per address so codes cannot be guessed."""
from flask import current_app, render_template, request

from services import verification
from web.verification import bp
from web.security import limiter


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["VERIFY_LIMIT"], methods=["POST"], scope="verify")
def index():
    """The form; posted, whether the report is genuine and its level."""
    values = {"report_number": "", "code": ""}
    found = None
    if request.method == "POST":
        values = {k: request.form.get(k, "")[:100] for k in values}
        found = verification.verify(values["report_number"], values["code"])
    return render_template("verification/index.html", values=values, found=found)
