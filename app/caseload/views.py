"""The participant's consultant caseload."""

from flask import Blueprint
from app.auth.decorators import staff_required

from app.web import render

bp = Blueprint("caseload", __name__, url_prefix="/caseload")


@bp.get("/")
@staff_required
def index():
    return render("caseload/index.html")
