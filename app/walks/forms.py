"""Forms for walks and meetings; the rules themselves live in the service."""

from flask_babel import format_decimal
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

from app.forms import Form
from app.i18n import _, _l
from app.models import MeetingKind
from app.timeutil import local_today
from app.walks import service

MEETING_KINDS = {
    MeetingKind.in_person: _l("In person"),
    MeetingKind.phone: _l("Phone"),
    MeetingKind.video: _l("Video"),
    MeetingKind.walk: _l("Walk"),
}

_MINUTES_MESSAGE = _l("Write the minutes as a whole number from 1 to 600.")


class WalkForm(Form):
    """A walk as the consultant logs it (always together); the participant's form adds who."""

    walked_on = DateField(_l("Date"), validators=[DataRequired(_l("Choose the day of the walk."))])
    minutes = IntegerField(
        _l("Minutes"),
        validators=[DataRequired(_MINUTES_MESSAGE), NumberRange(1, 600, _MINUTES_MESSAGE)],
    )
    distance = StringField(_l("Distance in km (if you know it)"))
    agreed_note = TextAreaField(
        _l("What did you agree? (if anything)"),
        validators=[Length(max=1000, message=_l("Write at most 1000 characters."))],
    )

    def validate_walked_on(self, field: DateField) -> None:
        if not service.walk_day_allowed(field.data, today=local_today()):
            raise ValidationError(_l("Choose today or a day in the last 60 days."))

    def validate_distance(self, field: StringField) -> None:
        try:
            service.parse_distance(field.data)
        except ValueError:
            raise ValidationError(
                _("Write the distance in km from %(least)s to 100, for example %(example)s.",
                  least=format_decimal(service.DISTANCE_MIN), example=format_decimal(2.5))
            ) from None


class MyWalkForm(WalkForm):
    with_consultant = RadioField(
        _l("Who walked?"),
        choices=[("yes", _l("With my consultant")), ("no", _l("On my own"))],
        validators=[DataRequired(_l("Choose who walked."))],
    )


class MeetingForm(Form):
    kind = RadioField(
        _l("Kind of meeting"),
        choices=[(kind.value, label) for kind, label in MEETING_KINDS.items()],
        validators=[DataRequired(_l("Choose the kind of meeting."))],
    )
    day = DateField(_l("Date"), id="meeting-day",
                    validators=[DataRequired(_l("Choose the day."))])
    at = TimeField(_l("Time"), validators=[DataRequired(_l("Choose the time, for example 10:00."))])
    place = StringField(
        _l("Place"), validators=[Length(max=200, message=_l("Write at most 200 characters."))]
    )

    def validate_day(self, field: DateField) -> None:
        if not service.meeting_day_allowed(field.data, today=local_today()):
            raise ValidationError(_l("Choose a day within a year from today."))


class SummaryForm(Form):
    """Prefixed with the meeting (m<id>-summary) so each meeting's form has its own ids."""

    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(_l("Write the summary.")),
                    Length(max=4000, message=_l("Write at most 4000 characters."))],
    )
