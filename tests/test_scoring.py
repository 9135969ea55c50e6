"""The analyst's assessment page: levels, justifications, quotes, conflicts, done, out of date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from support.assessing import FIRST_TEXT, first_answer_id, form, response_to_assess

from survey.accounts.models import Role
from survey.assessments.models import Assessment, AssessmentStatus, EvidenceQuote
from survey.extensions import db
from survey.reference.services import components
from survey.responses.models import DecisionBody, Response
from survey.responses.services import return_for_completion, save_answer, submit


def resubmit(response_id: int, new_text: str) -> None:
    response = db.session.get(Response, response_id)
    owner = response.submissions[0].submitted_by
    return_for_completion(response, owner, "Komplettera fråga 1.")
    question = response.round.questions[0]
    save_answer(response, question, new_text, response.answer_for(question).version, owner)
    submit(response, owner, DecisionBody.NAMND, dt.date(2024, 2, 2), "ASN-2024-123")
    db.session.commit()


def assessment_of(response_id: int) -> Assessment | None:
    db.session.expire_all()
    return db.session.scalar(select(Assessment).filter_by(response_id=response_id))


ALL_LEVELS = {"MAL": 3, "KUN": 2, "KOM": 2, "MET": 1, "SAM": 2, "KSP": 3, "UPP": 2}


def codes() -> list[str]:
    return [c.code for c in components()]


def test_analyst_starts_and_saves_levels_and_justifications(client, auth, make_round, make_user,
                                                             organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    page = client.get(f"/bedomning/svar/{response_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ingen bedömning påbörjad" in html
    assert f'data-answer-id="{first_answer_id(response_id)}"' in html
    code = codes()[0]
    reply = client.post(f"/bedomning/svar/{response_id}",
                        form(0, {code: 3}, **{f"justification-{code}": "Tydlig rutin."},
                             action="save"))
    assert reply.status_code == 302
    assessment = assessment_of(response_id)
    score = next(s for s in assessment.scores if s.component.code == code)
    assert (score.level, score.justification) == (3, "Tydlig rutin.")
    assert len(assessment.scores) == 7 and assessment.version == 1
    assert assessment.submission_id == db.session.get(Response, response_id).latest_submission.id
    assert [r.action for r in assessment.revisions] == ["save"]
    assert assessment.revisions[0].content["levels"][code] == 3


def test_every_accepted_save_records_a_revision(client, auth, make_round, make_user, organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    url = f"/bedomning/svar/{response_id}"
    code = codes()[0]
    client.post(url, form(0, {code: 1}))
    client.post(url, form(1, {code: 2}))
    client.post(url, form(2, {code: 2}))  # nothing changed: no revision
    revisions = assessment_of(response_id).revisions
    assert [(r.version, r.content["levels"][code]) for r in revisions] == [(2, 2), (1, 1)]


def test_stale_version_is_a_conflict_showing_both_values(client, auth, make_round, make_user,
                                                         organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    url = f"/bedomning/svar/{response_id}"
    code = codes()[0]
    client.post(url, form(0, {code: 2}, **{f"justification-{code}": "Sparad i flik ett."}))
    reply = client.post(url, form(0, {code: 4}, **{f"justification-{code}": "Min nya text."}))
    assert reply.status_code == 409
    html = reply.get_data(as_text=True)
    assert "Min nya text." in html and "Sparad i flik ett." in html
    assert 'name="version" value="1"' in html  # saving again keeps the analyst's values
    score = next(s for s in assessment_of(response_id).scores if s.component.code == code)
    assert (score.level, score.justification) == (2, "Sparad i flik ett.")
    again = client.post(url, form(1, {code: 4}, **{f"justification-{code}": "Min nya text."}))
    assert again.status_code == 302
    score = next(s for s in assessment_of(response_id).scores if s.component.code == code)
    assert (score.level, score.justification) == (4, "Min nya text.")


def test_quote_stores_the_submitted_text_at_the_offsets(client, auth, make_round, make_user,
                                                        organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    answer_id = first_answer_id(response_id)
    code = codes()[1]
    reply = client.post(f"/bedomning/svar/{response_id}", form(
        0, {code: 2}, quote_answer=str(answer_id), **{f"start-{answer_id}": "6",
                                                      f"end-{answer_id}": "57",
                                                      f"target-{answer_id}": code}))
    assert reply.status_code == 302, reply.get_data(as_text=True)
    assessment = assessment_of(response_id)
    [quote] = assessment.quotes
    assert quote.text == FIRST_TEXT[6:57] and quote.component.code == code
    assert not quote.from_suggestion
    assert assessment.score_for(quote.component).level == 2  # unsaved level saved too
    assert [r.action for r in assessment.revisions] == ["quote", "save"]
    assert assessment.revisions[0].content["quotes"][0]["text"] == FIRST_TEXT[6:57]


def test_invalid_offsets_are_refused_in_swedish(client, auth, make_round, make_user,
                                                organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    answer_id = first_answer_id(response_id)
    url = f"/bedomning/svar/{response_id}"
    for start, end in (("10", "5"), ("0", str(len(FIRST_TEXT) + 1)), ("-1", "3"), ("x", "3")):
        reply = client.post(url, form(0, quote_answer=str(answer_id), **{
            f"start-{answer_id}": start, f"end-{answer_id}": end,
            f"target-{answer_id}": codes()[0]}))
        assert reply.status_code == 422
        assert "ligger utanför svarets text" in reply.get_data(as_text=True)
    assert not db.session.scalars(select(EvidenceQuote)).all()


def test_quote_is_highlighted_and_escaped_and_can_be_removed(client, auth, make_round, make_user,
                                                             organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    answer_id = first_answer_id(response_id)
    url = f"/bedomning/svar/{response_id}"
    start = FIRST_TEXT.index("<b>")
    client.post(url, form(0, quote_answer=str(answer_id), **{
        f"start-{answer_id}": str(start), f"end-{answer_id}": str(len(FIRST_TEXT)),
        f"target-{answer_id}": codes()[0]}))
    html = client.get(url).get_data(as_text=True)
    assert "&lt;b&gt;&amp;&lt;/b&gt;</mark></div>" in html
    assert "<b>&</b>" not in html
    assert f'data-answer-id="{answer_id}" data-length="{len(FIRST_TEXT)}">Alla chefer' in html
    quote = db.session.scalars(select(EvidenceQuote)).one()
    version = assessment_of(response_id).version
    reply = client.post(url, form(version, remove_quote=str(quote.id)))
    assert reply.status_code == 302
    assessment = assessment_of(response_id)
    assert assessment.quotes == [] and assessment.revisions[0].action == "unquote"


def test_a_suggestion_is_accepted_as_evidence_but_sets_no_level(client, auth, make_round,
                                                                make_user, organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    url = f"/bedomning/svar/{response_id}"
    html = client.get(url).get_data(as_text=True)
    assert "Förslag" in html and "Använd som belägg" in html
    from survey.suggestions.engine import suggest

    first = suggest(FIRST_TEXT)[0]
    value = f"{first_answer_id(response_id)}:{first.start}:{first.end}:{first.components[0]}"
    assert f'value="{value}"' in html
    assert client.post(url, form(0, suggestion=value)).status_code == 302
    assessment = assessment_of(response_id)
    [quote] = assessment.quotes
    assert quote.from_suggestion and quote.text == FIRST_TEXT[first.start:first.end]
    assert all(s.level is None for s in assessment.scores)


def test_done_requires_all_seven_levels_then_locks_the_assessment(client, auth, make_round,
                                                                  make_user, organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    url = f"/bedomning/svar/{response_id}"
    some = dict(list(ALL_LEVELS.items())[:5])
    reply = client.post(url, form(0, some, action="done"))
    assert reply.status_code == 422
    html = reply.get_data(as_text=True)
    assert "Nivå saknas för" in html and "(KSP)" in html and "(UPP)" in html
    assert "(KOM)" not in html.split("Nivå saknas för")[1].split(".")[0]
    assert assessment_of(response_id).status == AssessmentStatus.DRAFT
    assert client.post(url, form(1, ALL_LEVELS, action="done")).status_code == 302
    assessment = assessment_of(response_id)
    assert assessment.status == AssessmentStatus.DONE and assessment.completed_at is not None
    version = assessment.version
    refused = client.post(url, form(version, {**ALL_LEVELS, "KOM": 0}))
    assert refused.status_code == 422
    assert "markerad som klar" in refused.get_data(as_text=True)
    assert assessment_of(response_id).score_for(
        next(c for c in components() if c.code == "KOM")).level == 2
    assert client.post(url, {"version": str(version), "action": "reopen"}).status_code == 302
    assert assessment_of(response_id).status == AssessmentStatus.DRAFT


def test_returned_and_resubmitted_response_makes_the_assessment_out_of_date(
        client, auth, make_round, make_user, organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    answer_id = first_answer_id(response_id)
    url = f"/bedomning/svar/{response_id}"
    kept, lost = (0, 11), (FIRST_TEXT.index("Barnets"), FIRST_TEXT.index("Barnets") + 19)
    client.post(url, form(0, {"KOM": 3}))
    for start, end in (kept, lost):
        version = assessment_of(response_id).version
        client.post(url, form(version, {"KOM": 3}, quote_answer=str(answer_id), **{
            f"start-{answer_id}": str(start), f"end-{answer_id}": str(end),
            f"target-{answer_id}": "KOM"}))
    assert len(assessment_of(response_id).quotes) == 2
    new_text = FIRST_TEXT[:11] + " – nu med mer text – " + FIRST_TEXT[11:]
    resubmit(response_id, new_text)

    html = client.get(url).get_data(as_text=True)
    assert "Inaktuell – svaret har skickats tillbaka/kompletterats" in html
    assert "Bedöm den nya versionen" in html
    assert "nu med mer text" not in html  # the old submission's text is shown
    version = assessment_of(response_id).version
    assert client.post(url, form(version, {"KOM": 1})).status_code == 422

    assert client.post(url, {"version": str(version), "action": "move"}).status_code == 302
    assessment = assessment_of(response_id)
    assert not assessment.is_out_of_date and assessment.submission.number == 2
    assert [q.text for q in assessment.quotes] == [FIRST_TEXT[:11]]
    assert assessment.revisions[0].action == "moved to submission 2"
    assert assessment.score_for(next(c for c in components() if c.code == "KOM")).level == 3
    assert "nu med mer text" in client.get(url).get_data(as_text=True)


def test_quotes_use_the_submitted_text_not_the_live_answer(client, auth, make_round, make_user,
                                                           organisation):
    response_id = response_to_assess(make_round, make_user, organisation)
    auth.login_as(Role.ANALYST, None)
    url = f"/bedomning/svar/{response_id}"
    client.post(url, form(0))
    response = db.session.get(Response, response_id)
    owner = response.submissions[0].submitted_by
    return_for_completion(response, owner, "Komplettera.")
    question = response.round.questions[0]
    save_answer(response, question, "Helt ny text.", response.answer_for(question).version, owner)
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "Inaktuell" in html and "Helt ny text." not in html
    assert "Bedöm den nya versionen" not in html  # nothing new submitted yet
