"""Writes of the member survey: invitations, the reminder, saving and submitting answers, closing.

Anonymity is kept here: a submitted answer is written as a Response with no link to the person,
the kommun or the token (see models.py), and closing deletes every Invitation.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Contact, Kommun, Population
from outbox.services import queue_email

from .constants import MIN_GROUP, SCALE_MAX, SCALE_MIN, Audience, size_group_of
from .models import Invitation, Question, Response, ResponseAnswer, Survey

# --- Tokens --------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """(token, its hash): 256 random bits; only the hash is stored."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("survey").filter(token_hash=token_hash(token)).first()


def answer_url(token: str) -> str:
    return settings.SITE_URL + reverse("surveys:answer", args=[token])


# --- Audience and invitations --------------------------------------------------------------------


def audience_contacts(survey: Survey) -> list[Contact]:
    """The active contacts with an address in the survey's audience, in the kommuner that are
    members on its opening day; one per address. One query."""
    members = Kommun.objects.members(survey.opens_on).values("pk")
    contacts = Contact.objects.active().filter(kommun__in=members).exclude(email="")
    if survey.audience == Audience.NARINGSLIVSCHEF:
        contacts = contacts.filter(role=Contact.Role.NARINGSLIVSCHEF)
    else:
        contacts = contacts.holding(survey.audience)
    seen, result = set(), []
    for contact in contacts.order_by("kommun_id", "-is_primary", "pk"):
        address = contact.email.strip().lower()
        if address not in seen:
            seen.add(address)
            result.append(contact)
    return result


def _queue(*, kind: str, survey: Survey, contact: Contact, token: str) -> None:
    template = "surveys/email/invitation" if kind == "survey_invitation" else "surveys/email/reminder"
    queue_email(
        kind=kind,
        key=f"survey-{survey.pk}",
        to=contact.email.lower(),
        template=template,
        context={"survey": survey, "url": answer_url(token), "contact_name": contact.name},
    )


def survey_send_invitations(*, survey: Survey) -> int:
    """Invite everyone in the audience not invited yet; returns how many were invited now.

    Exactly once per person: one Invitation per (survey, contact) and the outbox's unique key per
    (kind, address, survey). Running it again invites only people added to the audience since.
    """
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.closed_at is not None:
            return 0
        invited = set(survey.invitations.values_list("contact_id", flat=True))
        created = 0
        for contact in audience_contacts(survey):
            if contact.pk in invited:
                continue
            token, hashed = new_token()
            Invitation.objects.create(survey=survey, contact=contact, token_hash=hashed)
            _queue(kind="survey_invitation", survey=survey, contact=contact, token=token)
            created += 1
        survey.invitations_sent_at = survey.invitations_sent_at or timezone.now()
        survey.invited_count = survey.invitations.count()
        survey.save(update_fields=["invitations_sent_at", "invited_count"])
    return created


def survey_send_reminder(*, survey: Survey) -> int:
    """The one reminder, to those who have not submitted; returns how many were reminded.

    Only the token's hash is stored, so the reminder carries a fresh link (the draft is kept; the
    invitation's link stops working). Sent once: a second call does nothing.
    """
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.reminder_sent_at is not None or survey.closed_at is not None or survey.invitations_sent_at is None:
            return 0
        count = 0
        for invitation in survey.invitations.filter(answered=False).select_related("contact"):
            token, hashed = new_token()
            invitation.token_hash = hashed
            invitation.save(update_fields=["token_hash"])
            _queue(kind="survey_reminder", survey=survey, contact=invitation.contact, token=token)
            count += 1
        survey.reminder_sent_at = timezone.now()
        survey.save(update_fields=["reminder_sent_at"])
    return count


# --- Answers -------------------------------------------------------------------------------------


class AnswerErrors(Exception):
    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__("invalid answers")
        self.errors = errors


def clean_answers(questions: list[Question], data) -> tuple[dict[str, object], dict[int, str]]:
    """Read the posted answers to `questions` ("q<id>" fields): ({question id: value}, {question
    id: message}). An empty answer is left out (whether it may be is submit's question)."""
    values, errors = {}, {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == Question.Kind.MULTIPLE:
            picked = [v for v in data.getlist(name) if v]
            unknown = [v for v in picked if v not in q.choice_list]
            if unknown:
                errors[q.pk] = _("Choose among the choices given.")
            elif picked:
                values[str(q.pk)] = picked
            continue
        raw = (data.get(name) or "").strip()
        if not raw:
            continue
        if q.kind == Question.Kind.SCALE:
            try:
                number = int(raw)
            except ValueError:
                number = None
            if number is None or not SCALE_MIN <= number <= SCALE_MAX:
                errors[q.pk] = _("Choose a whole number from %(low)d to %(high)d.") % {
                    "low": SCALE_MIN,
                    "high": SCALE_MAX,
                }
            else:
                values[str(q.pk)] = number
        elif q.kind == Question.Kind.SINGLE:
            if raw not in q.choice_list:
                errors[q.pk] = _("Choose among the choices given.")
            else:
                values[str(q.pk)] = raw
        else:
            if len(raw) > 10_000:
                errors[q.pk] = _("The answer is too long (at most 10 000 characters).")
            else:
                values[str(q.pk)] = raw
    return values, errors


def _locked_open_invitation(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
    if invitation.answered or not invitation.survey.is_open():
        raise AnswerErrors({0: _("This survey link can no longer be used.")})
    return invitation


def draft_save(*, invitation: Invitation, questions: list[Question], data) -> dict[str, object]:
    """Save the answers of one page into the invitation's draft; nothing on any error."""
    values, errors = clean_answers(questions, data)
    if errors:
        raise AnswerErrors(errors)
    with transaction.atomic():
        invitation = _locked_open_invitation(invitation)
        draft = {k: v for k, v in invitation.draft.items() if k not in {str(q.pk) for q in questions}}
        draft.update(values)
        invitation.draft = draft
        invitation.save(update_fields=["draft"])
    return draft


def _group_attributes(survey: Survey, kommun_id: int) -> tuple[str, str]:
    """(län code, size group) of the kommun, each blank where fewer than MIN_GROUP of the
    survey's invited kommuner share it."""
    kommun_ids = set(survey.invitations.values_list("contact__kommun_id", flat=True))
    lan_of = dict(Kommun.objects.filter(pk__in=kommun_ids).values_list("pk", "lan__code"))
    population = {}
    for row in Population.objects.filter(kommun_id__in=kommun_ids).order_by("kommun_id", "year"):
        population[row.kommun_id] = row.population
    size_of = {k: size_group_of(population.get(k)) for k in kommun_ids}
    lan_counts, size_counts = Counter(lan_of.values()), Counter(size_of.values())
    lan, size = lan_of.get(kommun_id, ""), size_of.get(kommun_id, "")
    return (lan if lan_counts[lan] >= MIN_GROUP else ""), (size if size and size_counts[size] >= MIN_GROUP else "")


def _write_response(*, survey: Survey, answers: dict[str, object], complete: bool, kommun_id: int) -> Response:
    lan, size = _group_attributes(survey, kommun_id)
    questions = {str(q.pk): q for q in survey.questions.all()}
    response = Response.objects.create(survey=survey, complete=complete, lan_code=lan, size_group=size)
    rows = []
    for qid, value in answers.items():
        q = questions.get(qid)
        if q is None:
            continue
        row = ResponseAnswer(response=response, question=q)
        if q.kind == Question.Kind.SCALE:
            row.number = int(value)
        elif q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            row.chosen = value if isinstance(value, list) else [value]
        else:
            row.text = str(value)
        rows.append(row)
    ResponseAnswer.objects.bulk_create(rows)
    return response


def response_submit(*, invitation: Invitation, questions: list[Question], data) -> Response:
    """Submit: the draft with this page's answers becomes a Response with no link to the person,
    the kommun or the token; the invitation keeps only "has answered" and its draft is emptied.
    Refused (nothing changes) on an invalid or missing required answer, a used or closed link."""
    values, errors = clean_answers(questions, data)
    if errors:
        raise AnswerErrors(errors)
    with transaction.atomic():
        invitation = _locked_open_invitation(invitation)
        survey = invitation.survey
        all_questions = list(survey.questions.all())
        answers = {k: v for k, v in invitation.draft.items() if k not in {str(q.pk) for q in questions}}
        answers.update(values)
        missing = {
            q.pk: _("This question needs an answer.") for q in all_questions if q.required and str(q.pk) not in answers
        }
        if missing:
            raise AnswerErrors(missing)
        response = _write_response(
            survey=survey, answers=answers, complete=True, kommun_id=invitation.contact.kommun_id
        )
        invitation.answered = True
        invitation.draft = {}
        invitation.save(update_fields=["answered", "draft"])
    return response


def survey_close(*, survey: Survey) -> int:
    """Close: every unsubmitted draft becomes an incomplete Response (unlinked, as on submit),
    the invited count is kept, and every Invitation is deleted ("has answered" with it).
    Idempotent; returns the number of incomplete responses written."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.closed_at is not None:
            return 0
        invitations = list(survey.invitations.select_related("contact"))
        drafts = [i for i in invitations if not i.answered and i.draft]
        for invitation in drafts:
            _write_response(
                survey=survey, answers=invitation.draft, complete=False, kommun_id=invitation.contact.kommun_id
            )
        survey.invited_count = len(invitations) or survey.invited_count
        survey.closed_at = timezone.now()
        survey.save(update_fields=["invited_count", "closed_at"])
        survey.invitations.all().delete()
    return len(drafts)


def surveys_close_due(*, today=None) -> int:
    """Close every survey past its last day (the periodic task); returns how many were closed."""
    today = today or timezone.localdate()
    due = list(Survey.objects.filter(closed_at__isnull=True, closes_on__lt=today))
    for survey in due:
        survey_close(survey=survey)
    return len(due)


def survey_copy_questions(*, survey: Survey, source: Survey) -> int:
    """Copy another survey's questions (same keys: the answers line up as a trend); returns how
    many were copied. Questions whose key the survey already has are left alone."""
    existing = set(survey.questions.values_list("key", flat=True))
    copies = [
        Question(
            survey=survey,
            order=q.order,
            page=q.page,
            key=q.key,
            text=q.text,
            kind=q.kind,
            low_label=q.low_label,
            high_label=q.high_label,
            choices=q.choices,
            required=q.required,
        )
        for q in source.questions.all()
        if q.key not in existing
    ]
    for q in copies:
        q.save()
    return len(copies)
