"""The participant's attendance."""

from flask import Blueprint
from flask_login import login_required

from app.web import render

bp = Blueprint("attendance", __name__, url_prefix="/attendance")


@bp.get("/")
@login_required
def week():
    return render("attendance/week.html")
