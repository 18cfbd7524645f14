"""Forms for programme events, and the words for events and outcomes."""

from datetime import timedelta

from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, ValidationError

from app.forms import Form
from app.i18n import _l
from app.models import Outcome
from app.timeutil import local_today

# Events are recorded when they happen or are agreed; a day far ahead is a typo, and one near
# the end of the calendar would break the milestone and aftercare arithmetic.
DAYS_AHEAD = timedelta(days=366)

OUTCOME_LABELS = {
    Outcome.job: _l("Job"),
    Outcome.flex_job: _l("Flex job"),
    Outcome.education: _l("Education"),
    Outcome.sick_pay: _l("Sick pay"),
    Outcome.other_benefit: _l("Other benefit"),
    Outcome.other: _l("Other"),
}

EVENT_HEADINGS = {
    "placement": _l("Company placement starts"),
    "paid_hours": _l("Paid hours start"),
    "job": _l("Job starts"),
    "end": _l("Programme ends"),
}

# A day out of order names the other event in a whole sentence, so every language can say it
# its own way.
MUST_BE_AFTER = {
    "started_on": _l("Choose a day on or after the programme start, %(day)s."),
    "placement_started_on": _l("Choose a day on or after the placement start, %(day)s."),
    "paid_hours_started_on": _l("Choose a day on or after the start of paid hours, %(day)s."),
    "job_started_on": _l("Choose a day on or after the job start, %(day)s."),
}
MUST_BE_BEFORE = {
    "placement_started_on": _l("Choose a day on or before the placement start, %(day)s."),
    "paid_hours_started_on": _l("Choose a day on or before the start of paid hours, %(day)s."),
    "job_started_on": _l("Choose a day on or before the job start, %(day)s."),
    "ended_on": _l("Choose a day on or before the programme end, %(day)s."),
}


class EventForm(Form):
    day = DateField(_l("Day"), validators=[InputRequired(_l("Choose the day."))])

    def validate_day(self, field: DateField) -> None:
        if field.data and field.data > local_today() + DAYS_AHEAD:
            raise ValidationError(_l("Choose a day at most a year ahead."))


class EndForm(EventForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=[("", _l("Choose the outcome"))]
        + [(o.value, label) for o, label in OUTCOME_LABELS.items()],
        validators=[InputRequired(_l("Choose how the programme ended."))],
    )
