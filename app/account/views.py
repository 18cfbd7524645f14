"""The participant's own data: who sees it, and a download of all of it."""

import json

from flask import Blueprint, Response
from flask_login import current_user

from app.account.service import export_participant
from app.auth.decorators import participant_required
from app.caseload.service import consultant_of
from app.db import get_session
from app.timeutil import local_today
from app.web import render

bp = Blueprint("account", __name__, url_prefix="/me")


@bp.get("/")
@participant_required
def index():
    return render("account/index.html", consultant=consultant_of(get_session(), current_user.id))


@bp.get("/export.json")
@participant_required
def export():
    data = export_participant(get_session(), current_user)
    filename = f"traedesten-my-data-{local_today().isoformat()}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename={filename}",
                 "Cache-Control": "no-store"},
    )
