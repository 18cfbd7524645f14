"""The participant's own data."""

from flask import Blueprint
from app.auth.decorators import participant_required

from app.web import render

bp = Blueprint("account", __name__, url_prefix="/me")


@bp.get("/")
@participant_required
def index():
    return render("account/index.html")
