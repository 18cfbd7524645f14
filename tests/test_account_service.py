"""export_participant: everything about one participant, nobody else, no secrets."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlmodel import Session, select

from app.account.service import export_participant
from app.models import (
    Absence,
    AbsenceReason,
    AccessLog,
    Attendance,
    GoalPlan,
    Group,
    GroupMember,
    LoginSession,
    Meeting,
    Message,
    MessageThread,
    Role,
    ScaleReading,
    StepUpStep,
    SubGoal,
    User,
    Walk,
    WorkplaceObservation,
)
from tests.test_caseload_views import count_queries

MOMENT = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def give_history(db: Session, person: User, consultant: User, tag: str, times: int = 1) -> None:
    """`times` of every kind of record for `person`, each text marked with `tag`."""
    plan = db.exec(select(GoalPlan).where(GoalPlan.participant_id == person.id)).one()
    plan.job_goal = f"{tag} job goal"
    thread = db.exec(select(MessageThread)
                     .where(MessageThread.participant_id == person.id)).one()
    for n in range(times):
        day = date(2025, 3, 3) + timedelta(days=n)
        goal = SubGoal(plan_id=plan.id, position=n, title=f"{tag} sub-goal {n}",
                       created_by_id=consultant.id, done_at=MOMENT if n == 0 else None)
        group = Group(organisation_id=consultant.organisation_id, leader_id=consultant.id,
                      name=f"{tag} group {n}")
        db.add_all([goal, group])
        db.flush()
        db.add_all([
            ScaleReading(subgoal_id=goal.id, recorded_by_id=person.id, by_role=Role.participant,
                         value=4 + n, what_i_can_do=f"{tag} can do"),
            StepUpStep(plan_id=plan.id, starts_on=day, hours_per_week=4 + n),
            Attendance(participant_id=person.id, day=day, minutes=120,
                       recorded_by_id=person.id),
            Absence(participant_id=person.id, day=day + timedelta(days=20),
                    reason=AbsenceReason.doctor, note=f"{tag} absence",
                    reported_by_id=person.id),
            Walk(participant_id=person.id, walked_on=day, minutes=30,
                 agreed_note=f"{tag} walk", recorded_by_id=person.id),
            Meeting(participant_id=person.id, consultant_id=consultant.id, starts_at=MOMENT,
                    summary=f"{tag} meeting"),
            Message(thread_id=thread.id, sender_id=person.id, body=f"{tag} from me",
                    language="ar"),
            Message(thread_id=thread.id, sender_id=consultant.id, body=f"{tag} reply",
                    read_at=MOMENT),
            AccessLog(actor_id=consultant.id, participant_id=person.id, action="read",
                      what="plan", purpose="casework"),
            GroupMember(group_id=group.id, participant_id=person.id, joined_on=day),
            WorkplaceObservation(participant_id=person.id, observed_on=day, pace=3,
                                 employer_contact=f"{tag} employer", recorded_by_id=consultant.id),
        ])
    db.add(LoginSession(token_hash=f"{tag}-token-hash".ljust(64, "0"), user_id=person.id,
                        expires_at=MOMENT + timedelta(days=30)))
    db.commit()


def test_export_holds_everything_about_the_participant(db, participant, consultant,
                                                       other_participant, other_consultant):
    give_history(db, participant, consultant, "MINE")
    give_history(db, other_participant, other_consultant, "THEIRS")
    data = export_participant(db, participant)
    text = json.dumps(data)
    assert "THEIRS" not in text and "Ahmad" not in text and "Jonas" not in text
    assert data["profile"]["display_name"] == "Sara"
    assert data["enrolments"][0]["phase"] == "preparation"
    assert data["enrolments"][0]["phase_history"][0]["phase"] == "preparation"
    plan = data["goal_plan"]
    assert plan["job_goal"] == "MINE job goal"
    assert plan["step_up_plan"] == [{"starts_on": "2025-03-03", "hours_per_week": 4.0}]
    goal = plan["sub_goals"][0]
    assert goal["title"] == "MINE sub-goal 0" and goal["done_at"] == MOMENT.isoformat()
    assert goal["scale_readings"][0]["value"] == 4
    assert goal["scale_readings"][0]["what_i_can_do"] == "MINE can do"
    assert data["attendance"][0] == {"day": "2025-03-03", "checked_in_at": None,
                                     "checked_out_at": None, "minutes": 120,
                                     "status": "present"}
    assert data["absences"][0]["reason"] == "doctor"
    assert data["groups"] == [{"joined_on": "2025-03-03", "left_on": None,
                               "group": "MINE group 0"}]
    observation = data["workplace_observations"][0]
    assert (observation["employer_contact"], observation["pace"], observation["recorded_by"]) == (
        "MINE employer", 3, "Mette")
    assert data["walks"][0]["agreed_note"] == "MINE walk"
    assert data["meetings"][0]["summary"] == "MINE meeting"
    assert data["meetings"][0]["consultant"] == "Mette"
    assert [(m["sender"], m["read_at"], m["language"]) for m in data["messages"]] == [
        ("me", None, "ar"), ("Mette", MOMENT.isoformat(), None)]
    entry = data["access_log"][0]
    assert entry["staff_member"] == "Mette Fiktiv" and entry["what"] == "plan"
    assert entry["purpose"] == "casework" and entry["action"] == "read"
    assert len(data["signed_in_devices"]) == 1 and len(data["activation_codes"]) == 1
    db.commit()


def test_export_leaves_out_every_secret(db, participant, consultant):
    give_history(db, participant, consultant, "MINE")
    text = json.dumps(export_participant(db, participant))
    assert "hash" not in text and "MINE-token-hash" not in text
    assert participant.password_hash not in text
    db.commit()


def test_export_with_an_empty_history(db, participant):
    data = export_participant(db, participant)
    assert data["goal_plan"]["sub_goals"] == [] and data["messages"] == []
    assert data["access_log"] == [] and data["walks"] == []
    db.commit()


def test_export_runs_a_fixed_number_of_queries(app: Flask, db, participant, consultant,
                                               make_participant):
    small = make_participant("Lille")
    give_history(db, small, consultant, "SMALL", times=1)
    give_history(db, participant, consultant, "MINE", times=4)
    with count_queries(app) as few:
        export_participant(db, small)
    with count_queries(app) as many:
        data = export_participant(db, participant)
    assert len(data["goal_plan"]["sub_goals"]) == 4 and len(data["messages"]) == 8
    assert len(few) == len(many)
    db.commit()
