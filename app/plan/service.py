"""The målskema: job goal, sub-goals, scale readings and the step-up plan (optrappingsplan)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.models import GoalPlan, StepUpStep


def hours_target(session: Session, participant_id: int, day: date) -> float | None:
    """The weekly hours target of the step-up plan in force on `day`, or None without a plan.

    Each step holds from its start date until the next step starts.
    """
    return session.exec(
        select(StepUpStep.hours_per_week)
        .join(GoalPlan, GoalPlan.id == StepUpStep.plan_id)
        .where(GoalPlan.participant_id == participant_id, StepUpStep.starts_on <= day)
        .order_by(StepUpStep.starts_on.desc())
        .limit(1)
    ).first()
