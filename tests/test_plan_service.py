"""Domain rules of the målskema, called directly."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from app.models import Attendance, Responsible, StepUpStep, SubGoal, utcnow
from app.plan import service
from tests.test_plan_factories import add_step, add_subgoal, count, fresh


def _sg(position: int, sid: int, done: bool = False) -> SubGoal:
    return SubGoal(id=sid, plan_id=1, position=position, title=f"#{sid}", created_by_id=1,
                   done_at=utcnow() if done else None)


def test_next_subgoal_is_first_not_done_by_position():
    subgoals = [_sg(2, 1), _sg(0, 2, done=True), _sg(1, 3), _sg(1, 4)]
    assert service.next_subgoal(subgoals).id == 3  # position 1; ties go to the older id
    assert service.next_subgoal([_sg(0, 1, done=True)]) is None
    assert service.next_subgoal([]) is None


@pytest.mark.parametrize(("value", "share"), [(1, 9), (6, 4), (10, 0)])
def test_support_share_is_the_complement_to_ten(value, share):
    assert service.support_share(value) == share


@pytest.mark.parametrize("value", [0, 11, -3])
def test_support_share_refuses_values_off_the_scale(value):
    with pytest.raises(ValueError):
        service.support_share(value)


def test_can_undo_boundaries():
    done_at = datetime(2025, 3, 3, 9, 0, tzinfo=utcnow().tzinfo)
    subgoal = SubGoal(plan_id=1, title="x", created_by_id=1, done_at=done_at)
    assert service.can_undo(subgoal, done_at)
    assert service.can_undo(subgoal, done_at + timedelta(minutes=10))
    assert not service.can_undo(subgoal, done_at + timedelta(minutes=10, microseconds=1))
    assert not service.can_undo(SubGoal(plan_id=1, title="x", created_by_id=1), done_at)


def test_participant_may_edit_only_own_not_agreed(participant, consultant):
    own = SubGoal(plan_id=1, title="x", created_by_id=participant.id)
    assert service.participant_may_edit(own, participant)
    own.agreed = True
    assert not service.participant_may_edit(own, participant)
    by_staff = SubGoal(plan_id=1, title="x", created_by_id=consultant.id)
    assert not service.participant_may_edit(by_staff, participant)


def test_minutes_logged_count_monday_to_sunday_only(db, participant, other_participant):
    # Week of Wednesday 5 March 2025: Monday 3 March to Sunday 9 March.
    for day, minutes in [(date(2025, 3, 2), 600), (date(2025, 3, 3), 120),
                         (date(2025, 3, 5), None), (date(2025, 3, 9), 270),
                         (date(2025, 3, 10), 600)]:
        db.add(Attendance(participant_id=participant.id, day=day, minutes=minutes,
                          recorded_by_id=participant.id))
    db.add(Attendance(participant_id=other_participant.id, day=date(2025, 3, 4), minutes=60,
                      recorded_by_id=other_participant.id))
    db.commit()
    for day in (date(2025, 3, 3), date(2025, 3, 5), date(2025, 3, 9)):
        assert service.minutes_logged_in_week(db, participant.id, day) == 390
    assert service.minutes_logged_in_week(db, participant.id, date(2025, 3, 12)) == 600
    assert service.minutes_logged_in_week(db, participant.id, date(2025, 4, 1)) == 0


@pytest.mark.parametrize(("hours", "text"),
                         [(6.5, "6½"), (9, "9"), (0.5, "½"), (0, "0"), (6.25, "6½"), (6.2, "6")])
def test_hours_text_rounds_to_half_hours(app, hours, text):
    with app.test_request_context():
        assert service.hours_text(hours) == text


def test_overview_orders_and_splits_subgoals(app, db, participant):
    done = add_subgoal(db, participant, "Done one", position=0, done_at=utcnow())
    second = add_subgoal(db, participant, "Second", position=2)
    first = add_subgoal(db, participant, "First", position=1)
    add_step(db, participant, date(2025, 1, 6), 4)
    add_step(db, participant, date(2025, 3, 3), 9)
    with app.test_request_context():
        view = service.overview(db, participant_id=participant.id, today=date(2025, 3, 5),
                                with_steps=True)
    assert view.next.id == first.id
    assert [s.id for s in view.later] == [second.id]
    assert [s.id for s in view.done] == [done.id]
    assert view.target_hours == 9
    assert [s.hours_per_week for s in view.steps] == [4, 9]


def _three(db, participant):
    return [add_subgoal(db, participant, name) for name in ("A", "B", "C")]


def _titles(db, participant) -> list[str]:
    db.expire_all()
    view = service.overview(db, participant_id=participant.id, today=date.today())
    return [s.title for s in view.subgoals]


def test_move_swaps_neighbours_and_ends_stay_put(app, db, participant):
    a, b, c = _three(db, participant)
    with app.test_request_context(method="POST"):
        service.move_subgoal(db, participant_id=participant.id, subgoal_id=a.id, up=True)
        assert _titles(db, participant) == ["A", "B", "C"]
        service.move_subgoal(db, participant_id=participant.id, subgoal_id=c.id, up=False)
        assert _titles(db, participant) == ["A", "B", "C"]
        service.move_subgoal(db, participant_id=participant.id, subgoal_id=c.id, up=True)
        assert _titles(db, participant) == ["A", "C", "B"]
        service.move_subgoal(db, participant_id=participant.id, subgoal_id=a.id, up=False)
        assert _titles(db, participant) == ["C", "A", "B"]


def test_move_refuses_another_participants_subgoal(app, db, participant, other_participant):
    theirs = add_subgoal(db, other_participant)
    with app.test_request_context(method="POST"), pytest.raises(NotFound):
        service.move_subgoal(db, participant_id=participant.id, subgoal_id=theirs.id, up=True)


def test_mark_done_records_who_and_refuses_others_work(app, db, participant):
    mine = add_subgoal(db, participant)
    theirs = add_subgoal(db, participant, responsible=Responsible.consultant)
    with app.test_request_context(method="POST"):
        service.mark_done(db, participant=participant, subgoal_id=mine.id,
                          client_id=uuid.uuid4())
        with pytest.raises(Forbidden):
            service.mark_done(db, participant=participant, subgoal_id=theirs.id,
                              client_id=uuid.uuid4())
    mine = fresh(db, mine)
    assert mine.done_at is not None and mine.done_by_id == participant.id
    assert fresh(db, theirs).done_at is None


def test_undo_too_late_changes_nothing(app, db, participant):
    ticked_at = utcnow() - timedelta(minutes=11)
    subgoal = add_subgoal(db, participant, done_at=ticked_at)
    with app.test_request_context(method="POST"), pytest.raises(service.UndoTooLate):
        service.undo_done(db, participant=participant, subgoal_id=subgoal.id,
                          client_id=uuid.uuid4())
    assert fresh(db, subgoal).done_at == ticked_at


def test_add_step_refuses_a_second_step_the_same_day(app, db, participant):
    add_step(db, participant, date(2025, 3, 3), 9)
    with app.test_request_context(method="POST"), pytest.raises(service.StepDateTaken):
        service.add_step(db, participant_id=participant.id, starts_on=date(2025, 3, 3),
                         hours_per_week=12)
    assert count(db, StepUpStep) == 1
