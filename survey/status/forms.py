"""Forms of the status pages: returning a response for completion."""

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from survey.forms import BaseForm


class ReturnForm(BaseForm):
    reason = TextAreaField(
        "Anledning",
        validators=[DataRequired("Ange varför svaret skickas tillbaka."),
                    Length(max=5000, message="Anledningen får vara högst 5 000 tecken.")],
        description="Förklara vad som behöver kompletteras. Texten visas för organisationen.",
        render_kw={"rows": 6},
    )
