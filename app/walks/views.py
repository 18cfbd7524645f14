"""The participant's walks and meetings."""

from flask import Blueprint
from app.auth.decorators import participant_required

from app.web import render

bp = Blueprint("walks", __name__, url_prefix="/walks")


@bp.get("/")
@participant_required
def index():
    return render("walks/index.html")
