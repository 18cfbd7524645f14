"""The consultant's form for a new participant, and the plain-words phase labels."""

from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import Form
from app.i18n import _l
from app.models import Phase
from app.timeutil import local_today

PHASE_LABELS = {
    Phase.preparation: _l("Preparation"),
    Phase.placement: _l("Company placement"),
    Phase.paid_hours: _l("Paid hours"),
    Phase.job: _l("In a job"),
    Phase.aftercare: _l("Aftercare"),
    Phase.ended: _l("Ended"),
}


class NewParticipantForm(Form):
    display_name = StringField(
        _l("What they want to be called"),
        validators=[DataRequired(_l("Write the name they want to be called.")),
                    Length(max=80, message=_l("At most %(max)d characters.", max=80))],
    )
    full_name = StringField(
        _l("Full name (optional)"),
        validators=[Optional(),
                    Length(max=200, message=_l("At most %(max)d characters.", max=200))],
    )
    started_on = DateField(
        _l("Programme start"), default=local_today,
        validators=[InputRequired(_l("Write the day the programme starts."))],
    )
    phase = SelectField(
        _l("Phase"), choices=[(p.value, label) for p, label in PHASE_LABELS.items()],
        default=Phase.preparation.value,
        validate_choice=True,
    )
