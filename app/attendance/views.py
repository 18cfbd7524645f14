"""The participant's attendance."""

from flask import Blueprint
from app.auth.decorators import participant_required

from app.web import render

bp = Blueprint("attendance", __name__, url_prefix="/attendance")


@bp.get("/")
@participant_required
def week():
    return render("attendance/week.html")
