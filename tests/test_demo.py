"""The fictional demo data: loads once, looks alive, and its printed logins work."""

from __future__ import annotations

from collections import Counter

from sqlmodel import func, select

from app.demo import DEMO_ORGANISATION, load_demo
from app.models import (
    Absence,
    AftercareCheckIn,
    Attendance,
    Enrolment,
    GoalPlan,
    Group,
    GroupMember,
    Meeting,
    Message,
    MessageThread,
    Organisation,
    Phase,
    Role,
    StepUpStep,
    SubGoal,
    User,
    WeeklyCheckIn,
    WorkplaceObservation,
    utcnow,
)
from app.timeutil import local_today


def _count(db, model) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def load(app, db) -> list[tuple[str, str, str]]:
    with app.app_context():  # as the CLI provides: password hashing reads the app's config
        return load_demo(db)


def test_demo_loads_once_and_the_logins_sign_in(app, db):
    first = load(app, db)
    counts = {model: _count(db, model) for model in (User, Enrolment, MessageThread, Message,
                                                     SubGoal, Attendance, Meeting)}
    second = load(app, db)
    assert second == first
    assert counts == {model: _count(db, model) for model in counts}
    assert _count(db, Organisation) == 1
    assert db.exec(select(Organisation.name)).one() == DEMO_ORGANISATION
    roles = Counter(role for role, _login, _password in first)
    assert roles == {"admin": 1, "consultant": 2, "participant": 8}
    assert db.exec(select(func.count(User.id)).where(User.role == Role.participant)).one() == 8
    assert all(login.endswith("@example.org") for role, login, _ in first if role != "participant")
    db.commit()

    _role, login, password = next(row for row in first if row[0] == "participant")
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/auth/login", data={"login": login, "password": password,
                                                "csrf_token": token})
    assert response.status_code == 303
    assert client.get("/me/").status_code == 200
    _role, email, password = next(row for row in first if row[0] == "consultant")
    staff = app.test_client()
    token = staff.get("/auth/login").get_data(as_text=True).split(
        'name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert staff.post("/auth/login", data={"login": email, "password": password,
                                           "csrf_token": token}).status_code == 303
    assert "Amina" in staff.get("/caseload/").get_data(as_text=True)


def test_demo_history_is_varied_and_consistent(app, db):
    load(app, db)
    today = local_today()
    threads = db.exec(select(MessageThread.participant_id)).all()
    participants = db.exec(select(User).where(User.role == Role.participant)).all()
    assert sorted(threads) == sorted(p.id for p in participants)  # one thread each
    phases = {e.phase for e in db.exec(select(Enrolment)).all()}
    assert {Phase.preparation, Phase.placement, Phase.paid_hours, Phase.job, Phase.aftercare,
            Phase.ended} <= phases
    ended = db.exec(select(Enrolment).where(Enrolment.phase == Phase.ended)).one()
    assert ended.ended_on is not None and ended.outcome is not None
    per_plan = Counter(db.exec(select(SubGoal.plan_id)).all())
    assert len(per_plan) == 8 and all(4 <= n <= 7 for n in per_plan.values())
    goals = db.exec(select(SubGoal)).all()
    assert any(g.done_at for g in goals) and any(g.agreed for g in goals)
    assert any(g.due_on and g.due_on < today and not g.done_at for g in goals)  # overdue
    assert any(g.due_on and g.due_on >= today and not g.done_at for g in goals)
    assert _count(db, StepUpStep) >= 16
    assert all(p.job_goal and p.job_wishes for p in db.exec(select(GoalPlan)).all())
    assert _count(db, Absence) > 0 and _count(db, Attendance) > 50
    assert db.exec(select(func.max(Attendance.day))).one() < today
    meetings = db.exec(select(Meeting)).all()
    assert any(m.starts_at > utcnow() for m in meetings)
    assert any(m.summary and m.starts_at < utcnow() for m in meetings)
    messages = db.exec(select(Message)).all()
    assert any(m.read_at is None for m in messages) and any(m.read_at for m in messages)
    # A thread awaits a reply exactly when its last message is the participant's.
    last = {}
    for message in sorted(messages, key=lambda m: m.sent_at):
        last[message.thread_id] = message
    for thread in db.exec(select(MessageThread)).all():
        from_participant = thread.id in last and last[thread.id].sender_id == thread.participant_id
        assert (thread.awaiting_reply_since is not None) == from_participant
    assert any(thread.awaiting_reply_since for thread in db.exec(select(MessageThread)).all())
    seen = [p.last_seen_at for p in participants]
    assert None in seen and len({s.date() for s in seen if s}) >= 4
    consultants = db.exec(select(User).where(User.role == Role.consultant)).all()
    assert {c.work_days for c in consultants} == {"0,1,2,3", "0,1,2,3,4"}
    # Aftercare: one check-in due now, one answer asking for contact; weekly answers.
    check_ins = db.exec(select(AftercareCheckIn)).all()
    assert any(c.answered_at is None and c.due_on < today for c in check_ins)
    assert any(c.wants_contact and c.contact_done_at is None for c in check_ins)
    weeks = db.exec(select(WeeklyCheckIn)).all()
    assert len(weeks) >= 8 and all(w.answered_at <= utcnow() for w in weeks)
    db.commit()


def test_demo_shows_a_group_an_observation_and_programme_dates(app, db):
    load(app, db)
    db.commit()
    [group] = db.exec(select(Group)).all()
    members = db.exec(select(User.display_name).join(GroupMember,
                      GroupMember.participant_id == User.id)).all()
    assert sorted(members) == ["Amina", "Camilla"]
    [observation] = db.exec(select(WorkplaceObservation)).all()
    assert observation.recorded_by_id == group.leader_id
    placements = db.exec(select(Enrolment).where(Enrolment.phase == Phase.placement)).all()
    assert placements and all(e.placement_started_on for e in placements)
