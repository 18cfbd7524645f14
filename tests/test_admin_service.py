"""The admin's domain functions: change of consultant with overlap, deactivation, the log."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from app.access import in_caseload_of
from app.admin import service
from app.caseload.service import caseload, enrolment_of
from app.models import AccessLog, ConsultantChange, Enrolment, Role

TODAY = date(2026, 3, 2)


@pytest.fixture
def admin(make_staff):
    return make_staff(Role.admin, email="admin@example.org", name="Anne Admin")


def _in_caseload(db, consultant, participant, today):
    return db.exec(select(Enrolment.id).where(Enrolment.participant_id == participant.id,
                                              in_caseload_of(consultant, today))).first()


def test_a_change_keeps_both_during_the_overlap_and_then_only_the_new(
        db, admin, consultant, other_consultant, participant):
    assert service.change_consultant(db, admin=admin, participant=participant,
                                     to_consultant_id=other_consultant.id, overlap_days=14,
                                     today=TODAY)
    enrolment = enrolment_of(db, participant.id)
    assert (enrolment.consultant_id, enrolment.previous_consultant_id,
            enrolment.handover_until) == (other_consultant.id, consultant.id, date(2026, 3, 16))
    for day in (TODAY, date(2026, 3, 16)):
        assert _in_caseload(db, consultant, participant, day)
        assert _in_caseload(db, other_consultant, participant, day)
    assert not _in_caseload(db, consultant, participant, date(2026, 3, 17))
    assert _in_caseload(db, other_consultant, participant, date(2026, 3, 17))
    [change] = db.exec(select(ConsultantChange)).all()
    assert (change.from_consultant_id, change.to_consultant_id, change.changed_by_id,
            change.changed_on, change.overlap_until) == (
        consultant.id, other_consultant.id, admin.id, TODAY, date(2026, 3, 16))


def test_history_is_kept_over_several_changes(db, admin, consultant, other_consultant,
                                              participant):
    for to, day in ((other_consultant, TODAY), (consultant, TODAY + timedelta(days=30))):
        service.change_consultant(db, admin=admin, participant=participant,
                                  to_consultant_id=to.id, overlap_days=7, today=day)
    changes = db.exec(select(ConsultantChange).order_by(ConsultantChange.id)).all()
    assert [(c.from_consultant_id, c.to_consultant_id) for c in changes] == [
        (consultant.id, other_consultant.id), (other_consultant.id, consultant.id)]


def test_the_same_consultant_again_changes_nothing(db, admin, consultant, participant):
    assert not service.change_consultant(db, admin=admin, participant=participant,
                                         to_consultant_id=consultant.id, overlap_days=14,
                                         today=TODAY)
    assert db.exec(select(ConsultantChange)).all() == []


def test_only_an_active_consultant_of_the_organisation(db, admin, other_consultant, participant,
                                                       make_staff):
    other_consultant.active = False
    db.commit()
    for target in (other_consultant.id, admin.id, participant.id, 9999):
        with pytest.raises(service.NotAConsultant):
            service.change_consultant(db, admin=admin, participant=participant,
                                      to_consultant_id=target, overlap_days=14, today=TODAY)


def test_a_consultant_with_participants_is_not_deactivated(app, db, consultant, participant):
    with app.test_request_context(), pytest.raises(service.StillHasParticipants) as refused:
        service.set_active(db, consultant=consultant, active=False)
    assert refused.value.count == 1
    assert consultant.active


def test_consultants_are_counted_and_listed(db, consultant, other_consultant, participant,
                                            admin):
    listed = service.consultants(db, consultant.organisation_id)
    assert [(c.id, n) for c, n in listed] == [(other_consultant.id, 0), (consultant.id, 1)]


def test_every_participant_with_their_consultant(db, consultant, other_consultant, participant,
                                                 other_participant):
    found = service.participants(db, consultant.organisation_id)
    assert [(p.id, c.id) for p, _e, c in found] == [(other_participant.id, other_consultant.id),
                                                    (participant.id, consultant.id)]
    # The admin's list is everyone; a consultant's caseload stays theirs.
    assert [p.id for p, *_rest in caseload(db, consultant)] == [participant.id]


def _log(db, actor, participant, at):
    db.add(AccessLog(actor_id=actor.id, participant_id=participant.id, action="read",
                     what="plan", purpose="casework", at=at))


def test_the_access_log_filters_and_pages(db, consultant, other_consultant, participant,
                                          other_participant):
    base = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for hour in range(5):
        _log(db, consultant, participant, base + timedelta(hours=hour))
    _log(db, other_consultant, other_participant, base + timedelta(days=1))
    db.commit()
    org = consultant.organisation_id
    everything = service.access_log(db, organisation_id=org)
    assert len(everything.entries) == 6 and everything.next_before is None
    first = service.access_log(db, organisation_id=org, limit=4)
    second = service.access_log(db, organisation_id=org, limit=4, before=first.next_before)
    ids = [e.entry.id for e in first.entries + second.entries]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 6
    assert second.next_before is None
    by_staff = service.access_log(db, organisation_id=org, actor_id=other_consultant.id)
    assert [e.participant_name for e in by_staff.entries] == ["Ahmad"]
    by_person = service.access_log(db, organisation_id=org, participant_id=participant.id)
    assert {e.staff_name for e in by_person.entries} == {"Mette Fiktiv"}
    by_day = service.access_log(db, organisation_id=org, since=date(2026, 3, 3),
                                until=date(2026, 3, 3))
    assert [e.participant_name for e in by_day.entries] == ["Ahmad"]
    assert service.access_log(db, organisation_id=org + 1).entries == []
