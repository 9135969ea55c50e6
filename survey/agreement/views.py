"""Analysts: agreement over a round's double coding, consensus per response, publishing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import Optional

from survey.accounts.access import analyst_required
from survey.agreement.services import (
    AgreementError,
    consensus_for,
    record_consensus,
    response_pair,
    round_agreement,
)
from survey.analysis.levels import organisations_with_effective_assessments
from survey.assessments.publishing import (
    PublishError,
    has_effective_assessments,
    publish_assessments,
    unpublish_assessments,
)
from survey.audit.services import record
from survey.extensions import db
from survey.forms import BaseForm
from survey.inputs import parse_int
from survey.moved_urls import keep_old_urls
from survey.questionnaires.models import Round
from survey.reference.services import components, maturity_levels
from survey.responses.models import Response

bp = Blueprint("agreement", __name__, url_prefix="/samstammighet")

def consensus_form(pair, items, consensus):
    """A form with a level choice for each differing component and a note for each."""
    levels = maturity_levels()
    choices = [SelectChoice("", "Välj nivå")] + [
        SelectChoice(str(lv.level), f"{lv.level} {lv.name}") for lv in levels]

    class Form(BaseForm):
        pass

    existing = {s.component_id: s for s in consensus.scores} if consensus else {}
    for component in items:
        first, second = pair.levels(component)
        score = existing.get(component.id)
        if first != second:
            setattr(Form, f"level_{component.id}", SelectField(
                f"Gemensam nivå för {component.name}", choices=choices,
                default=str(score.level) if score and score.level is not None else "",
                validators=[Optional()]))
        setattr(Form, f"note_{component.id}", TextAreaField(
            f"Motivering för {component.name}",
            default=score.justification if score else ""))
    return Form()


@bp.get("/omgangar/<int:round_id>")
@analyst_required
def round_page(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    return render_template("agreement/round.html", round=round_,
                           agreement=round_agreement(round_.id), components=components(),
                           can_publish=has_effective_assessments(round_))


@bp.route("/svar/<int:response_id>", methods=["GET", "POST"])
@analyst_required
def consensus(response_id: int):
    response = db.get_or_404(Response, response_id)
    pair = response_pair(response)
    if pair is None:
        abort(404)
    items = components()
    form = consensus_form(pair, items, consensus_for(response))
    if form.validate_on_submit():
        levels = {c.id: _int(form.data.get(f"level_{c.id}")) for c in items}
        notes = {c.id: form.data.get(f"note_{c.id}") or "" for c in items}
        try:
            record_consensus(response, current_user, levels, notes)
        except AgreementError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash("Den gemensamma bedömningen är sparad.", "success")
            return redirect(url_for("agreement.round_page", round_id=response.round_id))
    return render_template("agreement/response.html", response=response, pair=pair,
                           components=items, form=form)


def _int(value) -> int | None:
    return parse_int(str(value)) if value is not None else None


@bp.route("/omgangar/<int:round_id>/publicera", methods=["GET", "POST"])
@analyst_required
def publish(round_id: int):
    """GET: whose assessments would become visible, and a form to confirm; POST: publish."""
    if request.method == "GET":
        round_ = db.get_or_404(Round, round_id)
        return render_template("agreement/publish.html", round=round_,
                               organisations=organisations_with_effective_assessments(round_.id))
    return _change_publication(round_id, publish_assessments,
                               "Bedömningarna är publicerade för organisationerna.")


@bp.post("/omgangar/<int:round_id>/avpublicera")
@analyst_required
def unpublish(round_id: int):
    return _change_publication(round_id, unpublish_assessments,
                               "Publiceringen är återkallad.")


def _change_publication(round_id: int, action, message: str):
    round_ = db.get_or_404(Round, round_id)
    try:
        action(round_, current_user)
    except PublishError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("agreement.round_page", round_id=round_.id))


@bp.post("/omgangar/<int:round_id>/resultat-offentliga")
@analyst_required
def results_public(round_id: int):
    """Make the round's results public (every organisation sees every index) or not.

    The form says which state it wants ("1"/"0"), so a repeated post cannot flip it back.
    """
    round_ = db.get_or_404(Round, round_id)
    wanted = {"1": True, "0": False}.get(request.form.get("public", ""))
    if wanted is None:
        flash("Välj om resultaten ska vara offentliga eller inte.", "error")
        return redirect(url_for("agreement.round_page", round_id=round_.id))
    message = ("Resultaten är offentliga: alla organisationer ser varandras mognadsindex."
               if wanted else "Resultaten är inte längre offentliga.")
    return _change_publication(round_.id, lambda chosen, user: set_results_public(
        chosen, wanted, user), message)


def set_results_public(round_: Round, public: bool, analyst) -> None:
    """Set Round.results_public and audit it. The caller commits."""
    if round_.results_public == public:
        raise PublishError("Resultaten är redan offentliga." if public
                           else "Resultaten är redan icke-offentliga.")
    round_.results_public = public
    record("round.results_public" if public else "round.results_not_public", obj=round_,
           user=analyst, organisation_id=None, detail=round_.title)

# The English addresses these pages had until December 2026.
keep_old_urls(bp, {
    "/samstammighet/responses/<int:response_id>": ".consensus",
    "/samstammighet/rounds/<int:round_id>": ".round_page",
    "/samstammighet/rounds/<int:round_id>/publish": ".publish",
    "/samstammighet/rounds/<int:round_id>/results-public": ".results_public",
    "/samstammighet/rounds/<int:round_id>/unpublish": ".unpublish",
})
