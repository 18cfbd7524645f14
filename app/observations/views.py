"""Workplace observations: the consultant's records of talks with the employer."""

from __future__ import annotations

from flask import Blueprint, Response, flash, request, url_for
from flask_login import current_user

from app.access import caseload_participant
from app.auth.decorators import staff_required
from app.db import get_session
from app.i18n import _
from app.idempotency import parse_client_id
from app.models import User
from app.observations import service
from app.observations.forms import (
    ACCOMMODATION_CHOICES,
    ACCOMMODATION_VALUES,
    LEVEL_LABELS,
    NOT_OBSERVED,
    ObservationForm,
)
from app.plan.service import find_plan
from app.timeutil import local_today
from app.web import render, see_other

bp = Blueprint("observations", __name__, url_prefix="/observations")


@bp.context_processor
def _labels() -> dict:
    kept_labels = {value: ACCOMMODATION_CHOICES[key] for key, value in ACCOMMODATION_VALUES.items()}
    return {"level_labels": LEVEL_LABELS, "not_observed": NOT_OBSERVED, "kept_labels": kept_labels}


def _reach(participant_id: int, action: str = "read") -> User:
    return caseload_participant(get_session(), staff=current_user, participant_id=participant_id,
                                what="observations", action=action)


def _form_page(participant: User, form: ObservationForm, status: int = 200) -> Response:
    # The agreed accommodations beside the question whether they were kept: at the workplace
    # the consultant may not remember them word for word.
    plan = find_plan(get_session(), participant.id)
    return render("observations/new.html", status=status, participant=participant, form=form,
                  window=service.observed_window(local_today()),
                  accommodations=plan.accommodations if plan else "")


@bp.get("/for/<int:participant_id>")
@staff_required
def index(participant_id: int):
    participant = _reach(participant_id)
    return render("observations/index.html", participant=participant,
                  observations=service.observations_of(get_session(), participant.id))


@bp.get("/for/<int:participant_id>/new")
@staff_required
def new(participant_id: int):
    return _form_page(_reach(participant_id), ObservationForm(formdata=None))


@bp.post("/for/<int:participant_id>")
@staff_required
def create(participant_id: int):
    participant = _reach(participant_id, "change")
    client_id = parse_client_id(request.form.get("client_id"))
    form = ObservationForm()
    if not form.validate():
        return _form_page(participant, form, 422)
    service.record(get_session(), staff=current_user, participant=participant,
                   data=form.to_input(), client_id=client_id)
    flash(_("The observation is saved."))
    return see_other(url_for(".index", participant_id=participant.id))
