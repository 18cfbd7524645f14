"""Staff settings: my working hours and time away."""

from flask import Blueprint, flash, url_for
from flask_login import current_user

from app.auth.decorators import staff_required
from app.db import get_session
from app.i18n import _
from app.push.service import subscription_count
from app.settings import service
from app.settings.forms import WorkingHoursForm
from app.web import render, see_other

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.get("/")
@staff_required
def index():
    return page(WorkingHoursForm.of(current_user))


def page(form: WorkingHoursForm, status: int = 200):
    push_devices = subscription_count(get_session(), current_user.id)
    return render("settings/index.html", form=form, push_devices=push_devices, status=status)


@bp.post("/")
@staff_required
def save():
    form = WorkingHoursForm()
    if not form.validate():
        return page(form, status=422)
    service.save_working_hours(
        get_session(), staff=current_user, days=form.days.data, start=form.start.data,
        end=form.end.data, away_until=form.away_until.data,
    )
    flash(_("Your settings are saved."))
    return see_other(url_for("settings.index"))
