"""The participant's messages."""

from flask import Blueprint
from flask_login import login_required

from app.web import render

bp = Blueprint("messages", __name__, url_prefix="/messages")


@bp.get("/")
@login_required
def thread():
    return render("messages/thread.html")
