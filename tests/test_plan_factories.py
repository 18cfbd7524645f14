"""Factories the plan tests share (plain functions; this module holds no tests)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, func, select

from app.models import (
    ClientWrite,
    GoalPlan,
    Responsible,
    Role,
    ScaleReading,
    StepUpStep,
    SubGoal,
    User,
)

CLIENT_ID = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"


# Each read here ends its transaction, so the test's next look sees what requests wrote since.

def plan_of(db: Session, participant: User) -> GoalPlan:
    plan = db.exec(select(GoalPlan).where(GoalPlan.participant_id == participant.id)).one()
    db.commit()
    return plan


def add_subgoal(
    db: Session, participant: User, title: str = "Køb et buskort", *, position: int | None = None,
    responsible: Responsible = Responsible.participant, agreed: bool = False,
    created_by: User | None = None, due_on: date | None = None, done_at: datetime | None = None,
) -> SubGoal:
    plan = plan_of(db, participant)
    if position is None:
        position = db.exec(select(func.count(SubGoal.id)).where(SubGoal.plan_id == plan.id)).one()
    subgoal = SubGoal(
        plan_id=plan.id, position=position, title=title, responsible=responsible, agreed=agreed,
        created_by_id=(created_by or participant).id, due_on=due_on, done_at=done_at,
    )
    db.add(subgoal)
    db.commit()
    return subgoal


def add_step(db: Session, participant: User, starts_on: date, hours: float) -> StepUpStep:
    step = StepUpStep(plan_id=plan_of(db, participant).id, starts_on=starts_on,
                      hours_per_week=hours)
    db.add(step)
    db.commit()
    return step


def fresh(db: Session, obj):
    """`obj` as the database holds it now (requests write through their own sessions)."""
    db.refresh(obj)
    db.commit()
    return obj


def count(db: Session, model, *where) -> int:
    number = db.exec(select(func.count()).select_from(model).where(*where)).one()
    db.commit()
    return number


def client_writes(db: Session) -> int:
    return count(db, ClientWrite)


def readings(db: Session, subgoal: SubGoal, role: Role) -> list[ScaleReading]:
    found = list(db.exec(select(ScaleReading).where(ScaleReading.subgoal_id == subgoal.id,
                                                    ScaleReading.by_role == role)).all())
    db.commit()
    return found
