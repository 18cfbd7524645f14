"""The participant's own data."""

from flask import Blueprint
from flask_login import login_required

from app.web import render

bp = Blueprint("account", __name__, url_prefix="/me")


@bp.get("/")
@login_required
def index():
    return render("account/index.html")
