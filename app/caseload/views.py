"""The participant's consultant caseload."""

from flask import Blueprint
from flask_login import login_required

from app.web import render

bp = Blueprint("caseload", __name__, url_prefix="/caseload")


@bp.get("/")
@login_required
def index():
    return render("caseload/index.html")
