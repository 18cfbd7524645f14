"""Group day routes: create a group, members, and the roll-call in a few taps."""

import uuid
from datetime import time, timedelta

import pytest
from sqlmodel import select

from app.groups import service
from app.models import (
    Absence,
    AbsenceReason,
    AccessLog,
    Attendance,
    AttendanceStatus,
    Group,
    GroupMember,
    utcnow,
)
from app.timeutil import local_today
from tests.conftest import cid, htmx_headers, rows, sign_in, text


def group_data(**overrides) -> dict:
    data = {"client_id": cid(), "name": "Mandagsholdet", "weekdays": ["0", "2"],
            "starts_at": "09:30", "place": "Værkstedet, lokale 2"}
    return {**data, **overrides}


@pytest.fixture
def group(db, consultant) -> Group:
    return service.create_group(db, leader=consultant, name="Holdet", weekdays=[0, 1, 2, 3, 4],
                                starts_at=time(9), place="Lokale 2", client_id=uuid.uuid4())


@pytest.fixture
def member(db, group, participant):
    service.add_member(db, group=group, participant=participant, today=local_today())
    return participant


def test_create_group(staff, db, consultant):
    response = staff.post("/groups/new", data=group_data())
    assert response.status_code == 303
    [group] = rows(db, Group)
    assert response.headers["Location"].endswith(f"/groups/{group.id}")
    assert (group.name, group.weekdays, group.starts_at, group.leader_id) == (
        "Mandagsholdet", "0,2", time(9, 30), consultant.id)
    page = text(staff.get(f"/groups/{group.id}"))
    assert "Monday and Wednesday at 9:30" in page and "Værkstedet, lokale 2" in page


def test_create_group_twice_with_the_same_client_id_makes_one(staff, db):
    data = group_data()
    first = staff.post("/groups/new", data=data)
    second = staff.post("/groups/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(rows(db, Group)) == 1


def test_create_group_bad_input_keeps_the_rest(staff, db):
    response = staff.post("/groups/new", data=group_data(name="", weekdays=[]))
    assert response.status_code == 422
    page = text(response)
    assert "Write a name for the group." in page and "Choose at least one day." in page
    assert 'value="Værkstedet, lokale 2"' in page and 'value="09:30"' in page
    assert rows(db, Group) == []


def test_list_shows_only_my_groups(staff, db, group, other_consultant):
    db.add(Group(organisation_id=other_consultant.organisation_id, name="Andres hold",
                 leader_id=other_consultant.id))
    db.commit()
    page = text(staff.get("/groups/"))
    assert "Holdet" in page and "Andres hold" not in page
    assert 'aria-current="page">Groups' in page


def test_edit_group(staff, db, group):
    assert "Holdet" in text(staff.get(f"/groups/{group.id}/edit"))
    response = staff.post(f"/groups/{group.id}", data=group_data(name="Nyt navn", weekdays=["4"]))
    assert response.status_code == 303
    [saved] = rows(db, Group)
    assert (saved.name, saved.weekdays) == ("Nyt navn", "4")
    bad = staff.post(f"/groups/{group.id}", data=group_data(starts_at="25:00"))
    assert bad.status_code == 422 and 'value="Mandagsholdet"' in text(bad)


def test_end_group(staff, db, group):
    group_id = group.id
    response = staff.post(f"/groups/{group_id}/end")
    assert response.status_code == 303 and response.headers["Location"].endswith("/groups/")
    assert rows(db, select(Group.active)) == [False]
    page = text(staff.get("/groups/"))
    assert "The group Holdet has ended." in page and f'href="/groups/{group_id}"' not in page
    assert staff.get(f"/groups/{group_id}/roll-call").status_code == 404


def test_add_and_remove_a_member(staff, db, group, participant):
    # Paths first: `rows` expires the fixtures, and reading an id again would begin the test
    # session's transaction (and its snapshot) before the request writes.
    page_path = f"/groups/{group.id}"
    remove_path = f"{page_path}/members/{participant.id}/remove"
    page = text(staff.get(page_path))
    assert f'<option value="{participant.id}">Sara</option>' in page
    response = staff.post(f"/groups/{group.id}/members", data={"participant_id": participant.id})
    assert response.status_code == 303
    staff.post(f"/groups/{group.id}/members", data={"participant_id": participant.id})
    assert rows(db, select(GroupMember.left_on)) == [None]
    assert staff.post(remove_path).status_code == 303
    assert rows(db, select(GroupMember.left_on)) == [local_today()]
    changes = rows(db, select(AccessLog).where(AccessLog.action == "change"))
    assert [(c.what, c.participant_id) for c in changes] == [("groups", participant.id)] * 3


def test_add_member_bad_input_is_422(staff, db, group, participant):
    response = staff.post(f"/groups/{group.id}/members", data={"participant_id": ""})
    assert response.status_code == 422 and "Choose a participant." in text(response)


def test_add_an_id_beyond_the_database_is_not_found(staff, db, group):
    response = staff.post(f"/groups/{group.id}/members",
                          data={"participant_id": "99999999999999999999"})
    assert response.status_code == 404


def test_add_someone_outside_the_caseload_is_not_found(staff, db, group, other_participant):
    response = staff.post(f"/groups/{group.id}/members",
                          data={"participant_id": other_participant.id})
    assert response.status_code == 404
    assert rows(db, GroupMember) == []
    assert other_participant.display_name not in text(staff.get(f"/groups/{group.id}"))


def test_roll_call_shows_members_and_reported_absence(staff, db, group, member, consultant):
    db.add(Absence(participant_id=member.id, day=local_today(), reason=AbsenceReason.doctor,
                   note="Tandlæge kl. 10", reported_by_id=member.id))
    db.commit()
    page = text(staff.get(f"/groups/{group.id}/roll-call"))
    assert "Sara" in page and "Reported away: Doctor or treatment" in page
    assert "Tandlæge kl. 10" in page
    assert page.count('aria-pressed="false"') == 3
    reads = rows(db, select(AccessLog).where(AccessLog.action == "read"))
    assert [(r.what, r.participant_id, r.actor_id) for r in reads] == [
        ("attendance", member.id, consultant.id)]


def test_roll_call_tap_htmx_swaps_the_row(staff, db, group, member):
    response = staff.post(f"/groups/{group.id}/roll-call/{member.id}",
                          data={"client_id": cid(), "status": "late"}, headers=htmx_headers())
    assert response.status_code == 200
    row = text(response)
    assert "<html" not in row and row.lstrip().startswith(f'<li id="roll-{member.id}"')
    assert row.count('aria-pressed="true"') == 1
    assert 'aria-pressed="true">' in row.split("Late")[0].rsplit("<button", 1)[1]
    [attendance] = rows(db, Attendance)
    assert attendance.status == AttendanceStatus.late
    [log] = rows(db, select(AccessLog).where(AccessLog.action == "change"))
    assert (log.what, log.participant_id) == ("attendance", member.id)


def test_roll_call_plain_form_redirects(staff, db, group, member):
    response = staff.post(f"/groups/{group.id}/roll-call/{member.id}",
                          data={"client_id": cid(), "status": "absent"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/groups/{group.id}/roll-call#roll-{member.id}")
    [attendance] = rows(db, Attendance)
    assert attendance.status == AttendanceStatus.absent


def test_roll_call_keeps_the_participants_check_in(staff, db, group, member):
    came = utcnow() - timedelta(minutes=20)
    db.add(Attendance(participant_id=member.id, day=local_today(), checked_in_at=came,
                      recorded_by_id=member.id))
    db.commit()
    staff.post(f"/groups/{group.id}/roll-call/{member.id}",
               data={"client_id": cid(), "status": "late"})
    [attendance] = rows(db, Attendance)
    assert (attendance.status, attendance.checked_in_at) == (AttendanceStatus.late, came)
    assert "Checked in at" in text(staff.get(f"/groups/{group.id}/roll-call"))


def test_roll_call_tap_twice_with_the_same_client_id_writes_once(staff, db, group, member):
    data = {"client_id": cid(), "status": "present"}
    for _ in range(2):
        assert staff.post(f"/groups/{group.id}/roll-call/{member.id}", data=data,
                          headers=htmx_headers()).status_code == 200
    assert len(rows(db, Attendance)) == 1


@pytest.mark.parametrize("data", [{"status": "present"}, {"client_id": cid(), "status": "ill"}])
def test_roll_call_bad_tap_is_a_bad_request(staff, db, group, member, data):
    response = staff.post(f"/groups/{group.id}/roll-call/{member.id}", data=data)
    assert response.status_code == 400
    assert rows(db, Attendance) == []


def test_roll_call_for_a_non_member_is_not_found(staff, db, group, participant):
    response = staff.post(f"/groups/{group.id}/roll-call/{participant.id}",
                          data={"client_id": cid(), "status": "present"})
    assert response.status_code == 404 and rows(db, Attendance) == []


def test_another_consultants_group_is_not_found(app, csrf_off, db, group, member,
                                                other_consultant):
    client = sign_in(app.test_client(), other_consultant)
    for path in (f"/groups/{group.id}", f"/groups/{group.id}/roll-call",
                 f"/groups/{group.id}/edit"):
        assert client.get(path).status_code == 404, path
    response = client.post(f"/groups/{group.id}/roll-call/{member.id}",
                           data={"client_id": cid(), "status": "absent"})
    assert response.status_code == 404 and rows(db, Attendance) == []


def test_participants_are_refused(me, group):
    for path in ("/groups/", "/groups/new", f"/groups/{group.id}/roll-call"):
        assert me.get(path).status_code == 403, path


def test_signed_out_goes_to_login(app, group):
    response = app.test_client().get(f"/groups/{group.id}/roll-call")
    assert response.status_code == 303 and "/auth/login" in response.headers["Location"]


def test_participant_page_links_observations_and_nav_links_groups(staff, participant):
    page = text(staff.get(f"/caseload/{participant.id}"))
    assert f"/observations/for/{participant.id}" in page and 'href="/groups/"' in page


def test_the_attendance_week_shows_what_the_roll_call_set(staff, db, group, member):
    staff.post(f"/groups/{group.id}/roll-call/{member.id}",
               data={"client_id": cid(), "status": "late"})
    page = text(staff.get(f"/attendance/for/{member.id}"))
    assert '<span class="tag">Late</span>' in page


def test_the_roll_call_costs_the_same_number_of_queries_for_any_group(
        app, staff, db, group, make_participant):
    from tests.test_caseload_views import count_queries

    def queries() -> int:
        with count_queries(app) as statements:
            assert staff.get(f"/groups/{group.id}/roll-call").status_code == 200
        return len(statements)

    service.add_member(db, group=group, participant=make_participant("Ada"), today=local_today())
    few = queries()
    for name in ("Bo", "Cem", "Dana", "Eli"):
        service.add_member(db, group=group, participant=make_participant(name),
                           today=local_today())
    assert queries() == few
    assert len(rows(db, AccessLog)) == 1 + 5  # every member's read is still logged
