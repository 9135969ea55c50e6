"""After a quote, a suggestion or a removed quote, the assessment page brings the analyst back
to the section the evidence belongs to rather than to the top of a long page (issue 14,
finding 2): the redirect's fragment names the component's (or rights areas', or tags')
section, and that section can take focus."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from support.assessing import FIRST_TEXT, first_answer_id, form, response_to_assess
from support.factories import area_ids

from survey.accounts.models import Role
from survey.assessments.models import Assessment, EvidenceQuote, Tag, TagKind
from survey.extensions import db
from survey.reference.services import components
from survey.suggestions.engine import suggest


@pytest.fixture
def page(client, auth, make_round, make_user, organisation):
    """An analyst on the assessment page of ASN's submitted response."""
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    return {"url": f"/bedomning/svar/{response_id}", "response_id": response_id,
            "answer_id": first_answer_id(response_id)}


def version(response_id: int) -> int:
    db.session.expire_all()
    assessment = db.session.scalar(select(Assessment).filter_by(response_id=response_id))
    return assessment.version if assessment else 0


def quote_form(page: dict, target: str, start: int = 6, end: int = 57) -> dict:
    answer_id = page["answer_id"]
    return form(version(page["response_id"]), quote_answer=str(answer_id), **{
        f"start-{answer_id}": str(start), f"end-{answer_id}": str(end),
        f"target-{answer_id}": target})


def redirected_to(reply, page: dict) -> str:
    """The fragment of the redirect back to the assessment page."""
    assert reply.status_code == 302, reply.get_data(as_text=True)
    location = reply.headers["Location"]
    assert location.startswith(page["url"] + "#"), location
    return location.split("#", 1)[1]


def focusable_section(client, url: str, section: str) -> str:
    """The start tag of the page's element with this id; it must take focus from a script
    or a fragment (tabindex="-1") without entering the Tab order."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(rf'<fieldset [^>]*\bid="{re.escape(section)}"[^>]*>', html)
    assert match, f"no section #{section} on the page"
    assert 'tabindex="-1"' in match.group(0)
    return match.group(0)


def tag_of(kind: TagKind) -> Tag:
    return db.session.scalars(select(Tag).filter_by(kind=kind).order_by(Tag.position)).first()


def test_a_quote_returns_to_its_component(client, page):
    code = components()[1].code
    section = redirected_to(client.post(page["url"], quote_form(page, code)), page)
    assert section == f"component-{code}"
    focusable_section(client, page["url"], section)


@pytest.mark.parametrize("position", [0, -1])
def test_each_component_has_a_section_to_return_to(client, page, position):
    code = components()[position].code
    section = redirected_to(client.post(page["url"], quote_form(page, code)), page)
    assert section == f"component-{code}"
    assert 'class="assess-component"' in focusable_section(client, page["url"], section)


def test_an_accepted_suggestion_returns_to_its_component(client, page):
    first = suggest(FIRST_TEXT)[0]
    code = first.components[0]
    value = f"{page['answer_id']}:{first.start}:{first.end}:{code}"
    reply = client.post(page["url"], form(version(page["response_id"]), suggestion=value))
    assert redirected_to(reply, page) == f"component-{code}"
    db.session.expire_all()
    assert db.session.scalars(select(EvidenceQuote)).one().from_suggestion


def test_removing_a_quote_returns_to_its_component(client, page):
    code = components()[2].code
    client.post(page["url"], quote_form(page, code))
    quote = db.session.scalars(select(EvidenceQuote)).one()
    reply = client.post(page["url"], form(version(page["response_id"]),
                                          remove_quote=str(quote.id)))
    assert redirected_to(reply, page) == f"component-{code}"
    db.session.expire_all()
    assert db.session.scalars(select(EvidenceQuote)).all() == []


def test_a_rights_area_quote_returns_to_the_rights_areas(client, page):
    [area] = area_ids("Barnets rättigheter")
    section = redirected_to(client.post(page["url"], quote_form(page, f"area-{area}")), page)
    assert section == "assess-rights-areas"
    focusable_section(client, page["url"], section)
    quote = db.session.scalars(select(EvidenceQuote)).one()
    reply = client.post(page["url"], form(version(page["response_id"]),
                                          remove_quote=str(quote.id)))
    assert redirected_to(reply, page) == "assess-rights-areas"


@pytest.mark.parametrize("kind", list(TagKind))
def test_a_tag_quote_returns_to_its_group_of_tags(client, page, kind):
    tag = tag_of(kind)
    assert tag is not None, f"no seeded tag of kind {kind}"
    section = redirected_to(client.post(page["url"], quote_form(page, f"tag-{tag.id}")), page)
    assert section == f"assess-tags-{kind.value}"
    html = client.get(page["url"]).get_data(as_text=True)
    fieldset = html[html.index(f'id="{section}"'):]
    fieldset = fieldset[:fieldset.index("</fieldset>")]
    assert f'id="tag-{tag.id}"' in fieldset  # the section holds the tag's checkbox
    assert FIRST_TEXT[6:57] in fieldset  # and the quote
    focusable_section(client, page["url"], section)
    quote = db.session.scalars(select(EvidenceQuote)).one()
    reply = client.post(page["url"], form(version(page["response_id"]),
                                          remove_quote=str(quote.id)))
    assert redirected_to(reply, page) == section


@pytest.mark.parametrize("action", ["save", "done"])
def test_saving_the_whole_form_returns_to_the_top(client, page, action):
    """Saving or finishing concerns the whole assessment: no fragment, the message on top."""
    levels = {c.code: 2 for c in components()}
    reply = client.post(page["url"], form(0, levels, action=action))
    assert reply.status_code == 302
    assert reply.headers["Location"] == page["url"]


def test_a_refused_quote_stays_on_the_page_with_the_error(client, page):
    reply = client.post(page["url"], quote_form(page, components()[0].code, start=5, end=5000))
    assert reply.status_code == 422
    assert "ligger utanför svarets text" in reply.get_data(as_text=True)
