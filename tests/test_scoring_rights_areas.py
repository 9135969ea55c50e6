"""The analyst's rights areas start from the organisation's own and are never dropped silently
(issue 14, finding 1): the assessment page, marking done, and the rights-area figures."""

from __future__ import annotations

import re

import pytest
from support.factories import CODES, area_ids, submitted_response
from support.forms import untouched_form

from survey.accounts.models import Role

CHILD = "Barnets rättigheter"
EQUAL = "Jämställdhet"
ELDER = "Äldres rättigheter"


@pytest.fixture
def tagged(app, make_round, make_user, organisation):
    """ASN's submitted response, tagged with children's rights and jämställdhet."""
    round_ = make_round()
    response = submitted_response(round_, organisation("ASN"), make_user(Role.RESPONDENT, "ASN"),
                                  areas=(CHILD, EQUAL))
    return {"round_id": round_.id, "response_id": response.id}


def page_of(client, response_id: int) -> str:
    page = client.get(f"/bedomning/svar/{response_id}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def area_row(html: str, name: str) -> str:
    """The row of the rights-area table for this area."""
    start = html.index(f">{name}</label></th>")
    return html[start:html.index("</tr>", start)]


def with_levels(fields: dict[str, list[str]], level: int = 2, **extra) -> dict:
    """The untouched form with a level chosen for every component (marking done needs
    them) and the pressed button."""
    return {**fields, **{f"level-{code}": [str(level)] for code in CODES}, **extra}


def ranked_count(client, round_id: int, name: str) -> str:
    html = client.get(f"/analys/rattighetsomraden?round={round_id}").get_data(as_text=True)
    ranked = html[html.index('id="ranked-table"'):html.index('id="rounds-heading"')]
    match = re.search(rf'<th scope="row">{name}</th><td class="num">(\d+)</td>', ranked)
    assert match, ranked
    return match.group(1)


def test_a_new_assessment_starts_from_the_organisations_areas(client, auth, tagged):
    auth.login_as(Role.ANALYST, None)
    html = page_of(client, tagged["response_id"])
    child, equal, elder = area_ids(CHILD, EQUAL, ELDER)
    assert untouched_form(html, "assess-form")["rights_area"] == [str(child), str(equal)]
    # The organisation's ticks beside the analyst's, read-only (no field of the form).
    assert 'data-organisation="yes">Ja</td>' in area_row(html, CHILD)
    assert f'id="rights-area-{elder}"' in area_row(html, ELDER)
    assert 'data-organisation="no">Nej</td>' in area_row(html, ELDER)
    assert "rights-area-differences" not in html


def test_marking_done_untouched_keeps_the_organisation_in_the_figures(client, auth, tagged):
    auth.login_as(Role.ANALYST, None)
    url = f"/bedomning/svar/{tagged['response_id']}"
    fields = untouched_form(page_of(client, tagged["response_id"]), "assess-form")
    reply = client.post(url, with_levels(fields, action=["done"]))
    assert reply.status_code == 302
    html = page_of(client, tagged["response_id"])
    assert "Klar" in html and "rights-area-differences" not in html
    assert 'checked' in area_row(html, CHILD) and 'checked' in area_row(html, EQUAL)
    # The done assessment is the one the figures read: it still covers both areas.
    assert ranked_count(client, tagged["round_id"], CHILD) == "1"
    assert ranked_count(client, tagged["round_id"], EQUAL) == "1"
    assert ranked_count(client, tagged["round_id"], ELDER) == "0"


def test_removing_or_adding_an_area_is_shown_as_a_difference(client, auth, tagged):
    auth.login_as(Role.ANALYST, None)
    url = f"/bedomning/svar/{tagged['response_id']}"
    child, elder = area_ids(CHILD, ELDER)
    fields = untouched_form(page_of(client, tagged["response_id"]), "assess-form")
    fields["rights_area"] = [str(child), str(elder)]  # jämställdhet unticked, äldre ticked
    reply = client.post(url, {**fields, "action": ["save"]})
    assert reply.status_code == 302, reply.get_data(as_text=True)
    html = page_of(client, tagged["response_id"])
    notice = html[html.index('id="rights-area-differences"'):]
    notice = notice[:notice.index("</div>")]
    assert f"Du har tagit bort {EQUAL} som organisationen angav." in notice
    assert f"Du har lagt till {ELDER} som organisationen inte angav." in notice
    # The analyst's saved choice stays (the organisation's does not come back by itself),
    # and the organisation's tick is still shown beside it.
    assert untouched_form(html, "assess-form")["rights_area"] == [str(child), str(elder)]
    assert 'data-organisation="yes">Ja</td>' in area_row(html, EQUAL)
    assert "checked" not in area_row(html, EQUAL)
    # Marked done so, the figures count the analyst's reading.
    assert client.post(url, with_levels(untouched_form(html, "assess-form"),
                                        action=["done"])).status_code == 302
    assert ranked_count(client, tagged["round_id"], EQUAL) == "0"
    assert ranked_count(client, tagged["round_id"], ELDER) == "1"


def test_removing_every_area_is_shown_too(client, auth, tagged):
    auth.login_as(Role.ANALYST, None)
    url = f"/bedomning/svar/{tagged['response_id']}"
    fields = untouched_form(page_of(client, tagged["response_id"]), "assess-form")
    del fields["rights_area"]
    assert client.post(url, with_levels(fields, action=["save"])).status_code == 302
    html = page_of(client, tagged["response_id"])
    assert f"Du har tagit bort {CHILD} och {EQUAL} som organisationen angav." in html
    assert "rights_area" not in untouched_form(html, "assess-form")


def test_a_response_without_areas_starts_with_none(client, auth, make_round, make_user,
                                                   organisation):
    response = submitted_response(make_round(), organisation("ASN"),
                                  make_user(Role.RESPONDENT, "ASN"))
    auth.login_as(Role.ANALYST, None)
    html = page_of(client, response.id)
    assert "rights_area" not in untouched_form(html, "assess-form")
    assert "rights-area-differences" not in html
