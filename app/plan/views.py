"""The participant's målskema: the home page."""

from flask import Blueprint
from flask_login import login_required

from app.web import render

bp = Blueprint("plan", __name__, url_prefix="/plan")


@bp.get("/")
@login_required
def home():
    return render("plan/home.html")
