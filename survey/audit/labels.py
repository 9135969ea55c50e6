"""The Swedish name of every audit event, one table for the log page and its filter.

Every action string passed to `survey.audit.services.record` anywhere in the code has a
row here (tests/test_audit_labels.py reads the source to check it). Events of an action
no longer recorded keep their row, so old lines of the log stay readable.
"""

from __future__ import annotations

#: Groups of the event filter, by the first part of the action ("round.open" -> "round").
GROUP_LABELS: dict[str, str] = {
    "login": "Inloggning",
    "logout": "Utloggning",
    "user": "Användare",
    "organisation": "Organisationer",
    "round": "Omgångar",
    "response": "Svar",
    "answer": "Svarstexter",
    "self_assessment": "Självskattning",
    "work": "Utvecklingsarbeten",
    "assessment": "Bedömningar",
    "reminder": "Påminnelser",
    "mail": "E-post",
    "annex": "Bilagan",
    "import": "Import",
}

ACTION_LABELS: dict[str, str] = {
    "login.success": "Inloggning",
    "login.failure": "Misslyckad inloggning",
    "login.throttled": "Inloggning spärrad efter för många försök",
    "logout": "Utloggning",
    "user.create": "Användare skapad",
    "user.password": "Lösenord bytt",
    "user.activate": "Användare aktiverad",
    "user.deactivate": "Användare inaktiverad",
    "organisation.create": "Organisation skapad",
    "organisation.update": "Organisation ändrad",
    "round.create": "Omgång skapad",
    "round.copy": "Omgång skapad som kopia",
    "round.question_edit": "Frågetext ändrad",
    "round.update": "Omgångens titel eller datum ändrade",
    "round.open": "Omgång öppnad",
    "round.close": "Omgång stängd",
    "round.publish_assessments": "Bedömningar publicerade",
    "round.unpublish_assessments": "Bedömningar avpublicerade",
    "round.results_public": "Resultat gjorda offentliga",
    "round.results_not_public": "Resultat gjorda icke-offentliga",
    "response.start": "Svar påbörjat",
    "response.submit": "Svar skickat in",
    "response.submit_reports": "Redovisningar skickade in",
    "response.return": "Svar skickat tillbaka för komplettering",
    "response.tags": "Rättighetsområden sparade",
    "response.export": "Svar exporterat",
    "answer.save": "Svarstext sparad",
    "answer.restore": "Tidigare svarstext återställd",
    "self_assessment.save": "Självskattning sparad",
    "work.components": "Utvecklingsarbetets komponenter sparade",
    "assessment.start": "Bedömning påbörjad",
    "assessment.save": "Bedömning sparad",
    "assessment.quote": "Belägg tillagt",
    "assessment.unquote": "Belägg borttaget",
    "assessment.done": "Bedömning markerad som klar",
    "assessment.reopen": "Bedömning öppnad igen",
    "assessment.moved": "Bedömning flyttad till en ny inlämning",
    "assessment.consensus": "Gemensam bedömning sparad",
    "reminder.send": "Påminnelse skickad",
    "mail.resend": "E-post skickat igen",
    "annex.export": "Bilaga exporterad",
    "import.xlsx": "Import från Excel",
}


def action_label(action: str) -> str:
    """The Swedish name of an action; an action without one is shown as it is stored."""
    return ACTION_LABELS.get(action, action)


def group_of(action: str) -> str:
    return action.split(".", 1)[0]


def event_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(group value, "Alla …" label, [(action, label), …]) for the filter's <select>, in
    the table's order; a group's own value selects all its events."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for action, label in ACTION_LABELS.items():
        groups.setdefault(group_of(action), []).append((action, label))
    return [(group, GROUP_LABELS[group], actions) for group, actions in groups.items()]


def is_known_filter(value: str) -> bool:
    """A value the event filter offers: an action or a group of actions."""
    return value in ACTION_LABELS or value in GROUP_LABELS
