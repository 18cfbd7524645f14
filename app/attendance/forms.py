"""Forms for reporting hours and absence; the rules themselves live in the service."""

from flask_babel import format_decimal
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.attendance import service
from app.forms import Form
from app.i18n import _, _l
from app.models import AbsenceReason, AttendanceStatus
from app.timeutil import local_today

ABSENCE_REASONS = {
    AbsenceReason.ill: _l("I am ill"),
    AbsenceReason.doctor: _l("Doctor or treatment"),
    AbsenceReason.child_ill: _l("My child is ill"),
    AbsenceReason.other: _l("Something else"),
}


# A day's status (roll-call, corrections); the order is the roll-call's buttons.
STATUS_LABELS = {
    AttendanceStatus.present: _l("Present"),
    AttendanceStatus.late: _l("Late"),
    AttendanceStatus.absent: _l("Absent"),
}


class HoursForm(Form):
    # Explicit ids: both forms share one page, and ids must be unique there.
    day = DateField(_l("Day"), id="hours-day", validators=[DataRequired(_l("Choose the day."))])
    hours = StringField(
        _l("Hours"), id="hours-amount",
        validators=[DataRequired(_l("Write how many hours, for example 6.5."))],
    )

    def validate_day(self, field: DateField) -> None:
        if not service.hours_day_allowed(field.data, today=local_today()):
            raise ValidationError(_l("Choose today or a day in the last two weeks."))

    def validate_hours(self, field: StringField) -> None:
        try:
            service.parse_hours(field.data)
        except ValueError:
            raise ValidationError(
                _l("Write the hours from 0 to 24, in steps of a quarter hour, for example 6.5.")
            ) from None


class AbsenceForm(Form):
    day = DateField(_l("Which day?"), id="absence-day",
                    validators=[DataRequired(_l("Choose the day."))])
    reason = RadioField(
        _l("Why?"), id="absence-reason",
        choices=[(reason.value, label) for reason, label in ABSENCE_REASONS.items()],
        validators=[DataRequired(_l("Choose a reason."))],
    )
    note = TextAreaField(
        _l("A few words (if you like)"), id="absence-note",
        validators=[Length(max=500, message=_l("Write at most 500 characters."))],
    )

    def validate_day(self, field: DateField) -> None:
        if not service.absence_day_allowed(field.data, today=local_today()):
            raise ValidationError(_l("Choose today or a day in the next 60 days."))

    def validate_note(self, field: TextAreaField) -> None:
        if self.reason.data == AbsenceReason.other.value and not (field.data or "").strip():
            raise ValidationError(_l("Write a few words about why."))


class CorrectionForm(Form):
    """A staff correction of one day; prefixed with the day, as the week shows seven of them."""

    status = RadioField(
        _l("Status"),
        choices=[(status.value, label) for status, label in STATUS_LABELS.items()],
        validators=[DataRequired(_l("Choose present, late or absent."))],
    )
    time = StringField(_l("Time at the workplace"))
    reason = TextAreaField(
        _l("Why is it corrected?"),
        validators=[DataRequired(_l("Write why, in a few words.")),
                    Length(max=500, message=_l("Write at most 500 characters."))],
    )

    def validate_time(self, field: StringField) -> None:
        if not (field.data or "").strip():
            return
        if self.status.data == AttendanceStatus.absent.value:
            raise ValidationError(_l("An absent day has no time. Leave it empty."))
        try:
            service.parse_duration(field.data)
        except ValueError:
            raise ValidationError(
                _("Write hours and minutes, like 5:30, or hours, like %(hours)s (at most 24).",
                  hours=format_decimal(5.5))
            ) from None

    def minutes(self) -> int | None:
        raw = (self.time.data or "").strip()
        return service.parse_duration(raw) if raw else None
