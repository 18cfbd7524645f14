"""The compose box; WTForms keeps what was typed when it cannot be sent."""

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form
from app.i18n import _l
from app.messages.phrases import MAX_TEXT
from app.messages.service import MAX_BODY


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class MessageForm(Form):
    body = TextAreaField(
        _l("Your message"),
        filters=[_strip],
        # No maxlength in the page: a browser would cut a long paste off without a word.
        render_kw={"maxlength": False},
        validators=[
            DataRequired(_l("Write a message before you send it.")),
            Length(max=MAX_BODY, message=_l(
                "A message can be at most %(max)d characters. Try splitting it in two.",
                max=MAX_BODY,
            )),
        ],
    )


class QuickPhraseForm(Form):
    text = TextAreaField(
        _l("New quick phrase"),
        filters=[_strip],
        render_kw={"maxlength": False},
        validators=[
            DataRequired(_l("Write the phrase before you add it.")),
            Length(max=MAX_TEXT, message=_l(
                "A quick phrase can be at most %(max)d characters.", max=MAX_TEXT,
            )),
        ],
    )
