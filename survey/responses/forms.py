"""Forms of the answering pages.

The answer form itself has one field per question and component, so it is parsed by
`parse_answer_form` rather than declared; CSRFProtect checks its token like any post.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, ValidationError

from survey.forms import BaseForm
from survey.inputs import parse_int
from survey.responses.case_numbers import FORMAT_HINT
from survey.responses.case_numbers import check as check_case_number
from survey.responses.decisions import decision_date_problem
from survey.responses.models import DecisionBody


class ButtonForm(BaseForm):
    """A button that posts: only the CSRF token."""


class RestoreForm(BaseForm):
    seen_version = HiddenField()


class SwedishDateField(DateField):
    """A date field whose parse error is Swedish."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Ange ett giltigt datum, till exempel 2024-03-05.") from exc


def _decision_date(form, field_):
    if field_.data and (problem := decision_date_problem(field_.data, form.round_year)):
        raise ValidationError(problem)


def _case_number(form, field_):
    result = check_case_number(field_.data or "")
    if not result.valid:
        raise ValidationError(result.message)


class SubmitForm(BaseForm):
    decision_body = SelectField(
        "Beslutande organ",
        choices=[SelectChoice("", "Välj …")]
        + [SelectChoice(b.value, b.label) for b in DecisionBody],
        validators=[DataRequired("Välj vilket organ som fattade beslutet.")],
    )
    decision_date = SwedishDateField(
        "Beslutsdatum",
        validators=[InputRequired("Ange beslutsdatum, till exempel 2024-03-05."), _decision_date],
        description="Dagen då nämnden, utskottet eller styrelsen beslutade om {noun}.",
    )
    case_number = StringField(
        "Diarienummer",
        validators=[InputRequired("Ange diarienummer."), _case_number],  # length too
        description=f"Skriv det som {FORMAT_HINT}.",
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )

    def __init__(self, *args, round_year: int, organisation=None, noun: str = "svaret",
                 **kwargs):
        """`noun`: what the decision is about, the questionnaire's Wording.noun."""
        super().__init__(*args, **kwargs)
        self.decision_date.description = self.decision_date.description.format(noun=noun)
        #: The year the round asks about: decisions from the year before it on are accepted.
        self.round_year = round_year
        codes = organisation.registry_code_list if organisation is not None else []
        if codes:
            self.case_number.description = (f"{self.case_number.description} Kända "
                                            f"diariekoder för {organisation.name}: "
                                            f"{', '.join(codes)}.")

    @property
    def body(self) -> DecisionBody:
        return DecisionBody(self.decision_body.data)


class ReportChoiceField(SelectMultipleField):
    """Checked report ids; anything else posted is a Swedish error, not wtforms' English."""

    def process_formdata(self, valuelist):
        try:
            self.data = [int(value) for value in valuelist]
        except ValueError as exc:
            self.data = []
            raise ValueError("Välj bland utvecklingsarbetena i listan.") from exc

    def pre_validate(self, form):
        if not self.data:
            raise ValidationError("Välj minst ett utvecklingsarbete att skicka in.")
        if not set(self.data) <= {choice[0] for choice in self.choices}:
            raise ValidationError("Ett valt utvecklingsarbete finns inte eller är redan "
                                  "inskickat; välj bland dem i listan.")


class SubmitReportsForm(SubmitForm):
    """One board decision for several development-work reports: the reports to submit
    (choices: the organisation's unsubmitted reports, set by the view) and the decision."""

    reports = ReportChoiceField("Utvecklingsarbeten", coerce=int, choices=[])


# --- the answer form ---------------------------------------------------------------

@dataclass
class PostedAnswer:
    question_id: int
    text: str
    version: int


@dataclass
class PostedSelfAssessment:
    code: str
    level: int | None
    evidence: str
    version: int


@dataclass
class PostedTags:
    area_ids: list[int]
    version: int


@dataclass
class PostedForm:
    answers: list[PostedAnswer] = field(default_factory=list)
    self_assessments: list[PostedSelfAssessment] = field(default_factory=list)
    tags: PostedTags | None = None
    #: Fields whose saved value the user chose to keep ("Använd den sparade texten").
    use_saved: set[str] = field(default_factory=set)


class ResponseFormDataError(ValueError):
    """The posted form is malformed (tampered or truncated), not a user mistake."""


def _int(value: str | None, default: int | None = None) -> int | None:
    if value is None or value == "":
        return default
    number = parse_int(value)
    if number is None:
        raise ResponseFormDataError(value[:20])
    return number


def normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n")


def _answer_text(values: list[str]) -> str:
    """One posted value as it is; several (a multi-choice question's checked boxes and its
    empty hidden input, which makes "none checked" a post too) one per line."""
    if len(values) == 1:
        return normalise_text(values[0])
    return "\n".join(value for value in values if value.strip())


def parse_answer_form(data: MultiDict, question_ids: list[int], codes: list[str],
                      with_tags: bool) -> PostedForm:
    """The answers, self-assessments and tags present in the post, with the versions seen."""
    posted = PostedForm(use_saved=set(data.getlist("use_saved")))
    for question_id in question_ids:
        name = f"answer-{question_id}"
        if name in data:
            posted.answers.append(PostedAnswer(
                question_id, _answer_text(data.getlist(name)),
                _int(data.get(f"version-{question_id}"), 0),
            ))
    for code in codes:
        if f"self-version-{code}" in data:
            level = _int(data.get(f"level-{code}"))
            posted.self_assessments.append(PostedSelfAssessment(
                code, level, normalise_text(data.get(f"evidence-{code}", "")),
                _int(data.get(f"self-version-{code}"), 0),
            ))
    if with_tags and "tags_version" in data:
        posted.tags = PostedTags([_int(v) for v in data.getlist("rights_area")],
                                 _int(data.get("tags_version"), 0))
    return posted
