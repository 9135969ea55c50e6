"""The respondent's start page points to stadskontoret's published feedback (issue 14,
finding 6): a section "Stadskontorets återkoppling" with a link per published, assessed
response of the organisation — nothing before publishing, after unpublishing, for a draft
assessment or for another organisation's responses."""

from __future__ import annotations

import pytest
from support.factories import make_assessment, submitted_response

from survey.accounts.models import Role
from survey.assessments.models import AssessmentStatus

HEADING = "Stadskontorets återkoppling"


@pytest.fixture
def assessed(app, make_round, make_user, organisation):
    """ASN's response has a done assessment; FRN's only a draft one; both submitted."""
    round_ = make_round()
    analyst = make_user(Role.ANALYST, None)
    asn = submitted_response(round_, organisation("ASN"), make_user(Role.RESPONDENT, "ASN"))
    frn = submitted_response(round_, organisation("FRN"), make_user(Role.RESPONDENT, "FRN"))
    make_assessment(asn, analyst, 2)
    make_assessment(frn, analyst, 3, status=AssessmentStatus.DRAFT)
    return {"round_id": round_.id, "asn": asn.id, "frn": frn.id}


def start_page_as(client, auth, org: str) -> str:
    auth.logout()
    auth.login_as(Role.RESPONDENT, org)
    page = client.get("/")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def set_published(client, auth, round_id: int, published: bool) -> None:
    auth.logout()
    auth.login_as(Role.ANALYST, None)
    action = "publicera" if published else "avpublicera"
    assert client.post(f"/samstammighet/omgangar/{round_id}/{action}").status_code == 302


def feedback_section(html: str) -> str:
    start = html.index('id="feedback"')
    return html[start:html.index("</section>", start)]


def test_no_feedback_section_before_publishing(client, auth, assessed):
    html = start_page_as(client, auth, "ASN")
    assert HEADING not in html and "/aterkoppling/" not in html


def test_published_feedback_is_linked_from_the_start_page(client, auth, assessed):
    set_published(client, auth, assessed["round_id"], True)
    html = start_page_as(client, auth, "ASN")
    section = feedback_section(html)
    assert f'<h2 id="feedback-heading">{HEADING}</h2>' in section
    link = f'href="/aterkoppling/svar/{assessed["asn"]}"'
    assert link in section and f'/aterkoppling/svar/{assessed["frn"]}' not in html
    # The link leads to the feedback itself.
    assert client.get(f"/aterkoppling/svar/{assessed['asn']}").status_code == 200


def test_other_organisation_and_a_draft_assessment_get_no_section(client, auth, assessed):
    set_published(client, auth, assessed["round_id"], True)
    html = start_page_as(client, auth, "FRN")  # its own assessment is only a draft
    assert HEADING not in html and "/aterkoppling/" not in html
    html = start_page_as(client, auth, "KN")  # no response at all
    assert HEADING not in html and "/aterkoppling/" not in html


def test_unpublishing_removes_the_section(client, auth, assessed):
    set_published(client, auth, assessed["round_id"], True)
    assert HEADING in start_page_as(client, auth, "ASN")
    set_published(client, auth, assessed["round_id"], False)
    html = start_page_as(client, auth, "ASN")
    assert HEADING not in html and "/aterkoppling/" not in html
