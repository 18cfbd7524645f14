"""The participant's own data: who sees it, and a download of all of it."""

import json

from flask import Blueprint, Response
from flask_login import current_user

from app.account.service import current_handover, export_participant
from app.auth.decorators import participant_required
from app.caseload.forms import PHASE_LABELS
from app.caseload.service import consultant_of, enrolment_of
from app.db import get_session
from app.models import Role
from app.push.service import subscription_count
from app.timeutil import local_today
from app.web import render

bp = Blueprint("account", __name__, url_prefix="/me")


@bp.get("/")
@participant_required
def index():
    db = get_session()
    return render("account/index.html", consultant=consultant_of(db, current_user.id),
                  enrolment=enrolment_of(db, current_user.id), phase_labels=PHASE_LABELS,
                  handover=current_handover(db, current_user.id, local_today()),
                  push_devices=subscription_count(db, current_user.id))


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


def _handover_notice():
    """The home page's notice of a new consultant, for a signed-in participant. One query."""
    if not current_user.is_authenticated or current_user.role != Role.participant:
        return None
    return current_handover(get_session(), current_user.id, local_today())


bp.record_once(lambda state: state.app.jinja_env.globals.update(handover_notice=_handover_notice))
