"""Enterprise profile: view and edit (filled in below)."""
from flask import Blueprint

bp = Blueprint("profile", __name__)


@bp.get("/")
def show():
    return "profile"


@bp.route("/edit", methods=["GET", "POST"])
def edit():
    return "edit"
