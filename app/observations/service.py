"""Workplace observations: what the consultant learned from the employer, as records.

Observations are append-only. The job centre reads them as records in the provider report
(leverandørrapport), and a record that can change after it was read is no longer a record; a
mistake is corrected by a new observation that says what was wrong, and the newest comes first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from app.idempotency import claim
from app.models import User, WorkplaceObservation

OBSERVED_BACK_DAYS = 90  # a talk with the employer is written down soon after, if at all
LEVELS = range(1, 6)
LEVEL_FIELDS = ("understands_instructions", "works_independently", "works_with_others",
                "pace", "quality", "wellbeing")


def observed_window(today: date) -> tuple[date, date]:
    """An observation is dated today or up to 90 days back, never ahead."""
    return today - timedelta(days=OBSERVED_BACK_DAYS), today


def observed_day_allowed(day: date, *, today: date) -> bool:
    first, last = observed_window(today)
    return first <= day <= last


@dataclass(frozen=True)
class ObservationInput:
    """One observation as the consultant wrote it; a level of None means "not observed"."""

    observed_on: date
    employer_contact: str
    understands_instructions: int | None = None
    works_independently: int | None = None
    works_with_others: int | None = None
    breaks_count: int | None = None
    breaks_minutes: int | None = None
    pace: int | None = None
    quality: int | None = None
    wellbeing: int | None = None
    pain_or_signs: str = ""
    accommodations_kept: bool | None = None
    accommodations_note: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        for name in LEVEL_FIELDS:
            level = getattr(self, name)
            if level is not None and level not in LEVELS:
                raise ValueError(f"{name} must be 1–5 or None")


def record(
    session: Session, *, staff: User, participant: User, data: ObservationInput,
    client_id: uuid.UUID,
) -> WorkplaceObservation | None:
    """Save a new observation about `participant` (already checked to be in the caseload).

    A replay of the same form saves nothing and returns None.
    """
    if claim(session, user=staff, client_id=client_id, kind="observations.create"):
        return None
    texts = {name: getattr(data, name).strip() for name in
             ("employer_contact", "pain_or_signs", "accommodations_note", "note")}
    observation = WorkplaceObservation(
        **{**vars(data), **texts}, participant_id=participant.id, recorded_by_id=staff.id)
    session.add(observation)
    session.commit()
    return observation


def observations_of(
    session: Session, participant_id: int
) -> list[tuple[WorkplaceObservation, User]]:
    """The participant's observations with who recorded each, newest first."""
    return list(session.exec(
        select(WorkplaceObservation, User)
        .join(User, User.id == WorkplaceObservation.recorded_by_id)
        .where(WorkplaceObservation.participant_id == participant_id)
        .order_by(WorkplaceObservation.observed_on.desc(), WorkplaceObservation.id.desc())
    ).all())
