"""Caseload services called directly: enrolling, replacing a code, days since last seen."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import func, select

from app.caseload import service
from app.models import (
    AccessLog,
    ActivationCode,
    GoalPlan,
    LoginSession,
    MessageThread,
    Phase,
    PhaseChange,
    User,
    utcnow,
)


def test_days_since_counts_copenhagen_calendar_days():
    assert service.days_since(None, date(2025, 1, 2)) is None
    # 23:30 UTC on 1 January is already 2 January in Copenhagen.
    late = datetime(2025, 1, 1, 23, 30, tzinfo=UTC)
    assert service.days_since(late, date(2025, 1, 2)) == 0
    assert service.days_since(late, date(2025, 1, 5)) == 3
    assert service.days_since(datetime(2025, 1, 9, tzinfo=UTC), date(2025, 1, 5)) == 0


def test_enrol_new_participant_creates_everything_in_one_go(app, db, consultant):
    with app.test_request_context(method="POST"):
        person, code, expires = service.enrol_new_participant(
            db, staff=consultant, display_name="  Zofia ", full_name="Zofia Eksempel",
            started_on=date(2025, 2, 3), phase=Phase.paid_hours)
    assert person.display_name == "Zofia" and person.password_hash is None
    assert len(code) == 9 and code[4] == "-"
    assert expires > utcnow()
    count = lambda model, column: db.exec(  # noqa: E731
        select(func.count()).select_from(model).where(column == person.id)).one()
    assert count(GoalPlan, GoalPlan.participant_id) == 1
    assert count(MessageThread, MessageThread.participant_id) == 1
    assert count(AccessLog, AccessLog.participant_id) == 1
    assert count(ActivationCode, ActivationCode.user_id) == 1
    assert db.exec(select(PhaseChange.phase)).all() == [Phase.paid_hours]
    db.commit()


def test_replace_activation_code_ends_old_code_sessions_and_password(app, db, consultant,
                                                                    participant):
    with app.test_request_context(method="POST"):
        db.add(LoginSession(token_hash="x" * 64, user_id=participant.id,
                            expires_at=datetime(2999, 1, 1, tzinfo=UTC)))
        db.commit()
        code, expires = service.replace_activation_code(db, staff=consultant,
                                                        participant=participant)
    codes = db.exec(select(ActivationCode).where(ActivationCode.user_id == participant.id)
                    .order_by(ActivationCode.id)).all()
    assert [c.used_at is None for c in codes] == [False, True]
    assert codes[-1].expires_at == expires and code.replace("-", "") not in codes[-1].code_hash
    assert db.get(User, participant.id).password_hash is None
    assert db.exec(select(LoginSession.revoked_at)).one() is not None
    db.commit()


def test_login_names_are_plain_ascii():
    assert service.login_name_for("Søren").startswith("soren-")
    assert service.login_name_for("محمد").startswith("deltager-")
