"""Forms for programme events, and the words for events and outcomes."""

from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from app.forms import Form
from app.i18n import _l
from app.models import Outcome

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


class EndForm(EventForm):
    outcome = SelectField(
        _l("Outcome"),
        choices=[("", _l("Choose the outcome"))]
        + [(o.value, label) for o, label in OUTCOME_LABELS.items()],
        validators=[InputRequired(_l("Choose how the programme ended."))],
    )
