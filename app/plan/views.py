"""The målskema: the participant's home page, and the consultant's editing of it."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user

from app.access import caseload_participant
from app.aftercare import service as aftercare
from app.auth.decorators import participant_required, staff_required
from app.db import get_session
from app.i18n import _
from app.idempotency import parse_client_id
from app.models import User, utcnow
from app.plan import service
from app.plan.forms import (
    RESPONSIBLE_FOR_PARTICIPANT,
    RESPONSIBLE_FOR_STAFF,
    GoalForm,
    OwnSubGoalForm,
    ScaleForm,
    StaffSubGoalForm,
    StepForm,
)
from app.timeutil import local_today
from app.web import render, see_other, wants_fragment

bp = Blueprint("plan", __name__, url_prefix="/plan")


def _me() -> User:
    return current_user._get_current_object()


def _client_id() -> uuid.UUID:
    return parse_client_id(request.form.get("client_id"))


def _home(
    status: int = 200, fragment: str | None = None, just_done: int | None = None, **context
) -> Response:
    """The home page (or its sub-goal list) with fresh data and any form that needs redoing.

    `just_done` names a sub-goal just ticked: it gets the acknowledgement and Undo while undo is
    still possible.
    """
    view = service.overview(get_session(), participant_id=current_user.id, today=local_today())
    ack = view.find(just_done)
    context["ack"] = ack if ack and service.can_undo(ack, utcnow()) else None
    context.setdefault("add_form", OwnSubGoalForm(formdata=None))
    context.setdefault("scale_form", ScaleForm(formdata=None))
    return render(
        "plan/home.html", fragment, status=status, view=view,
        prompts=aftercare.prompts(get_session(), current_user.id, utcnow()),
        labels=RESPONSIBLE_FOR_PARTICIPANT, support_share=service.support_share,
        may_tick=service.participant_may_tick, may_edit=service.participant_may_edit,
        logged=service.hours_text(view.minutes_this_week / 60),
        target=service.hours_text(view.target_hours) if view.target_hours else None,
        **context,
    )


@bp.get("/")
@participant_required
def home():
    # After a plain (no-JS) tick, the redirect names the sub-goal so the page can offer Undo.
    done = request.args.get("done", type=int)
    return _home(fragment="plan/_subgoals.html", just_done=done)


@bp.post("/subgoals/<int:subgoal_id>/done")
@participant_required
def mark_done(subgoal_id: int):
    client_id = _client_id()
    service.mark_done(get_session(), participant=_me(), subgoal_id=subgoal_id, client_id=client_id)
    if wants_fragment():
        return _home(fragment="plan/_subgoals.html", just_done=subgoal_id)
    return see_other(url_for("plan.home", done=subgoal_id))


@bp.post("/subgoals/<int:subgoal_id>/undo")
@participant_required
def undo(subgoal_id: int):
    client_id = _client_id()
    try:
        service.undo_done(get_session(), participant=_me(), subgoal_id=subgoal_id,
                          client_id=client_id)
    except service.UndoTooLate:
        problem = _("It is too late to undo this here. If it should be open again, "
                    "write to your consultant.")
        return _home(422, "plan/_subgoals.html", problem=problem)
    if wants_fragment():
        return _home(fragment="plan/_subgoals.html", status_text=_("Moved back to your list."))
    return see_other(url_for("plan.home"))


@bp.post("/subgoals")
@participant_required
def add_subgoal():
    client_id = _client_id()
    form = OwnSubGoalForm()
    if not form.validate():
        return _home(422, add_form=form)
    service.add_own_subgoal(get_session(), participant=_me(), title=form.title.data,
                            due_on=form.due_on.data, client_id=client_id)
    return see_other(url_for("plan.home"))


@bp.get("/subgoals/<int:subgoal_id>/edit")
@participant_required
def edit_subgoal(subgoal_id: int):
    subgoal = service.editable_subgoal(get_session(), participant=_me(), subgoal_id=subgoal_id)
    return render("plan/edit.html", form=OwnSubGoalForm(formdata=None, obj=subgoal),
                  subgoal=subgoal)


@bp.post("/subgoals/<int:subgoal_id>/edit")
@participant_required
def edit_subgoal_post(subgoal_id: int):
    subgoal = service.editable_subgoal(get_session(), participant=_me(), subgoal_id=subgoal_id)
    client_id = _client_id()
    form = OwnSubGoalForm()
    if not form.validate():
        return render("plan/edit.html", form=form, subgoal=subgoal, status=422)
    service.edit_own_subgoal(get_session(), participant=_me(), subgoal_id=subgoal_id,
                             title=form.title.data, due_on=form.due_on.data, client_id=client_id)
    return see_other(url_for("plan.home"))


@bp.post("/subgoals/<int:subgoal_id>/scale")
@participant_required
def scale(subgoal_id: int):
    service.subgoal_in_plan(get_session(), participant_id=current_user.id, subgoal_id=subgoal_id)
    client_id = _client_id()
    form = ScaleForm()
    if not form.validate():
        return _home(422, scale_form=form)
    service.record_scale(get_session(), actor=_me(), participant_id=current_user.id,
                         subgoal_id=subgoal_id, client_id=client_id, **_scale_answers(form))
    return see_other(url_for("plan.home"))


def _scale_answers(form: ScaleForm) -> dict:
    texts = ("what_is_needed", "what_i_can_do", "help_needed")
    return {"value": form.value.data, **{name: form[name].data or "" for name in texts}}


# The consultant's side.

def _participant(participant_id: int, action: str) -> User:
    return caseload_participant(get_session(), staff=_me(), participant_id=participant_id,
                                what="plan", action=action)


def _staff_page(participant: User, status: int = 200, **forms) -> Response:
    """The consultant's plan page; a form that failed validation replaces its blank one."""
    view = service.overview(get_session(), participant_id=participant.id, today=local_today(),
                            with_steps=True)
    plan = view.plan
    wishes = (plan.job_wishes + ["", "", ""])[:3]
    forms.setdefault("goal_form", GoalForm(
        formdata=None, job_goal=plan.job_goal, wish_1=wishes[0], wish_2=wishes[1],
        wish_3=wishes[2], accommodations=plan.accommodations,
    ))
    subgoal_forms = {
        sg.id: StaffSubGoalForm(formdata=None, obj=sg, done=sg.done_at is not None,
                                prefix=f"sg{sg.id}")
        for sg in view.subgoals
    }
    subgoal_forms.update(forms.pop("subgoal_forms", {}))
    forms.setdefault("new_form", StaffSubGoalForm(formdata=None, prefix="new"))
    forms.setdefault("step_form", StepForm(formdata=None, prefix="step"))
    forms.setdefault("scale_form", ScaleForm(formdata=None, prefix="scale"))
    return render(
        "plan/staff_edit.html", status=status, participant=participant, view=view,
        subgoal_forms=subgoal_forms, labels=RESPONSIBLE_FOR_STAFF,
        support_share=service.support_share, hours_text=service.hours_text,
        logged=service.hours_text(view.minutes_this_week / 60), **forms,
    )


def _back_to(participant: User, anchor: str) -> Response:
    return see_other(url_for("plan.staff_edit", participant_id=participant.id, _anchor=anchor))


@bp.get("/for/<int:participant_id>")
@staff_required
def staff_edit(participant_id: int):
    return _staff_page(_participant(participant_id, "read"))


@bp.post("/for/<int:participant_id>/goal")
@staff_required
def staff_goal(participant_id: int):
    participant = _participant(participant_id, "change")
    form = GoalForm()
    if not form.validate():
        return _staff_page(participant, 422, goal_form=form)
    service.update_goal(get_session(), participant_id=participant.id, job_goal=form.job_goal.data,
                        job_wishes=form.wishes(), accommodations=form.accommodations.data)
    return _back_to(participant, "goal")


@bp.post("/for/<int:participant_id>/subgoals")
@staff_required
def staff_add_subgoal(participant_id: int):
    participant = _participant(participant_id, "change")
    form = StaffSubGoalForm(prefix="new")
    if not form.validate():
        return _staff_page(participant, 422, new_form=form)
    service.add_subgoal(get_session(), staff=_me(), participant_id=participant.id,
                        title=form.title.data, responsible=form.responsible.data,
                        due_on=form.due_on.data, agreed=form.agreed.data,
                        client_id=_client_id())
    return _back_to(participant, "subgoals")


@bp.post("/for/<int:participant_id>/subgoals/<int:subgoal_id>")
@staff_required
def staff_update_subgoal(participant_id: int, subgoal_id: int):
    participant = _participant(participant_id, "change")
    service.subgoal_in_plan(get_session(), participant_id=participant.id, subgoal_id=subgoal_id)
    form = StaffSubGoalForm(prefix=f"sg{subgoal_id}")
    if not form.validate():
        return _staff_page(participant, 422, subgoal_forms={subgoal_id: form})
    service.update_subgoal(get_session(), staff=_me(), participant_id=participant.id,
                           subgoal_id=subgoal_id, title=form.title.data,
                           responsible=form.responsible.data, due_on=form.due_on.data,
                           agreed=form.agreed.data, done=form.done.data)
    return _back_to(participant, f"subgoal-{subgoal_id}")


@bp.post("/for/<int:participant_id>/subgoals/<int:subgoal_id>/agree")
@staff_required
def staff_agree_subgoal(participant_id: int, subgoal_id: int):
    participant = _participant(participant_id, "change")
    service.agree_subgoal(get_session(), participant_id=participant.id, subgoal_id=subgoal_id)
    return _back_to(participant, f"subgoal-{subgoal_id}")


@bp.post("/for/<int:participant_id>/subgoals/<int:subgoal_id>/move")
@staff_required
def staff_move_subgoal(participant_id: int, subgoal_id: int):
    participant = _participant(participant_id, "change")
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    service.move_subgoal(get_session(), participant_id=participant.id, subgoal_id=subgoal_id,
                         up=direction == "up")
    return _back_to(participant, f"subgoal-{subgoal_id}")


@bp.post("/for/<int:participant_id>/subgoals/<int:subgoal_id>/scale")
@staff_required
def staff_scale(participant_id: int, subgoal_id: int):
    participant = _participant(participant_id, "change")
    service.subgoal_in_plan(get_session(), participant_id=participant.id, subgoal_id=subgoal_id)
    form = ScaleForm(prefix="scale")
    if not form.validate():
        return _staff_page(participant, 422, scale_form=form)
    service.record_scale(get_session(), actor=_me(), participant_id=participant.id,
                         subgoal_id=subgoal_id, **_scale_answers(form))
    return _back_to(participant, "scale")


@bp.post("/for/<int:participant_id>/steps")
@staff_required
def staff_add_step(participant_id: int):
    participant = _participant(participant_id, "change")
    form = StepForm(prefix="step")
    if not form.validate():
        return _staff_page(participant, 422, step_form=form)
    try:
        service.add_step(get_session(), participant_id=participant.id,
                         starts_on=form.starts_on.data, hours_per_week=form.hours_per_week.data)
    except service.StepDateTaken:
        form.starts_on.errors.append(
            _("There is already a step from this day. Delete it first, or choose another day.")
        )
        return _staff_page(participant, 422, step_form=form)
    return _back_to(participant, "steps")


@bp.post("/for/<int:participant_id>/steps/<int:step_id>/delete")
@staff_required
def staff_delete_step(participant_id: int, step_id: int):
    participant = _participant(participant_id, "change")
    service.delete_step(get_session(), participant_id=participant.id, step_id=step_id)
    return _back_to(participant, "steps")
