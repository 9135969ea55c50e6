"""Every model, imported in one place so migrations and `db.metadata` see them all."""

from survey.accounts.models import Role, User  # noqa: F401
from survey.assessments.models import (  # noqa: F401
    Assessment,
    AssessmentRevision,
    AssessmentScore,
    EvidenceQuote,
    Tag,
)
from survey.audit.models import AuditEvent  # noqa: F401
from survey.mail.models import OutgoingMail, Reminder  # noqa: F401
from survey.organisations.models import Organisation, OrganisationKind  # noqa: F401
from survey.questionnaires.models import (  # noqa: F401
    QuestionType,
    Round,
    RoundQuestion,
    RoundStatus,
)
from survey.reference.models import (  # noqa: F401
    Component,
    ComponentIndicator,
    MaturityLevel,
    RightsArea,
)
from survey.responses.models import (  # noqa: F401
    Answer,
    AnswerRevision,
    DecisionBody,
    EventKind,
    Response,
    ResponseEvent,
    ResponseStatus,
    SelfAssessment,
    Submission,
)
from survey.security.models import LoginFailure  # noqa: F401
