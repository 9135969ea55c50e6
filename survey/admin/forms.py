"""Admin forms: organisations, users, passwords, rounds and question texts."""

from __future__ import annotations

import datetime as dt

from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from survey.accounts.models import Role
from survey.accounts.services import password_problem
from survey.forms import BaseForm
from survey.inputs import IntegerInput, parse_id
from survey.organisations.models import OrganisationKind
from survey.organisations.services import OrganisationError, format_registry_codes

DATE_MESSAGE = "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2024-03-05."
CHOICE_MESSAGE = "Välj ett av alternativen."


def _date(label: str, required: bool = True, description: str = "ÅÅÅÅ-MM-DD",
          missing: str | None = None) -> DateField:
    # InputRequired (not DataRequired) keeps the parse error for a malformed date.
    first = InputRequired(missing or f"Ange {label.lower()}.") if required else Optional()
    return DateField(label, validators=[first], invalid_value_message=DATE_MESSAGE,
                     description=description)


def _check_password(form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class OrganisationForm(BaseForm):
    name = StringField("Namn", validators=[DataRequired("Ange organisationens namn."),
                                          Length(max=200, message="Högst 200 tecken.")])
    short_name = StringField(
        "Kortnamn", validators=[DataRequired("Ange ett kortnamn."),
                                Length(max=20, message="Högst 20 tecken.")],
        description="Plattformens förkortning, till exempel ASN.")
    kind = SelectField("Typ", choices=[SelectChoice(k.value, k.label) for k in OrganisationKind],
                       validators=[DataRequired("Välj typ.")],
                       invalid_choice_message=CHOICE_MESSAGE)
    valid_from = _date("Giltig från", description="Första dagen organisationen finns, ÅÅÅÅ-MM-DD.")
    valid_to = _date("Giltig till", required=False,
                     description="Sista dagen organisationen finns (sammanslagen, bytt namn "
                                 "eller avvecklad). Lämna tomt om den finns kvar.")
    registry_codes = StringField(
        "Diariekoder",
        validators=[Length(max=100, message="Högst 100 tecken.")],
        description="Koderna som inleder organisationens diarienummer, till exempel STK för "
                    "STK-2023-138. Skilj flera koder åt med kommatecken. Ett inskickat svar "
                    "med en annan kod får en varning. Lämna tomt om koden inte är känd.",
        render_kw={"autocomplete": "off", "spellcheck": "false"})

    def validate_valid_to(self, field) -> None:
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError("Giltig till kan inte ligga före giltig från.")

    def validate_registry_codes(self, field) -> None:
        try:
            format_registry_codes(field.data)
        except OrganisationError as error:
            raise ValidationError(str(error)) from None


def _organisation_id(value) -> int | None:
    """The posted organisation id (ASCII digits within the id range); ValueError if not."""
    if value in (None, "", "None"):
        return None
    number = parse_id(str(value))
    if number is None:
        raise ValueError(value)
    return number


class UserForm(BaseForm):
    name = StringField("Namn", validators=[DataRequired("Ange namnet."),
                                          Length(max=120, message="Högst 120 tecken.")])
    email = EmailField("E-postadress", validators=[
        DataRequired("Ange e-postadressen."), Length(max=254, message="Högst 254 tecken."),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
               message="Ange en giltig e-postadress, till exempel namn@malmo.se."),
    ])
    role = SelectField("Roll", choices=[SelectChoice(r.value, r.label) for r in Role],
                       default=Role.RESPONDENT.value, invalid_choice_message=CHOICE_MESSAGE)
    organisation_id = SelectField(
        "Organisation", coerce=lambda v: _organisation_id(v),
        validate_choice=False, description="Krävs för svarande; analytiker och "
                                           "administratörer hör inte till en organisation.")
    password = PasswordField(
        "Lösenord", validators=[DataRequired("Ange ett lösenord."), _check_password],
        description="Minst 12 tecken. Lämna lösenordet till användaren på ett säkert sätt.",
        render_kw={"autocomplete": "new-password"})

    def validate_organisation_id(self, field) -> None:
        if self.role.data == Role.RESPONDENT.value and not field.data:
            raise ValidationError("En svarande måste höra till en organisation.")
        if field.data is not None and str(field.data) not in {
                str(choice.value) for choice in field.choices or ()}:
            raise ValidationError(CHOICE_MESSAGE)


class PasswordForm(BaseForm):
    password = PasswordField(
        "Nytt lösenord", validators=[DataRequired("Ange ett lösenord."), _check_password],
        description="Minst 12 tecken. Alla användarens inloggningar avslutas.",
        render_kw={"autocomplete": "new-password"})


class RoundForm(BaseForm):
    questionnaire = SelectField("Frågeformulär", invalid_choice_message=CHOICE_MESSAGE)
    year = IntegerInput("År", validators=[
        DataRequired("Ange året."),
        NumberRange(2000, 2100, "Ange ett år mellan 2000 och 2100."),
    ], invalid_value_message="Ange året med fyra siffror, till exempel 2025.",
        default=lambda: dt.date.today().year)
    opens_at = _date("Öppnar", description="Dagen då svarande kan börja svara, ÅÅÅÅ-MM-DD.")
    deadline = _date("Sista svarsdag")

    def validate_deadline(self, field) -> None:
        if field.data and self.opens_at.data and field.data < self.opens_at.data:
            raise ValidationError("Sista svarsdag kan inte ligga före öppningsdagen.")


class QuestionForm(BaseForm):
    text = TextAreaField("Frågetext", validators=[DataRequired("Ange frågetexten.")],
                         render_kw={"rows": 5})
    guidance = TextAreaField("Anvisning", description="Visas för svarande under frågan.",
                             render_kw={"rows": 8})


class RoundDetailsForm(BaseForm):
    """A round's title and dates: next year's round before it is created, or a round's own
    before it is opened."""

    title = StringField("Titel", validators=[DataRequired("Ange omgångens titel."),
                                            Length(max=200, message="Högst 200 tecken.")])
    opens_at = _date("Öppnar", description="Dagen då svarande kan börja svara, ÅÅÅÅ-MM-DD.",
                     missing="Ange öppningsdagen.")
    deadline = _date("Sista svarsdag")

    def validate_deadline(self, field) -> None:
        if field.data and self.opens_at.data and field.data < self.opens_at.data:
            raise ValidationError("Sista svarsdag kan inte ligga före öppningsdagen.")
