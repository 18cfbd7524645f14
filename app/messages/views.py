"""The participant's messages."""

from flask import Blueprint
from app.auth.decorators import participant_required

from app.web import render

bp = Blueprint("messages", __name__, url_prefix="/messages")


@bp.get("/")
@participant_required
def thread():
    return render("messages/thread.html")
