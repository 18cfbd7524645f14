"""The participant's målskema: the home page."""

from flask import Blueprint
from app.auth.decorators import participant_required

from app.web import render

bp = Blueprint("plan", __name__, url_prefix="/plan")


@bp.get("/")
@participant_required
def home():
    return render("plan/home.html")
