"""Every table of Trædesten, in the domain's own words.

Danish terms, explained once:
- *deltager*: participant, a citizen in an employment programme (*forløb*).
- *fast konsulent*: the participant's one fixed consultant.
- *målskema*: the goal plan: job goal (*jobmål*), up to three job wishes (*jobønsker*) and the
  ordered small sub-goals (*delmål*).
- *skånehensyn*: accommodations the workplace must respect (e.g. no lifting, short days).
- *optrappingsplan*: step-up plan of weekly hours (e.g. 4 → 9 → 16 hours a week).
- *fremmøde*: attendance; *fravær*: absence.
- *gåtur / gå-møde*: a walk, or a meeting held as a walk.
- *efterværn*: aftercare after the participant starts a job.
- *virksomhedspraktik*: company placement; *lønnede timer*: paid hours.

Moments are stored in UTC and always come back timezone-aware (SQLite included); days that a
person means as a calendar day (a due date, an attendance day) are plain dates.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime, time

from flask_login import UserMixin
from sqlalchemy import JSON, Column, DateTime, Index, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment in UTC; SQLite keeps no offset, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _ts(nullable: bool = True, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Role(str, enum.Enum):
    participant = "participant"
    consultant = "consultant"
    admin = "admin"


class Phase(str, enum.Enum):
    """Phases of a programme (forløb)."""

    preparation = "preparation"  # forberedende forløb
    placement = "placement"  # virksomhedspraktik
    paid_hours = "paid_hours"  # lønnede timer
    job = "job"
    aftercare = "aftercare"  # efterværn
    ended = "ended"


class Outcome(str, enum.Enum):
    job = "job"
    flex_job = "flex_job"
    education = "education"
    sick_pay = "sick_pay"
    other_benefit = "other_benefit"
    other = "other"


class Responsible(str, enum.Enum):
    """Who does what for a sub-goal."""

    participant = "participant"
    consultant = "consultant"
    employer = "employer"
    case_worker = "case_worker"


class AbsenceReason(str, enum.Enum):
    ill = "ill"
    doctor = "doctor"  # doctor or treatment
    child_ill = "child_ill"
    other = "other"


class MeetingKind(str, enum.Enum):
    in_person = "in_person"
    phone = "phone"
    video = "video"
    walk = "walk"


class AttendanceStatus(str, enum.Enum):
    """How a day's attendance was recorded; a roll-call can mark someone late or absent."""

    present = "present"
    late = "late"
    absent = "absent"  # marked absent by staff (e.g. at a group roll-call), not reported ahead


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    timezone: str = Field(default="Europe/Copenhagen", max_length=64)
    # When aftercare check-ins fall due after a job start: "months:days" pairs, e.g. "0:7,1:0,3:0";
    # None keeps app.aftercare.service.DEFAULT_SCHEDULE.
    aftercare_schedule: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class User(UserMixin, SQLModel, table=True):
    """Anyone who signs in: a participant, a consultant or an admin.

    `login` is the e-mail for staff and a short user name for participants, who often have no
    e-mail they use; it is stored lower-cased.
    """

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    role: Role = Field(index=True)
    login: str = Field(max_length=254, unique=True)
    password_hash: str | None = Field(default=None, max_length=255)
    display_name: str = Field(max_length=80)  # the name the person chooses to be called
    full_name: str = Field(default="", max_length=200)
    locale: str | None = Field(default=None, max_length=10)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    last_seen_at: datetime | None = Field(default=None, sa_column=_ts())
    # A consultant's working hours, shown to participants outside them.
    work_days: str = Field(default="0,1,2,3,4", max_length=20)  # Monday = 0
    work_start: time = Field(default=time(8, 30))
    work_end: time = Field(default=time(15, 30))
    away_until: date | None = None  # a consultant on leave: participants are told when

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.consultant, Role.admin)

    @property
    def initials(self) -> str:
        parts = (self.full_name or self.display_name).split()
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    def get_id(self) -> str:
        # flask-login keeps the server-side session token, not the user id, in the cookie; the
        # session can then be revoked on the server (see auth.service.load_session).
        return getattr(self, "_session_token", "")


class ActivationCode(SQLModel, table=True):
    """One-time code a consultant hands a participant to set their password on their phone."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=_ts())


class LoginSession(SQLModel, table=True):
    """A signed-in device. Revocable on the server; the cookie holds only the token."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    last_seen_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=_ts())
    user_agent: str = Field(default="", max_length=300)


class LoginAttempt(SQLModel, table=True):
    """Failed sign-ins and activation tries, for rate limiting across all app servers."""

    __table_args__ = (Index("ix_loginattempt_key_at", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300)  # "login:<name>" or "ip:<address>"
    at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class Enrolment(SQLModel, table=True):
    """A participant's programme (forløb) with its fixed consultant and current phase."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="user.id", index=True)
    consultant_id: int = Field(foreign_key="user.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    phase: Phase = Field(default=Phase.preparation)
    started_on: date
    ended_on: date | None = None
    outcome: Outcome | None = None
    placement_started_on: date | None = None  # virksomhedspraktik
    paid_hours_started_on: date | None = None  # lønnede timer
    job_started_on: date | None = None  # the job start also starts aftercare
    aftercare_closed_on: date | None = None
    # During a change of consultant the previous one keeps access until handover_until.
    previous_consultant_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    handover_until: date | None = None


class PhaseChange(SQLModel, table=True):
    """History of an enrolment's phases, with the day each began."""

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    phase: Phase
    started_on: date
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")


class GoalPlan(SQLModel, table=True):
    """The målskema: job goal, job wishes and accommodations; sub-goals hang below it."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="user.id", unique=True)
    job_goal: str = Field(default="", max_length=300)
    job_wishes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    accommodations: str = Field(default="", max_length=2000)
    planned_weekdays: str = Field(default="0,1,2,3,4", max_length=20)  # Monday = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class StepUpStep(SQLModel, table=True):
    """One step of the optrappingsplan: from `starts_on` the target is `hours_per_week`."""

    __table_args__ = (UniqueConstraint("plan_id", "starts_on"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="goalplan.id", index=True)
    starts_on: date
    hours_per_week: float


class SubGoal(SQLModel, table=True):
    """A small sub-goal (delmål). `agreed` ones only the consultant can change."""

    __table_args__ = (Index("ix_subgoal_plan_position", "plan_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="goalplan.id")
    position: int = 0
    title: str = Field(max_length=200)
    responsible: Responsible = Field(default=Responsible.participant)
    due_on: date | None = None
    agreed: bool = False
    created_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=_ts())
    done_by_id: int | None = Field(default=None, foreign_key="user.id")


class ScaleReading(SQLModel, table=True):
    """The asymmetric alliance: "how able am I to reach it", 1–10, and the three prompts.

    The consultant's support share is the complement to 10; it is derived, not stored.
    """

    id: int | None = Field(default=None, primary_key=True)
    subgoal_id: int = Field(foreign_key="subgoal.id", index=True)
    recorded_by_id: int = Field(foreign_key="user.id")
    by_role: Role
    value: int = Field(ge=1, le=10)
    what_is_needed: str = Field(default="", max_length=500)
    what_i_can_do: str = Field(default="", max_length=500)
    help_needed: str = Field(default="", max_length=500)
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class Attendance(SQLModel, table=True):
    """A day's fremmøde: check-in and check-out, or hours reported for the day."""

    __table_args__ = (UniqueConstraint("participant_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="user.id")
    day: date
    checked_in_at: datetime | None = Field(default=None, sa_column=_ts())
    checked_out_at: datetime | None = Field(default=None, sa_column=_ts())
    minutes: int | None = None  # reported or computed at check-out
    status: AttendanceStatus = Field(default=AttendanceStatus.present)
    recorded_by_id: int = Field(foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class Absence(SQLModel, table=True):
    """Absence reported ahead of (or on) the day, with a reason."""

    __table_args__ = (Index("ix_absence_participant_day", "participant_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="user.id")
    day: date
    reason: AbsenceReason
    note: str = Field(default="", max_length=500)
    reported_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    reported_by_id: int = Field(foreign_key="user.id")


class Meeting(SQLModel, table=True):
    """A planned meeting with the consultant; a summary the participant can read follows."""

    __table_args__ = (Index("ix_meeting_participant_starts", "participant_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="user.id")
    consultant_id: int = Field(foreign_key="user.id")
    kind: MeetingKind = Field(default=MeetingKind.in_person)
    starts_at: datetime = Field(sa_column=_ts(nullable=False))
    place: str = Field(default="", max_length=200)
    # The milepælsmøde: a three-party meeting with the case worker after 8 weeks of placement.
    milestone: bool = False
    summary: str = Field(default="", max_length=4000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class Walk(SQLModel, table=True):
    """A walk or walk-meeting (gåtur / gå-møde) logged by the participant or consultant."""

    __table_args__ = (Index("ix_walk_participant_day", "participant_id", "walked_on"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="user.id")
    walked_on: date
    minutes: int
    distance_km: float | None = None
    with_consultant: bool = False
    agreed_note: str = Field(default="", max_length=1000)
    recorded_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class MessageThread(SQLModel, table=True):
    """The one thread between a participant and their fixed consultant."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="user.id", unique=True)
    last_message_at: datetime | None = Field(default=None, sa_column=_ts())
    # Set by the participant's first message the staff have not answered; cleared by a reply
    # or by "mark as handled". The inbox and "who needs me" sort on it.
    awaiting_reply_since: datetime | None = Field(default=None, sa_column=_ts(index=True))


class Message(SQLModel, table=True):
    """A message; `read_at` is when the other side first read it."""

    __table_args__ = (Index("ix_message_thread_id", "thread_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="messagethread.id")
    sender_id: int = Field(foreign_key="user.id")
    body: str = Field(max_length=4000)
    sent_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    read_at: datetime | None = Field(default=None, sa_column=_ts())
    # The writer's interface language when they wrote it (None before it was kept), so a
    # consultant knows the participant may have written in, and may read best, that language.
    language: str | None = Field(default=None, max_length=10)


class ClientWrite(SQLModel, table=True):
    """The client-made id of every write a phone sends, so a replay changes nothing twice."""

    client_id: uuid.UUID = Field(primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    object_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class AccessLog(SQLModel, table=True):
    """Who on the staff read or changed whose data, what, when and why.

    A citizen may ask for the dates and purposes of every look-up of their data.
    """

    __table_args__ = (Index("ix_accesslog_participant_at", "participant_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    actor_id: int = Field(foreign_key="user.id", index=True)
    participant_id: int = Field(foreign_key="user.id")
    action: str = Field(max_length=10)  # "read" or "change"
    what: str = Field(max_length=60)
    purpose: str = Field(max_length=200)


class ConsultantChange(SQLModel, table=True):
    """A change of fixed consultant; the old one keeps access until `overlap_until`.

    The current consultant stays on the enrolment; these rows are the history.
    """

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    from_consultant_id: int = Field(foreign_key="user.id")
    to_consultant_id: int = Field(foreign_key="user.id")
    changed_on: date
    overlap_until: date
    changed_by_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class DayOff(SQLModel, table=True):
    """A planned day off for one participant, or for the whole organisation (participant_id
    None): no attendance is expected that day."""

    __table_args__ = (Index("ix_dayoff_org_day", "organisation_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    participant_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    day: date
    note: str = Field(default="", max_length=200)
    created_by_id: int = Field(foreign_key="user.id")


class AttendanceCorrection(SQLModel, table=True):
    """A staff correction of an attendance day; keeps the original and who changed it."""

    id: int | None = Field(default=None, primary_key=True)
    attendance_id: int = Field(foreign_key="attendance.id", index=True)
    original_status: AttendanceStatus
    original_minutes: int | None = None
    new_status: AttendanceStatus
    new_minutes: int | None = None
    reason: str = Field(default="", max_length=500)
    changed_by_id: int = Field(foreign_key="user.id")
    changed_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class QuickPhrase(SQLModel, table=True):
    """A reply a consultant keeps to insert with one tap."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    text: str = Field(max_length=500)
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class Group(SQLModel, table=True):
    """A hold: participants in the preparation phase who meet as a group on set weekdays."""

    __tablename__ = "participant_group"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=120)
    leader_id: int = Field(foreign_key="user.id", index=True)
    weekdays: str = Field(default="0,1,2,3,4", max_length=20)  # Monday = 0
    starts_at: time = Field(default=time(9, 0))
    place: str = Field(default="", max_length=200)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class GroupMember(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("group_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="participant_group.id", index=True)
    participant_id: int = Field(foreign_key="user.id", index=True)
    joined_on: date
    left_on: date | None = None


class WorkplaceObservation(SQLModel, table=True):
    """What the consultant learned from the employer: the objective description the job centre
    asks for. Levels run 1–5 and are always shown with words (see observations.forms); None means
    not observed."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="user.id", index=True)
    observed_on: date
    employer_contact: str = Field(default="", max_length=200)
    understands_instructions: int | None = Field(default=None, ge=1, le=5)
    works_independently: int | None = Field(default=None, ge=1, le=5)
    works_with_others: int | None = Field(default=None, ge=1, le=5)
    breaks_count: int | None = None
    breaks_minutes: int | None = None  # all breaks together, per day
    pace: int | None = Field(default=None, ge=1, le=5)
    quality: int | None = Field(default=None, ge=1, le=5)
    wellbeing: int | None = Field(default=None, ge=1, le=5)
    pain_or_signs: str = Field(default="", max_length=1000)
    accommodations_kept: bool | None = None
    accommodations_note: str = Field(default="", max_length=1000)
    note: str = Field(default="", max_length=2000)
    recorded_by_id: int = Field(foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))


class AftercareCheckIn(SQLModel, table=True):
    """A check-in in aftercare (efterværn), due a set time after the job start; answered by the
    participant in the app or held by the consultant by phone or visit."""

    __table_args__ = (UniqueConstraint("enrolment_id", "sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(foreign_key="enrolment.id", index=True)
    participant_id: int = Field(foreign_key="user.id", index=True)
    sequence: int  # 1, 2, 3 … in the organisation's schedule
    due_on: date = Field(index=True)
    # When the answers were recorded: by the participant in the app, or by the consultant
    # (held_by_id, held_how "phone" or "visit") after a call or a visit.
    answered_at: datetime | None = Field(default=None, sa_column=_ts())
    held_by_id: int | None = Field(default=None, foreign_key="user.id")
    held_how: str = Field(default="", max_length=10)
    how_it_goes: int | None = Field(default=None, ge=1, le=5)  # shown with words, see forms
    hours_per_week: float | None = None
    what_is_hard: str = Field(default="", max_length=1000)
    wants_contact: bool | None = None
    note: str = Field(default="", max_length=2000)  # the consultant's, for a held check-in
    # A wish for contact stays at the top of "who needs me" until the consultant marks it done.
    contact_done_at: datetime | None = Field(default=None, sa_column=_ts())


class WeeklyCheckIn(SQLModel, table=True):
    """"How was your week?" in the preparation, placement and paid-hours phases: one answer per
    ISO week (Monday `week_of`); answering again the same week replaces the answer."""

    __table_args__ = (UniqueConstraint("participant_id", "week_of"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="user.id", index=True)
    week_of: date  # the Monday of the local ISO week
    how_it_went: int = Field(ge=1, le=5)
    wants_to_talk: bool = False
    answered_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    contact_done_at: datetime | None = Field(default=None, sa_column=_ts())


class PushSubscription(SQLModel, table=True):
    """One browser's Web Push subscription (a phone or a desktop) for a signed-in person."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    endpoint: str = Field(max_length=1000, unique=True)
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    last_success_at: datetime | None = Field(default=None, sa_column=_ts())


class PushNotice(SQLModel, table=True):
    """A push notification to one person, recorded before it is sent.

    `key` is unique (e.g. "meeting-tomorrow:<meeting id>:<day>"), so the same reminder is never
    made twice; `status` goes queued → sending → sent, back to queued when the push service
    was down or busy (tried again the same day), or failed; only the run that moves a row from
    queued to sending sends it.
    """

    __table_args__ = (Index("ix_pushnotice_status_send_after", "status", "send_after"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=40)
    url: str = Field(max_length=300)
    status: str = Field(default="queued", max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts(nullable=False))
    send_after: datetime = Field(sa_column=_ts(nullable=False))  # quiet hours push it to 08:00
    sent_at: datetime | None = Field(default=None, sa_column=_ts())
