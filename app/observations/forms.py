"""The workplace observation form, and the plain words for its 1–5 levels (defined once).

Every level is shown with its words, never as a bare number: "4" means nothing to the job
centre's case worker reading the report, "Mostly by themself" does.
"""

from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.forms import Form
from app.i18n import _l
from app.observations import service
from app.observations.service import ObservationInput
from app.timeutil import local_today

SUPPORT_WORDS = {
    1: _l("Needs much support"),
    2: _l("Needs some support"),
    3: _l("Needs a little support"),
    4: _l("Mostly by themself"),
    5: _l("Fully by themself"),
}
JOB_WORDS = {
    1: _l("Far from what the job needs"),
    2: _l("Some way from what the job needs"),
    3: _l("Close to what the job needs"),
    4: _l("What the job needs"),
    5: _l("More than the job needs"),
}
WELLBEING_WORDS = {
    1: _l("Not well at all"),
    2: _l("Not so well"),
    3: _l("So-so"),
    4: _l("Well"),
    5: _l("Very well"),
}
NOT_OBSERVED = _l("Not observed")

# Each level field: its question and the words of its scale, in the order of the form.
LEVEL_LABELS = {
    "understands_instructions": (_l("Understands instructions"), SUPPORT_WORDS),
    "works_independently": (_l("Works independently"), SUPPORT_WORDS),
    "works_with_others": (_l("Works with others"), SUPPORT_WORDS),
    "pace": (_l("Pace"), JOB_WORDS),
    "quality": (_l("Quality of the work"), JOB_WORDS),
    "wellbeing": (_l("Well-being"), WELLBEING_WORDS),
}
ACCOMMODATION_CHOICES = {"yes": _l("Yes"), "no": _l("No"), "": NOT_OBSERVED}
ACCOMMODATION_VALUES = {"yes": True, "no": False, "": None}


def _level(name: str) -> RadioField:
    label, words = LEVEL_LABELS[name]
    return RadioField(label, default="",
                      choices=[(str(n), word) for n, word in words.items()] + [("", NOT_OBSERVED)])


def _text(label, limit: int) -> TextAreaField:
    return TextAreaField(label, validators=[
        Length(max=limit, message=_l("At most %(max)d characters.", max=limit))])


class ObservationForm(Form):
    observed_on = DateField(_l("Date of the talk"), default=local_today,
                            validators=[DataRequired(_l("Choose the day."))])
    employer_contact = StringField(
        _l("Who at the workplace did you talk with?"),
        validators=[DataRequired(_l("Write who you talked with, for example the name and role.")),
                    Length(max=200, message=_l("Write at most 200 characters."))],
    )
    understands_instructions = _level("understands_instructions")
    works_independently = _level("works_independently")
    works_with_others = _level("works_with_others")
    breaks_count = IntegerField(
        _l("Breaks a day"),
        validators=[Optional(), NumberRange(0, 20, _l("Write a whole number from 0 to 20."))],
    )
    breaks_minutes = IntegerField(
        _l("Minutes of breaks a day, all together"),
        validators=[Optional(), NumberRange(0, 480, _l("Write a whole number from 0 to 480."))],
    )
    pace = _level("pace")
    quality = _level("quality")
    wellbeing = _level("wellbeing")
    pain_or_signs = _text(_l("Pain or other signs"), 1000)
    accommodations_kept = RadioField(
        _l("Were the accommodations kept?"), default="",
        choices=list(ACCOMMODATION_CHOICES.items()),
    )
    accommodations_note = _text(_l("About the accommodations"), 1000)
    note = _text(_l("Other notes"), 2000)

    def validate_observed_on(self, field: DateField) -> None:
        if not service.observed_day_allowed(field.data, today=local_today()):
            raise ValidationError(_l("Choose today or a day in the last 90 days."))

    def validate_breaks_minutes(self, field: IntegerField) -> None:
        if field.data and self.breaks_count.data == 0:
            raise ValidationError(_l("With no breaks, leave the minutes empty or write 0."))

    def to_input(self) -> ObservationInput:
        levels = {name: int(self[name].data) if self[name].data else None
                  for name in LEVEL_LABELS}
        return ObservationInput(
            observed_on=self.observed_on.data, employer_contact=self.employer_contact.data,
            breaks_count=self.breaks_count.data, breaks_minutes=self.breaks_minutes.data,
            pain_or_signs=self.pain_or_signs.data or "",
            accommodations_kept=ACCOMMODATION_VALUES[self.accommodations_kept.data],
            accommodations_note=self.accommodations_note.data or "", note=self.note.data or "",
            **levels,
        )
