"""The forms both sides of the statements blueprint hand over to, once a route has loaded the
statement and checked who may act: a section's text, the registry's risks, the state changes,
and a body's signatories, approval, publication, registry submission and registry answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request
from flask_wtf import FlaskForm
from wtforms import Field

from tisc.forms.statements import (
    ActionForm,
    ApprovalForm,
    KeepWordsForm,
    PublicationForm,
    RegistryAnswersForm,
    RegistryForm,
    RiskForm,
    SectionForm,
    SignatoriesForm,
    StartForm,
)
from tisc.models import Statement, StatementBody, StatementRisk, StatementSection
from tisc.rules import registry as registry_rules
from tisc.rules.figure_words import FIGURES, unknown_figures
from tisc.rules.money import format_pounds
from tisc.rules.statement_lifecycle import (
    APPROVAL,
    PUBLICATION,
    REGISTRY_SUBMISSION,
    SIGNATORIES,
    Step,
    step_named,
)
from tisc.rules.statements import join_names, placeholders
from tisc.rules.years import FinancialYear
from tisc.services.errors import DomainError
from tisc.services.statements import figure_checks, registry_answers, signoff
from tisc.services.statements import records as statements
from tisc.services.statements.figure_checks import FiguresDisagreeError, statement_findings
from tisc.services.statements.figure_words import figure_values
from tisc.services.statements.figures import statement_figures
from tisc.views.statements import pages
from tisc.web.access import signed_in_user
from tisc.web.saving import expected_version, saving


def start_statement(
    *,
    owner: dict[str, Any],
    year_page: Callable[[FinancialYear], str],
    home: Callable[[Statement], str] | None = None,
) -> Response:
    """Start the chosen year's statement of a body (owner={"org": …}) or a partnership.

    A refusal (one exists already) goes back to the year's page; success goes to the new
    statement's home, by default the year's page too.
    """
    year = pages.statement_year()
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    from_last_year = form.start_from.data != "default"
    with saving() as saved:
        statement = statements.create_statement(
            **owner,
            financial_year=year.start_year,
            user=signed_in_user(),
            from_last_year=from_last_year,
        )
        previous = statements.previous_statement(statement) if from_last_year else None
    if not saved:
        return redirect(year_page(year))
    flash(_start_message(statement, previous), "success")
    return redirect(home(statement) if home else year_page(year))


def _start_message(statement: Statement, previous: Statement | None) -> str:
    """What starting did, and where its text came from."""
    year = FinancialYear(statement.financial_year)
    if previous is not None:
        text = (
            f"The {year.label} statement has been started from the text of the "
            f"{FinancialYear(previous.financial_year).label} statement. Check every section: "
            "it still describes last year until you change it."
        )
    else:
        text = (
            f"The {year.label} statement has been started from the default text. Replace every "
            "placeholder in [square brackets]."
        )
    if any(body.signatory_name for body in statement.bodies):
        text += " The signatories are last year's: check they will sign this year's too."
    return text


# --- shared form handling -------------------------------------------------------------------


def cleared_message(cleared: list[StatementBody]) -> str:
    """What a save adds to its message when it cleared bodies' approval ("" when none)."""
    if not cleared:
        return ""
    names = join_names([b.organisation.name for b in cleared])
    return (
        f" This change cleared the approval of {names}: "
        f"{'it needs' if len(cleared) == 1 else 'they need'} to approve the statement again."
    )


def section_form(
    statement: Statement, section: StatementSection, back: str, keep_url: str
) -> str | Response:
    """Change a section's text (the route has checked who may)."""
    form = SectionForm(obj=section)
    if not form.is_submitted():
        form.version.data = str(section.version_id)
    if form.validate_on_submit():
        with saving(form, field="text", catch_up=section) as saved:
            cleared = statements.update_section(
                section=section,
                text=form.text.data,
                user=signed_in_user(),
                expected_version=expected_version(form),
                today=pages.today(),
            )
        if saved:
            flash(f"“{section.title}” has been saved.{cleared_message(cleared)}", "success")
            return redirect(f"{back}#section-{section.id}")
    return _section_page(statement, section, back, keep_url, form=form)


def _section_page(
    statement: Statement,
    section: StatementSection,
    back: str,
    keep_url: str,
    *,
    form: SectionForm | None = None,
    keep_form: KeepWordsForm | None = None,
) -> str:
    """The section's page: its text to change, the live figures it may name with their
    values now, and what the figure check found in it, each with a form to keep the words."""
    form = form or SectionForm(formdata=None, obj=section, version=str(section.version_id))
    previous = statements.previous_statement(statement)
    last_year = next(
        (
            s.text
            for s in (previous.sections if previous else [])
            if (s.key, s.organisation_id) == (section.key, section.organisation_id)
        ),
        None,
    )
    affected = [
        b.organisation.name
        for b in statement.bodies
        if b.approved_on and section.organisation_id in (None, b.organisation_id)
    ]
    figures = statement_figures(statement=statement, today=pages.today())
    covered = {b.organisation_id for b in figures.bodies}
    values = figure_values(
        figures=figures,
        organisation_id=section.organisation_id if section.organisation_id in covered else None,
    )
    findings = statement_findings(statement=statement, figures=figures, sections=[section])
    keep_forms = {
        f.finding.key: (
            keep_form
            if keep_form is not None and keep_form.finding_key.data == f.finding.key
            else KeepWordsForm(
                formdata=None,
                finding_key=f.finding.key,
                reason=f.kept.reason if f.kept else "",
                prefix=f"keep-{f.finding.key[:8]}",
            )
        )
        for f in findings
    }
    return render_template(
        "statements/section_form.html",
        title=f"Change “{section.title}”",
        form=form,
        error_forms=[form, keep_form],
        statement=statement,
        section=section,
        placeholders=placeholders(section.text),
        unknown=unknown_figures(section.text),
        live_figures=[(f, values[f.name]) for f in FIGURES],
        findings=findings,
        keep_forms=keep_forms,
        keep_url=keep_url,
        last_year=last_year,
        previous_year=FinancialYear(statement.financial_year - 1),
        would_clear=affected,
        back=back,
    )


def keep_words_form(
    statement: Statement, section: StatementSection, back: str, section_url: str, keep_url: str
) -> str | Response:
    """Keep words of the section that the figure check questioned, with a reason (POST from
    the section's page; a refusal shows that page again with the error)."""
    key = request.form.get("finding_key", "")
    form = KeepWordsForm(prefix=f"keep-{key[:8]}")
    form.finding_key.data = key
    if form.validate_on_submit():
        with saving(form, field="reason") as saved:
            kept = figure_checks.keep_words(
                statement=statement,
                section=section,
                finding_key=key,
                reason=form.reason.data,
                user=signed_in_user(),
                today=pages.today(),
            )
        if saved:
            flash(f"These words have been kept: {kept.quoted}", "success")
            return redirect(f"{section_url}#figure-check")
    return _section_page(statement, section, back, keep_url, keep_form=form)


def risk_form(statement: Statement, risk: StatementRisk | None, back: str) -> str | Response:
    """Add or change one of the registry's risks."""
    form = RiskForm(obj=risk)
    if risk is not None and not form.is_submitted():
        form.version.data = str(risk.version_id)
    if form.validate_on_submit():
        values = {
            "description": form.description.data,
            "area": form.area.data,
            "supply_chain_tier": form.supply_chain_tier.data,
            "groups_affected": form.groups_affected.data,
            "location": form.location.data,
            "mitigation": form.mitigation.data,
        }
        with saving(form, field="description", catch_up=risk) as saved:
            if risk is None:
                signoff.add_risk(
                    statement=statement, user=signed_in_user(), today=pages.today(), **values
                )
            else:
                signoff.update_risk(
                    statement=statement,
                    risk=risk,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    today=pages.today(),
                    **values,
                )
        if saved:
            flash("The risk has been saved.", "success")
            return redirect(f"{back}#risks-{statement.id}")
    return render_template(
        "statements/risk_form.html",
        title="Describe a risk" if risk is None else "Change a risk",
        form=form,
        statement=statement,
        approved=[b.organisation.name for b in statement.bodies if b.approved_on],
        back=back,
    )


def risk_page(statement: Statement, risk_id: int | None, remove: bool, back: str) -> str | Response:
    """The risk routes of both sides: describe a new risk (no risk_id), change one, or ask
    and then remove one. Another statement's risk answers 404."""
    risk = None if risk_id is None else signoff.get_risk(statement=statement, risk_id=risk_id)
    if remove and risk is not None:
        return remove_risk_form(statement, risk, back)
    return risk_form(statement, risk, back)


def remove_risk_form(statement: Statement, risk: StatementRisk, back: str) -> str | Response:
    """Ask, then remove a risk."""
    form = ActionForm()
    if not form.is_submitted():
        form.version.data = str(risk.version_id)
    if form.validate_on_submit():
        with saving(form, field="submit", catch_up=risk) as saved:
            signoff.remove_risk(
                statement=statement,
                risk=risk,
                user=signed_in_user(),
                expected_version=expected_version(form),
                today=pages.today(),
            )
        if saved:
            flash("The risk has been removed.", "success")
            return redirect(f"{back}#risks-{statement.id}")
    return render_template(
        "statements/risk_remove.html",
        title="Remove this risk?",
        form=form,
        statement=statement,
        risk=risk,
        back=back,
    )


def change_state(statement: Statement, action: str, back: str) -> Response:
    """Take one of the statement's own steps (action: its name, from the route): send for
    approval, mark approved or mark published. Refusals come back as a banner."""
    step = step_named(action)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    with saving(show=lambda error: _refused(error, statement)) as saved:
        signoff.change_state(
            statement=statement,
            step=step,
            user=signed_in_user(),
            expected_version=expected_version(form),
        )
    if saved:
        flash(step.done, "success")
    return redirect(back)


def _refused(error: DomainError, statement: Statement) -> None:
    """A refused step: words that disagree with the figures in an error summary linking to
    the checklist's list of them, anything else in a banner."""
    if isinstance(error, FiguresDisagreeError):
        flash({"text": error.message, "href": f"#figure-check-{statement.id}"}, "error-summary")
    else:
        flash(error.message, "error")


# --- a body's sign-off ----------------------------------------------------------------------

# Each of a body's steps (tisc.rules.statement_lifecycle): its form, and the field a refusal
# is shown on.
BODY_FORMS: dict[Step, tuple[type[FlaskForm], str]] = {
    SIGNATORIES: (SignatoriesForm, "signatory_name"),
    APPROVAL: (ApprovalForm, "approved_on"),
    PUBLICATION: (PublicationForm, "published_url"),
    REGISTRY_SUBMISSION: (RegistryForm, "submitted_on"),
}


def _save_body(step: Step, form: FlaskForm, body: StatementBody) -> str:
    """Call the service for the step's form; the success message (the step's words)."""
    common = {
        "statement_body": body,
        "user": signed_in_user(),
        "expected_version": expected_version(form),
    }
    if step is SIGNATORIES:
        cleared = signoff.record_signatories(
            signatory_name=form.signatory_name.data,
            signatory_title=form.signatory_title.data,
            second_signatory_name=form.second_signatory_name.data,
            second_signatory_title=form.second_signatory_title.data,
            today=pages.today(),
            **common,
        )
        return f"{step.done}{cleared_message(cleared)}"
    if step is APPROVAL:
        signoff.record_approval(
            approved_on=form.approved_on.data,
            decision_reference=form.decision_reference.data,
            today=pages.today(),
            **common,
        )
        return step.done.format(body=body.organisation.name)
    if step is PUBLICATION:
        became = signoff.record_publication(
            url=form.published_url.data,
            published_on=form.published_on.data,
            today=pages.today(),
            **common,
        )
        return step.done + (step.moved if became else "")
    signoff.record_registry_submission(
        submitted_on=form.submitted_on.data, today=pages.today(), **common
    )
    return step.done


def body_form(step: Step, statement: Statement, body: StatementBody, back: str) -> str | Response:
    """The form of one of a body's steps: signatories, approval, publication or registry."""
    form_class, first_field = BODY_FORMS[step]
    form = form_class(obj=body)
    if not form.is_submitted():
        form.version.data = str(body.version_id)
        if step is REGISTRY_SUBMISSION:
            form.submitted_on.data = body.registry_submitted_on
    if form.validate_on_submit():
        with saving(form, field=first_field, catch_up=body) as saved:
            message = _save_body(step, form, body)
        if saved:
            flash(message, "success")
            return redirect(f"{back}#body-{body.id}")
    return render_template(
        "statements/body_form.html",
        kind=step.name,
        title=step.label,
        # Why the step is not open yet, shown above the form ("not sent for approval yet").
        too_early=step.too_early if step.not_yet(statement.state) else None,
        form=form,
        statement=statement,
        body=body,
        year=FinancialYear(statement.financial_year),
        back=back,
    )


# --- a body's answers to the registry's questions -------------------------------------------


def _answers_from(form: RegistryAnswersForm) -> registry_rules.Answers:
    return registry_rules.Answers(
        sectors=tuple(form.sectors.data or ()),
        years=form.years.data or "",
        choices={key: tuple(form[key].data or ()) for key in registry_rules.QUESTION_KEYS},
        other={
            "policies": form.policies_other.data or "",
            "training": form.training_other.data or "",
        },
        progress=form.progress.data or "",
    )


def _show_answers(form: RegistryAnswersForm, answers: registry_rules.Answers) -> None:
    form.sectors.data = list(answers.sectors)
    form.years.data = answers.years or None
    for key in registry_rules.QUESTION_KEYS:
        form[key].data = list(answers.chosen(key))
    form.policies_other.data = answers.other.get("policies", "")
    form.training_other.data = answers.other.get("training", "")
    form.progress.data = answers.progress


def _checkboxes(form: RegistryAnswersForm, question: registry_rules.Question) -> dict[str, Any]:
    """govukCheckboxes' parameters for one of the registry's questions: its options, "Other"
    with its words revealed where the registry takes them, then "or" and its exclusive "none
    of these" answer."""
    field: Field = form[question.key]
    chosen = set(field.data or ())
    items: list[dict[str, Any]] = [
        {"value": option, "text": option, "checked": option in chosen}
        for option in question.options
    ]
    if question.other_column:
        other: Field = form[f"{question.key}_other"]
        items.append(
            {
                "value": registry_rules.OTHER,
                "text": registry_rules.OTHER,
                "checked": registry_rules.OTHER in chosen,
                "conditional": {"html": other()},
            }
        )
    items.append({"divider": "or"})
    items.append(
        {
            "value": registry_rules.NONE_CHOICE,
            "text": question.none,
            "checked": registry_rules.NONE_CHOICE in chosen,
            "behaviour": "exclusive",
        }
    )
    params: dict[str, Any] = {
        "idPrefix": field.id,
        "name": field.name,
        "fieldset": {"legend": {"text": question.legend, "classes": "govuk-fieldset__legend--m"}},
        "hint": {"text": question.hint},
        "items": items,
        "attributes": {"data-question": question.key},
    }
    if field.errors:
        params["errorMessage"] = {"text": field.errors[0]}
    return params


def answers_form(statement: Statement, body: StatementBody, back: str) -> str | Response:
    """A body's answers to the registry's questions for the statement (the route has checked
    who may). Every problem is shown at once; nothing is saved until there is none."""
    form = RegistryAnswersForm()
    if not form.is_submitted():
        form.version.data = str(body.version_id)
        _show_answers(form, registry_answers.body_answers(statement_body=body))
    if form.validate_on_submit():
        answers = _answers_from(form)
        problems = registry_rules.answer_problems(answers)
        for problem in problems:
            form[problem.field].errors = [*form[problem.field].errors, problem.message]
        form._errors = None  # WTForms caches form.errors
        if not problems:
            with saving(form, field="sectors", catch_up=body) as saved:
                registry_answers.record_registry_answers(
                    statement_body=body,
                    user=signed_in_user(),
                    expected_version=expected_version(form),
                    answers=answers,
                )
            if saved:
                flash(
                    f"The registry answers of {body.organisation.name} have been saved.",
                    "success",
                )
                return redirect(f"{back}#body-{body.id}")
    spend = registry_answers.year_spend(statement_body=body)
    produced = registry_answers.statements_produced(statement_body=body)
    return render_template(
        "statements/answers_form.html",
        title="Answers for the registry",
        form=form,
        statement=statement,
        body=body,
        year=FinancialYear(statement.financial_year),
        questions=[_checkboxes(form, q) for q in registry_rules.QUESTIONS],
        spend=None if spend is None else format_pounds(spend),
        turnover=registry_rules.turnover_band(spend),
        produced=produced,
        counted=registry_rules.years_band(produced),
        back=back,
    )
