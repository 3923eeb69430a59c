"""Exercise pages: the list with the yearly table and its chart, one exercise with its
after-action review, lessons across exercises, corrective actions, the exports and the
after-action report. Thin: read through selectors, write through services, render. Every
page carries the exercise-traffic banner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core import exports
from kizuna.core.auth import person_of
from kizuna.core.forms import put_errors
from kizuna.core.models import Person

from . import charts, documents, policy, selectors, services
from .forms import ActionCloseForm, ActionOpenForm, ActionUpdateForm, LessonForm, ObservationForm
from .models import DUE_SOON_DAYS, CorrectiveAction, Exercise, Lesson

T = TypeVar("T")


def _filtered(request: HttpRequest) -> list[Exercise]:
    return list(
        selectors.exercise_list(
            person=person_of(request),
            kind=request.GET.get("kind", ""),
            year=request.GET.get("year", ""),
        )
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    exercises = _filtered(request)
    years = selectors.yearly_table(exercises)
    return render(
        request,
        "exercises/index.html",
        {
            "years": years,
            "chart": charts.yearly_view(years) if years else None,
            "kinds": Exercise.Kind.choices,
            "kind": request.GET.get("kind", ""),
            "year": request.GET.get("year", ""),
            "query": request.GET.urlencode(),
        },
    )


def _attempt(form: BaseForm, action: Callable[[dict[str, Any]], T]) -> T | None:
    """Run a service on a valid form; on refusal its errors go beside the form's fields."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        put_errors(form, error)
        return None


def _detail(
    request: HttpRequest, exercise: Exercise, status: int = 200, **forms: BaseForm
) -> HttpResponse:
    person = person_of(request)
    context: dict[str, Any] = {
        "exercise": exercise,
        **selectors.review_of(person=person, exercise=exercise),
    }
    if policy.may_review(person):
        context["observation_form"] = forms.get("observation_form") or ObservationForm(
            exercise=exercise
        )
        context["lesson_form"] = forms.get("lesson_form") or LessonForm(exercise=exercise)
    return render(request, "exercises/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, exercise_id: str) -> HttpResponse:
    person = person_of(request)
    return _detail(request, selectors.exercise_get(person=person, public_id=exercise_id))


def _require_reviewer(person: Person) -> None:
    """After the record is found (a hidden one is a 404 first): only evaluators write."""
    if not policy.may_review(person):
        raise PermissionDenied


@login_required
@require_POST
def observation_add(request: HttpRequest, exercise_id: str) -> HttpResponse:
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    _require_reviewer(person)
    form = ObservationForm(request.POST, exercise=exercise)
    recorded = _attempt(
        form, lambda data: services.observation_record(actor=person, exercise=exercise, **data)
    )
    if recorded is not None:
        messages.success(request, _("Observation recorded."))
        return redirect("exercises:detail", exercise_id=exercise.public_id)
    return _detail(request, exercise, 422, observation_form=form)


@login_required
@require_POST
def lesson_add(request: HttpRequest, exercise_id: str) -> HttpResponse:
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    _require_reviewer(person)
    form = LessonForm(request.POST, exercise=exercise)
    recorded = _attempt(
        form, lambda data: services.lesson_record(actor=person, exercise=exercise, **data)
    )
    if recorded is not None:
        messages.success(request, _("Lesson recorded: open its corrective actions."))
        return redirect("exercises:lesson", lesson_id=recorded.public_id)
    return _detail(request, exercise, 422, lesson_form=form)


def _lesson_page(
    request: HttpRequest, lesson: Lesson, form: ActionOpenForm | None = None, status: int = 200
) -> HttpResponse:
    person = person_of(request)
    context: dict[str, Any] = {
        "lesson": lesson,
        "exercise": lesson.exercise,
        "actions": selectors.corrective_actions(person=person).filter(lesson=lesson),
    }
    if policy.may_review(person):
        context["form"] = form or ActionOpenForm()
    return render(request, "exercises/lesson.html", context, status=status)


@login_required
def lesson(request: HttpRequest, lesson_id: str) -> HttpResponse:
    person = person_of(request)
    return _lesson_page(request, selectors.lesson_get(person=person, public_id=lesson_id))


@login_required
@require_POST
def action_open(request: HttpRequest, lesson_id: str) -> HttpResponse:
    person = person_of(request)
    found = selectors.lesson_get(person=person, public_id=lesson_id)
    _require_reviewer(person)
    form = ActionOpenForm(request.POST)
    action = _attempt(
        form, lambda data: services.corrective_action_open(actor=person, lesson=found, **data)
    )
    if action is not None:
        messages.success(request, _("Corrective action opened."))
        return redirect("exercises:action", action_id=action.public_id)
    return _lesson_page(request, found, form, 422)


def _action_page(
    request: HttpRequest, action: CorrectiveAction, status: int = 200, **forms: BaseForm
) -> HttpResponse:
    person = person_of(request)
    context: dict[str, Any] = {"action": action, "exercise": action.exercise}
    if action.status != CorrectiveAction.Status.CLOSED and policy.may_carry(person, action):
        context["update_form"] = forms.get("update_form") or ActionUpdateForm(
            initial={"status": action.status}
        )
        context["close_form"] = forms.get("close_form") or ActionCloseForm()
    return render(request, "exercises/action.html", context, status=status)


@login_required
def action(request: HttpRequest, action_id: str) -> HttpResponse:
    return _action_page(
        request, selectors.corrective_action_get(person=person_of(request), public_id=action_id)
    )


def _carried(request: HttpRequest, action_id: str) -> tuple[Person, CorrectiveAction]:
    """The action, for one who may carry it forward (others: 403 once they may read it)."""
    person = person_of(request)
    found = selectors.corrective_action_get(person=person, public_id=action_id)
    if not policy.may_carry(person, found):
        raise PermissionDenied
    return person, found


@login_required
@require_POST
def action_update(request: HttpRequest, action_id: str) -> HttpResponse:
    person, found = _carried(request, action_id)
    form = ActionUpdateForm(request.POST)
    if _attempt(
        form, lambda data: services.corrective_action_update(actor=person, action=found, **data)
    ):
        messages.success(request, _("Corrective action updated."))
        return redirect("exercises:action", action_id=found.public_id)
    return _action_page(request, found, 422, update_form=form)


@login_required
@require_POST
def action_close(request: HttpRequest, action_id: str) -> HttpResponse:
    person, found = _carried(request, action_id)
    form = ActionCloseForm(request.POST)
    if _attempt(
        form, lambda data: services.corrective_action_close(actor=person, action=found, **data)
    ):
        messages.success(request, _("Corrective action closed."))
        return redirect("exercises:action", action_id=found.public_id)
    return _action_page(request, found, 422, close_form=form)


@login_required
def lessons(request: HttpRequest) -> HttpResponse:
    """What keeps recurring across exercises, and every lesson the person reads."""
    person = person_of(request)
    return render(
        request,
        "exercises/lessons.html",
        {
            "recurring": selectors.recurring(person=person),
            "lessons": policy.lessons_visible(person)
            .select_related("exercise", "objective")
            .order_by("-exercise__starts_on", "pk"),
        },
    )


@login_required
def actions(request: HttpRequest) -> HttpResponse:
    state, mine = request.GET.get("state", ""), request.GET.get("mine") == "1"
    return render(
        request,
        "exercises/actions.html",
        {
            "actions": selectors.corrective_actions(
                person=person_of(request), state=state, mine=mine
            ),
            "state": state,
            "mine": mine,
        },
    )


@login_required
def report_pdf(request: HttpRequest, exercise_id: str) -> HttpResponse:
    """The after-action report as a bilingual PDF."""
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    review = selectors.review_of(person=person, exercise=exercise)
    response = HttpResponse(
        documents.after_action_pdf(exercise, **review), content_type="application/pdf"
    )
    name = f"after-action-{exercise.reference}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def home_panel(request: HttpRequest) -> str | None:
    """The owner organization's corrective actions overdue and due soon, on its people's
    first page; nothing when they owe none."""
    person = request.user
    if not isinstance(person, Person) or not policy.may_read(person):
        return None
    owed = selectors.owed_by(person=person)
    if not any(owed.values()):
        return None
    return render_to_string(
        "exercises/_home.html", {"owed": owed, "due_soon_days": DUE_SOON_DAYS}, request=request
    )


@login_required
def chart(request: HttpRequest) -> HttpResponse:
    years = selectors.yearly_table(_filtered(request))
    response = HttpResponse(charts.yearly_svg(years), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return exports.csv_response("exercises.csv", documents.csv_rows(_filtered(request)))


@login_required
def export_xlsx(request: HttpRequest) -> FileResponse:
    exercises = _filtered(request)
    return exports.xlsx_response("exercises.xlsx", lambda into: documents.xlsx(exercises, into))
