"""The participant's walks and meetings."""

from flask import Blueprint
from flask_login import login_required

from app.web import render

bp = Blueprint("walks", __name__, url_prefix="/walks")


@bp.get("/")
@login_required
def index():
    return render("walks/index.html")
