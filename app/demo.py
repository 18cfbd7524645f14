"""Fictional demo data: one workshop, two consultants, eight participants with ten weeks of history.

Every person here is made up (example.org e-mails, invented surnames). Dates are relative to
today and the random choices use a fixed seed, so the demo looks alive on any day. Loading twice
adds nothing: if the demo organisation exists, only the logins are returned.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from app.aftercare.service import DEFAULT_SCHEDULE, WEEKLY_PHASES, aftercare_due
from app.auth.service import hash_password
from app.caseload.service import add_participant, enrolment_of
from app.models import (
    Absence,
    AbsenceReason,
    AccessLog,
    AftercareCheckIn,
    Attendance,
    Enrolment,
    GoalPlan,
    Group,
    GroupMember,
    Meeting,
    MeetingKind,
    Message,
    MessageThread,
    Organisation,
    Outcome,
    Phase,
    PhaseChange,
    Responsible,
    Role,
    ScaleReading,
    StepUpStep,
    SubGoal,
    User,
    Walk,
    WeeklyCheckIn,
    WorkplaceObservation,
    utcnow,
)
from app.timeutil import LOCAL_TZ, local_today, week_of

DEMO_ORGANISATION = "Trædesten Demo Værksted"
SEED = 20240917
HISTORY_DAYS = 70  # attendance is generated for about the last ten weeks
P, C, E, W = (Responsible.participant, Responsible.consultant, Responsible.employer,
              Responsible.case_worker)

STAFF = [  # role, e-mail, full name, work days, start, end
    (Role.admin, "demo.admin@example.org", "Anne Admin Demosen", "0,1,2,3,4", 8, 16),
    (Role.consultant, "lise.demo@example.org", "Lise Eksempel-Holm", "0,1,2,3", 8, 15),
    (Role.consultant, "karim.demo@example.org", "Karim Prøve-Nielsen", "0,1,2,3,4", 9, 16),
]


@dataclass(frozen=True)
class Person:
    name: str
    full_name: str
    consultant: int  # 0 or 1
    phases: tuple[tuple[Phase, int], ...]  # (phase, weeks ago it began), oldest first
    seen_days_ago: int | None  # None: never opened the app
    job_goal: str
    wishes: tuple[str, ...]
    accommodations: str
    subgoals: tuple[tuple[str, Responsible], ...]
    done: int  # how many sub-goals are done
    steps: tuple[tuple[int, float], ...]  # (weeks after start, hours a week)
    messages: tuple[tuple[str, str, int], ...]  # ("p"|"c", text, days ago)
    unread: bool = False  # the last message is not read yet
    overdue: bool = False  # the next sub-goal is past its due day
    absent_now: bool = False  # reported ill on the last two weekdays
    meeting_gap: bool = False  # no 1:1 conversation in the last 14 days
    outcome: Outcome | None = None


PEOPLE = [
    Person("Amina", "Amina Eksempelsen", 0, ((Phase.preparation, 3),), 0,
           "Arbejde i et køkken", ("Køkkenmedhjælper", "Kantine", "Bageri"),
           "Korte dage i starten. Pauser efter behov.",
           (("Møde op to dage om ugen", P), ("Lave et CV sammen", C),
            ("Tage bussen alene til værkstedet", P), ("Prøve en dag i værkstedets køkken", P),
            ("Besøge en kantine", C)),
           1, ((0, 4), (4, 9)),
           (("c", "Hej Amina. Velkommen til Trædesten. Skriv her, hvis du har spørgsmål.", 20),
            ("p", "Tak. Jeg kommer på tirsdag.", 19), ("c", "Godt. Vi ses kl. 9.", 19))),
    Person("Bo", "Bo Prøvesen", 1, ((Phase.preparation, 9),), None,
           "Lager eller pakkeri", ("Lagermedarbejder", "Pakkeri"),
           "Skal kunne sidde ned. Ingen tunge løft over 10 kg.",
           (("Komme til samtale hver anden uge", P), ("Gå en tur tre gange om ugen", P),
            ("Tale med lægen om søvn", P), ("Afklare økonomi med sagsbehandler", W),
            ("Prøve værkstedets træværksted", P)),
           2, ((0, 4), (5, 9)),
           (("c", "Hej Bo. Husk vores møde på torsdag kl. 10.", 6),
            ("c", "Hej Bo. Jeg har ikke hørt fra dig. Ring, hvis det passer dig bedre.", 2)),
           unread=True, overdue=True),
    Person("Camilla", "Camilla Demosen", 0, ((Phase.preparation, 10), (Phase.placement, 6)), 1,
           "Butiksassistent", ("Butik", "Blomsterhandel", "Genbrugsbutik"),
           "Må gå en pause, hvis der er mange kunder.",
           (("Møde op tre dage om ugen", P), ("Finde en praktikplads", C),
            ("Aftale arbejdstider med butikken", E), ("Betjene kassen med en kollega", P),
            ("Milepælsmøde med sagsbehandler", W), ("Betjene kassen alene en time", P)),
           3, ((0, 4), (3, 9), (6, 16)),
           (("p", "Hej Lise. Det gik godt i butikken i dag.", 3),
            ("c", "Hvor dejligt! Hvad var det bedste?", 3),
            ("p", "At jeg hjalp en kunde helt selv.", 2))),
    Person("Dariusz", "Dariusz Fiktivsen", 1, ((Phase.preparation, 8), (Phase.placement, 3)), 0,
           "Arbejde med cykler", ("Cykelmekaniker", "Værksted"),
           "Ryggen: skifte mellem at stå og sidde.",
           (("Lære værkstedets regler", P), ("Finde praktik på et cykelværksted", C),
            ("Møde kl. 8 fire dage om ugen", P), ("Lappe en slange uden hjælp", P),
            ("Samtale med mester om lønnede timer", E)),
           2, ((0, 4), (3, 9), (6, 16)),
           (("c", "Hej Dariusz. Hvordan går det i praktikken?", 8),
            ("p", "Godt. Mester er sød.", 7),
            ("p", "Jeg er syg i dag. Feber.", 0)),
           unread=True, absent_now=True, meeting_gap=True),
    Person("Elif", "Elif Opdigtet", 0,
           ((Phase.preparation, 10), (Phase.placement, 7), (Phase.paid_hours, 2)), 2,
           "Pædagogmedhjælper", ("Børnehave", "SFO", "Dagpleje"),
           "Fri om torsdagen til behandling.",
           (("Møde op fire dage om ugen", P), ("Praktik i en børnehave", C),
            ("Lave aftale om arbejdsopgaver", E), ("Læse en bog højt for børnene", P),
            ("Aftale lønnede timer", E), ("Søge kursus i førstehjælp", P),
            ("Samtale om fastansættelse", W)),
           4, ((0, 4), (3, 9), (6, 16), (9, 20)),
           (("c", "Tillykke med de lønnede timer, Elif!", 13),
            ("p", "Tak! Jeg er glad.", 13),
            ("c", "Husk at sende din timeseddel på fredag.", 4))),
    Person("Farah", "Farah Testrup", 1,
           ((Phase.preparation, 10), (Phase.placement, 8), (Phase.job, 3)), 5,
           "Rengøring på et hotel", ("Hotel", "Rengøring"),
           "",
           (("Møde op hver dag i en uge", P), ("Praktik på hotellet", C),
            ("Lære hotellets rutiner", P), ("Samtale om ansættelse", E),
            ("Skrive under på kontrakt", P), ("Opfølgning efter tre måneder", C)),
           5, ((0, 9), (2, 16), (5, 25)),
           (("p", "Jeg har fået jobbet!!", 21), ("c", "Kæmpe tillykke, Farah!", 21),
            ("c", "Jeg ringer til dig om et par uger og hører, hvordan det går.", 10))),
    Person("Gustav", "Gustav Modelsen", 0,
           ((Phase.preparation, 24), (Phase.placement, 18), (Phase.job, 13),
            (Phase.aftercare, 1)), 12,
           "Gartner", ("Anlægsgartner", "Kirkegård"),
           "",
           (("Praktik i en gartnerforretning", C), ("Tage truckcertifikat", P),
            ("Ansættelse som gartnermedhjælper", E),
            ("Efterværn: samtale efter tre måneder", C)),
           3, ((0, 9), (6, 16), (10, 30)),
           (("c", "Hej Gustav. Hvordan går det på jobbet?", 14),
            ("p", "Det går fint. Travlt med hækkene.", 12))),
    Person("Hanne", "Hanne Skitsesen", 1, ((Phase.preparation, 10), (Phase.ended, 1)), 9,
           "Kontorarbejde", ("Reception", "Kontorassistent"),
           "Højst 15 timer om ugen.",
           (("Møde op to dage om ugen", P), ("Afklaring hos lægen", W),
            ("Prøve opgaver i receptionen", P), ("Møde om fleksjob", W)),
           4, ((0, 4), (4, 9)),
           (("c", "Hej Hanne. Held og lykke i fleksjobbet. Du må altid skrive.", 7),
            ("p", "Tak for hjælpen, Karim.", 6))),
]

SUMMARIES = [
    "Vi talte om, hvordan ugen er gået, og satte næste delmål.",
    "Gåtur. Det går bedre med at komme op om morgenen. Vi aftalte at prøve en dag mere.",
    "Kort snak i telefonen. Alt er som aftalt.",
    "Vi kiggede på målskemaet sammen og flyttede et delmål.",
    "Snak om praktikken. Mester er tilfreds.",
]
KINDS = [MeetingKind.in_person, MeetingKind.walk, MeetingKind.phone, MeetingKind.in_person,
         MeetingKind.video]
PLACES = {MeetingKind.in_person: "Værkstedet", MeetingKind.walk: "Gåtur fra værkstedet",
          MeetingKind.phone: "", MeetingKind.video: ""}
ROLE_WORDS = {Role.admin: "admin", Role.consultant: "konsulent", Role.participant: "deltager"}
ABSENCE_NOTES = {AbsenceReason.ill: "", AbsenceReason.doctor: "Tid hos lægen",
                 AbsenceReason.child_ill: "", AbsenceReason.other: "Bussen kørte ikke"}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ).astimezone(UTC)


def _weekday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _last_weekdays(today: date, count: int) -> list[date]:
    days, day = [], today
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days


def load_demo(session: Session) -> list[tuple[str, str, str]]:
    """Load the demo organisation once; return (role, login, password) for every demo user."""
    org = session.exec(select(Organisation).where(Organisation.name == DEMO_ORGANISATION)).first()
    if org is None:
        _create(session)
        org = session.exec(select(Organisation).where(Organisation.name == DEMO_ORGANISATION)).one()
    users = session.exec(select(User).where(User.organisation_id == org.id).order_by(User.id))
    made = {Role.admin: 1, Role.consultant: 2, Role.participant: len(PEOPLE)}
    counters: dict[Role, int] = {}
    logins = []
    for user in users:
        counters[user.role] = number = counters.get(user.role, 0) + 1
        if number <= made[user.role]:  # people added later in the demo have their own passwords
            logins.append((user.role.value, user.login,
                           f"demo-{ROLE_WORDS[user.role]}-{number}"))
    return logins


def _create(session: Session) -> None:
    """Everything in one transaction: a half-loaded demo never stays behind."""
    rng = random.Random(SEED)
    org = Organisation(name=DEMO_ORGANISATION)
    session.add(org)
    session.flush()
    numbers: dict[Role, int] = {}
    staff = []
    for role, email, full_name, days, start, end in STAFF:
        numbers[role] = numbers.get(role, 0) + 1
        user = User(organisation_id=org.id, role=role, login=email,
                    display_name=full_name.split()[0], full_name=full_name,
                    password_hash=hash_password(f"demo-{ROLE_WORDS[role]}-{numbers[role]}"),
                    work_days=days, work_start=time(start), work_end=time(end),
                    last_seen_at=utcnow() - timedelta(hours=rng.randint(1, 30)))
        session.add(user)
        staff.append(user)
    session.flush()
    consultants = staff[1:]
    for number, person in enumerate(PEOPLE, start=1):
        _participant(session, rng, person, consultants[person.consultant], number)
    _group_and_observation(session, org, consultants[0])
    session.commit()


def _participant(session: Session, rng: random.Random, person: Person, consultant: User,
                 number: int) -> None:
    today, now = local_today(), utcnow()
    starts = [week_of(today - timedelta(weeks=weeks))[0] for _phase, weeks in person.phases]
    user = add_participant(session, consultant=consultant, display_name=person.name,
                           full_name=person.full_name, started_on=starts[0],
                           phase=person.phases[0][0])
    user.password_hash = hash_password(f"demo-deltager-{number}")
    if person.seen_days_ago is not None:
        user.last_seen_at = now - timedelta(days=person.seen_days_ago,
                                            minutes=rng.randint(20, 300))
    enrolment = enrolment_of(session, user.id)
    for (phase, _weeks), started in list(zip(person.phases, starts, strict=True))[1:]:
        session.add(PhaseChange(enrolment_id=enrolment.id, phase=phase, started_on=started,
                                recorded_by_id=consultant.id))
        enrolment.phase = phase
        if phase == Phase.placement:
            enrolment.placement_started_on = started
        if phase == Phase.paid_hours:
            enrolment.paid_hours_started_on = started
        if phase == Phase.job:
            enrolment.job_started_on = started
        if phase == Phase.ended:
            enrolment.ended_on, enrolment.outcome = started, Outcome.flex_job
    # Days at the workshop or placement end at a job start or at the programme's end.
    last_day = next((d for (phase, _w), d in zip(person.phases, starts, strict=True)
                     if phase in (Phase.job, Phase.ended)), today)
    plan = session.exec(select(GoalPlan).where(GoalPlan.participant_id == user.id)).one()
    plan.job_goal, plan.job_wishes = person.job_goal, list(person.wishes)
    plan.accommodations = person.accommodations
    steps = [(starts[0] + timedelta(weeks=w), hours) for w, hours in person.steps]
    session.add_all(StepUpStep(plan_id=plan.id, starts_on=d, hours_per_week=h) for d, h in steps)
    # Someone who never opened the app has their records kept by the consultant.
    recorder = user if person.seen_days_ago is not None else consultant
    _subgoals(session, rng, person, recorder, consultant, plan, starts[0], last_day)
    _attendance(session, rng, person, user, recorder, steps, starts[0], last_day)
    _walks(session, rng, user, recorder, starts[0])
    _meetings(session, rng, person, user, consultant, starts[0], last_day)
    _messages(session, rng, person, user, consultant)
    if enrolment.job_started_on is not None:
        _check_ins(session, person, user, enrolment)
    elif enrolment.phase in WEEKLY_PHASES:
        _weekly(session, rng, user, starts[0])


def _group_and_observation(session: Session, org: Organisation, consultant: User) -> None:
    """A group day for the first consultant's preparation participants, and what the employer
    told about the participant in placement."""
    mine = {user.display_name: user for user in session.exec(
        select(User).join(Enrolment, Enrolment.participant_id == User.id)
        .where(Enrolment.consultant_id == consultant.id))}
    group = Group(organisation_id=org.id, name="Tirsdagsholdet", leader_id=consultant.id,
                  weekdays="1,3", starts_at=time(9, 30), place="Værkstedet, lokale 2")
    session.add(group)
    session.flush()
    joined = local_today() - timedelta(weeks=3)
    session.add_all(GroupMember(group_id=group.id, participant_id=mine[name].id, joined_on=joined)
                    for name in ("Amina", "Camilla") if name in mine)
    if "Camilla" in mine:
        session.add(WorkplaceObservation(
            participant_id=mine["Camilla"].id, observed_on=local_today() - timedelta(days=6),
            employer_contact="Køkkenleder (fiktiv)", understands_instructions=4,
            works_independently=3, works_with_others=4, breaks_count=2, breaks_minutes=30,
            pace=3, quality=4, wellbeing=4, pain_or_signs="Lidt træt efter frokost.",
            accommodations_kept=True, note="Vil gerne prøve opvasken næste uge.",
            recorded_by_id=consultant.id))


def _subgoals(session: Session, rng: random.Random, person: Person, recorder: User,
              consultant: User, plan: GoalPlan, start: date, last_day: date) -> None:
    today = local_today()
    span = max((min(last_day, today) - start).days, 1)
    for position, (title, responsible) in enumerate(person.subgoals):
        created = _at(start, 10)
        goal = SubGoal(plan_id=plan.id, position=position, title=title, responsible=responsible,
                       created_by_id=consultant.id, created_at=created,
                       agreed=position <= person.done or position % 2 == 0)
        if position < person.done:
            done_day = start + timedelta(days=span * (position + 1) // (person.done + 1))
            goal.due_on = done_day + timedelta(days=rng.randint(0, 4))
            goal.done_at = _at(done_day, 14, rng.randint(0, 59))
            goal.done_by_id = recorder.id if responsible == P else consultant.id
        elif position == person.done:
            goal.due_on = today + timedelta(days=-4 if person.overdue else 3)
        elif goal.agreed:
            goal.due_on = today + timedelta(weeks=position - person.done + 1)
        session.add(goal)
        session.flush()
        if position <= person.done:
            _readings(session, rng, goal, recorder, consultant, final=position == person.done)


def _readings(session: Session, rng: random.Random, goal: SubGoal, recorder: User,
              consultant: User, *, final: bool) -> None:
    """The asymmetric alliance's scale: rising belief over the weeks for the next sub-goal."""
    value = rng.randint(2, 5)
    moments = [goal.created_at + timedelta(days=1)]
    if final:
        moments.append(min(goal.created_at + timedelta(days=15), utcnow()))
    for moment in moments:
        session.add(ScaleReading(
            subgoal_id=goal.id, recorded_by_id=recorder.id, by_role=recorder.role, value=value,
            what_is_needed="Ro og en plan for dagen", what_i_can_do="Øve mig hjemme",
            help_needed="At konsulenten går med første gang", recorded_at=moment))
        value = min(value + rng.randint(1, 3), 10)
    if final:
        session.add(ScaleReading(subgoal_id=goal.id, recorded_by_id=consultant.id,
                                 by_role=Role.consultant, value=value, recorded_at=moments[-1]))


def _attendance(session: Session, rng: random.Random, person: Person, user: User,
                recorder: User, steps: list[tuple[date, float]], start: date,
                last_day: date) -> None:
    today = local_today()
    sick = set(_last_weekdays(today, 2)) if person.absent_now else set()
    day = max(start, today - timedelta(days=HISTORY_DAYS))
    while day < last_day or day in sick:
        hours = next((h for d, h in reversed(steps) if d <= day), steps[0][1])
        pattern = (1, 3) if hours <= 4 else (0, 2, 3) if hours <= 9 else (0, 1, 2, 3)
        if day in sick or (day.weekday() in pattern and day < today and rng.random() < 0.08):
            reason = AbsenceReason.ill if day in sick else rng.choice(list(AbsenceReason))
            reported = min(_at(day, 7, 30), utcnow())
            session.add(Absence(participant_id=user.id, day=day, reason=reason,
                                note=ABSENCE_NOTES[reason], reported_at=reported,
                                reported_by_id=recorder.id))
        elif day.weekday() in pattern and day < today:
            minutes = int(hours * 60 / len(pattern))
            row = Attendance(participant_id=user.id, day=day, minutes=minutes,
                             recorded_by_id=recorder.id, updated_at=_at(day, 16))
            if recorder is user and rng.random() < 0.8:  # most days by check-in and check-out
                row.checked_in_at = _at(day, 9, rng.randint(0, 15))
                row.checked_out_at = row.checked_in_at + timedelta(minutes=minutes)
            session.add(row)
        day += timedelta(days=1)


def _walks(session: Session, rng: random.Random, user: User, recorder: User, start: date) -> None:
    today = local_today()
    days = sorted(rng.sample(range(1, max((today - start).days, 7)), rng.randint(3, 6)))
    for offset in days:
        minutes = rng.choice((20, 30, 45, 60))
        together = rng.random() < 0.4
        session.add(Walk(
            participant_id=user.id, walked_on=start + timedelta(days=offset), minutes=minutes,
            distance_km=round(minutes / 15 * rng.uniform(0.8, 1.2), 1) if rng.random() < 0.7
            else None,
            with_consultant=together,
            agreed_note="Vi aftalte at gå igen om to uger." if together else "",
            recorded_by_id=recorder.id))


def _meetings(session: Session, rng: random.Random, person: Person, user: User,
              consultant: User, start: date, last_day: date) -> None:
    today = local_today()
    until = today - timedelta(days=15) if person.meeting_gap else min(today, last_day)
    day, index = _weekday_on_or_after(start + timedelta(days=2)), 0
    while day < until:
        starts_at, kind = _at(day, 10), KINDS[index % len(KINDS)]
        session.add(Meeting(participant_id=user.id, consultant_id=consultant.id, kind=kind,
                            starts_at=starts_at, place=PLACES[kind],
                            summary=SUMMARIES[index % len(SUMMARIES)],
                            created_at=starts_at - timedelta(days=7)))
        # The consultant read the plan before the meeting: that look-up is in the access log.
        session.add(AccessLog(actor_id=consultant.id, participant_id=user.id, action="read",
                              what="plan", purpose="casework", at=starts_at - timedelta(hours=1)))
        day, index = day + timedelta(days=14), index + 1
    if person.phases[-1][0] != Phase.ended:
        upcoming = _weekday_on_or_after(today + timedelta(days=rng.randint(1, 6)))
        aftercare = person.phases[-1][0] == Phase.aftercare
        kind = MeetingKind.phone if aftercare else MeetingKind.in_person
        session.add(Meeting(participant_id=user.id, consultant_id=consultant.id, kind=kind,
                            starts_at=_at(upcoming, 10), place=PLACES[kind]))


def _messages(session: Session, rng: random.Random, person: Person, user: User,
              consultant: User) -> None:
    now = utcnow()
    thread = session.exec(
        select(MessageThread).where(MessageThread.participant_id == user.id)
    ).one()
    sent = waiting = None
    for position, (sender, body, days_ago) in enumerate(person.messages):
        moment = now - timedelta(days=days_ago, minutes=rng.randint(30, 240))
        sent = moment if sent is None else max(moment, sent + timedelta(minutes=7))
        last = position == len(person.messages) - 1
        never_opened = sender == "c" and person.seen_days_ago is None
        read = None if (last and person.unread) or never_opened else min(
            sent + timedelta(minutes=45), now)
        session.add(Message(thread_id=thread.id, body=body, sent_at=sent, read_at=read,
                            sender_id=user.id if sender == "p" else consultant.id))
        waiting = (waiting or sent) if sender == "p" else None  # as send_message keeps it
    thread.last_message_at = sent
    thread.awaiting_reply_since = waiting


def _check_ins(session: Session, person: Person, user: User, enrolment) -> None:
    """Farah answered her first check-in and asks for contact; Gustav answered two, and the
    last one is due now (moved to yesterday, so the demo shows it whatever the day)."""
    today = local_today()
    days = aftercare_due(enrolment.job_started_on, DEFAULT_SCHEDULE)
    for sequence, due_on in enumerate(days, start=1):
        check_in = AftercareCheckIn(enrolment_id=enrolment.id, participant_id=user.id,
                                    sequence=sequence, due_on=due_on)
        if person.name == "Gustav" and sequence == len(days):
            check_in.due_on = today - timedelta(days=1)
        elif due_on <= today:
            check_in.answered_at = _at(due_on + timedelta(days=1), 18)
            check_in.how_it_goes = 2 if person.name == "Farah" else 4
            check_in.hours_per_week = 25 if person.name == "Farah" else 30
            check_in.wants_contact = person.name == "Farah"
            if person.name == "Farah":
                check_in.what_is_hard = "Jeg er meget træt efter arbejdet, og ryggen gør ondt."
        session.add(check_in)


def _weekly(session: Session, rng: random.Random, user: User, start: date) -> None:
    """"How was your week?" for the last few weeks; one early "yes" the consultant handled."""
    today = local_today()
    monday = week_of(today)[0]
    weeks = min(5, (monday - week_of(start)[0]).days // 7 + 1)
    for back in range(weeks - 1, -1, -1):
        week = monday - timedelta(weeks=back)
        answered = min(_at(week + timedelta(days=4), 15), utcnow())
        talk = back == weeks - 1 and weeks > 2
        session.add(WeeklyCheckIn(
            participant_id=user.id, week_of=week, how_it_went=2 if talk else rng.randint(3, 5),
            wants_to_talk=talk, answered_at=answered,
            contact_done_at=answered + timedelta(hours=20) if talk else None))
