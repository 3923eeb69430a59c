"""Exercise pages: the list with the yearly table and its chart, one exercise with its
after-action review, lessons across exercises, corrective actions, the exports and the
after-action report, the controller's console and an inject's page. Thin: read through
selectors, write through services, render. Every page carries the exercise-traffic banner.
A refusal of the policy is a 403 (a hidden record a 404); bad input shows beside its field,
nothing written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kizuna.coordination.models import LogEntry
from kizuna.core import exports
from kizuna.core.auth import person_of
from kizuna.core.forms import put_errors
from kizuna.core.models import Person
from kizuna.core.navigation import back_to_next

from . import charts, documents, policy, selectors, services
from .forms import (
    ActionCloseForm,
    ActionOpenForm,
    ActionUpdateForm,
    ClockForm,
    InjectForm,
    LessonForm,
    ObservationForm,
    ResponseForm,
    ScenarioTimeForm,
    TranslationForm,
)
from .models import DUE_SOON_DAYS, CorrectiveAction, Exercise, Inject, Lesson, Observation

T = TypeVar("T")
# Service names of fields as the scenario's forms name them.
_FIELDS = {"scheduled_at": "scheduled_local", "scenario_at": "scenario_local"}


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
    review = selectors.review_of(person=person, exercise=exercise)
    context: dict[str, Any] = {
        "exercise": exercise,
        "may_control": policy.may_control(person, exercise),
        "injects": selectors.injects_of(person=person, exercise=exercise),
        "observation_rows": _observation_rows(
            person, review["observations"], forms.get("translation_form")
        ),
        **review,
    }
    if policy.may_review(person):
        context["observation_form"] = forms.get("observation_form") or ObservationForm(
            exercise=exercise
        )
        context["lesson_form"] = forms.get("lesson_form") or LessonForm(exercise=exercise)
    return render(request, "exercises/detail.html", context, status=status)


def _observation_rows(
    person: Person, observations: list[Observation], refused: BaseForm | None
) -> list[tuple[Observation, TranslationForm | None]]:
    """Each observation with the small form that gives it its translation: for one who may
    translate, beside each observation still without one (the refused one as typed)."""
    translating = policy.may_translate(person)

    def form_for(observation: Observation) -> TranslationForm | None:
        # The refused form first: translated meanwhile by someone else, it still says so.
        if isinstance(refused, TranslationForm) and refused.observation == observation:
            return refused
        if not translating or observation.translation:
            return None
        return TranslationForm(observation=observation)

    return [(o, form_for(o)) for o in observations]


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
def observation_translate(
    request: HttpRequest, exercise_id: str, observation_id: str
) -> HttpResponse:
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    found = selectors.observation_get(person=person, exercise=exercise, public_id=observation_id)
    if not policy.may_translate(person):
        raise PermissionDenied
    form = TranslationForm(request.POST, observation=found)
    translated = _attempt(
        form,
        lambda data: services.observation_translate(actor=person, observation=found, **data),
    )
    if translated is not None:
        messages.success(request, _("Translation recorded."))
        return redirect("exercises:detail", exercise_id=exercise.public_id)
    return _detail(request, exercise, 422, translation_form=form)


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
    """On a person's first page: the exercises under way in situations they take part in,
    under the exercise banner (the real world's situations are coordination's panel), and
    their organization's corrective actions overdue and due soon; nothing when neither."""
    person = request.user
    if not isinstance(person, Person) or not policy.may_read(person):
        return None
    owed = selectors.owed_by(person=person)
    under_way = selectors.under_way(person=person)
    if not any(owed.values()) and not under_way:
        return None
    context = {"owed": owed, "under_way": under_way, "due_soon_days": DUE_SOON_DAYS}
    return render_to_string("exercises/_home.html", context, request=request)


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


# --- the scenario ---------------------------------------------------------------------------


def _console(
    request: HttpRequest,
    exercise: Exercise,
    inject_form: InjectForm | None = None,
    clock_form: ClockForm | None = None,
) -> HttpResponse:
    board = selectors.console(person=person_of(request), exercise=exercise, now=timezone.now())
    return render(
        request,
        "exercises/console.html",
        {
            "exercise": exercise,
            "console": board,
            "inject_form": inject_form or InjectForm(exercise=exercise),
            "clock_form": clock_form or ClockForm(),
            # One small form per row: no ids, so the rows' fields do not share one.
            "schedule_form": ScenarioTimeForm(auto_id=False),
        },
        status=400 if (inject_form or clock_form) else 200,
    )


@login_required
def console(request: HttpRequest, exercise_id: str) -> HttpResponse:
    """The controller's console; a POST adds an inject to the scenario."""
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    if request.method != "POST":
        return _console(request, exercise)
    form = InjectForm(request.POST, exercise=exercise)
    if form.is_valid():
        try:
            services.inject_add(
                actor=person,
                exercise=exercise,
                scheduled_at=form.cleaned_data["scheduled_at"],
                method=form.cleaned_data["method"],
                text_ja=form.cleaned_data["text_ja"],
                text_en=form.cleaned_data["text_en"],
                expected_action_ja=form.cleaned_data["expected_action_ja"],
                expected_action_en=form.cleaned_data["expected_action_en"],
                objective=form.cleaned_data["objective"],
                **form.targets(),
            )
        except ValidationError as error:
            put_errors(form, error, _FIELDS)
        else:
            messages.success(request, _("Inject added to the scenario as a draft."))
            return redirect("exercises:console", exercise_id=exercise.public_id)
    return _console(request, exercise, inject_form=form)


@login_required
@require_POST
def clock(request: HttpRequest, exercise_id: str) -> HttpResponse:
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    form = ClockForm(request.POST)
    if form.is_valid():
        data, action = form.cleaned_data, form.cleaned_data["action"]
        change: dict[str, Callable[[], object]] = {
            "start": lambda: services.clock_start(
                actor=person,
                exercise=exercise,
                scenario_at=data["scenario_at"],
                speed=data["speed"],
            ),
            "pause": lambda: services.clock_pause(actor=person, exercise=exercise),
            "resume": lambda: services.clock_resume(actor=person, exercise=exercise),
            "jump": lambda: services.clock_jump(
                actor=person, exercise=exercise, scenario_at=data["scenario_at"]
            ),
            "speed": lambda: services.clock_speed(
                actor=person, exercise=exercise, speed=data["speed"]
            ),
        }
        try:
            change[action]()
        except ValidationError as error:
            put_errors(form, error, _FIELDS)
        else:
            messages.success(request, _("Exercise clock changed."))
            return redirect("exercises:console", exercise_id=exercise.public_id)
    return _console(request, exercise, clock_form=form)


def _inject_page(
    request: HttpRequest,
    exercise: Exercise,
    inject: Inject,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    person = person_of(request)
    return render(
        request,
        "exercises/inject.html",
        {
            "exercise": exercise,
            "inject": inject,
            "may_control": policy.may_control(person, exercise),
            "may_play": policy.may_play(person, inject),
            "schedule_form": forms.get("schedule_form") or ScenarioTimeForm(),
            "response_form": forms.get("response_form") or ResponseForm(),
        },
        status=status,
    )


def _found(request: HttpRequest, exercise_id: str, inject_id: str) -> tuple[Exercise, Inject]:
    person = person_of(request)
    exercise = selectors.exercise_get(person=person, public_id=exercise_id)
    return exercise, selectors.inject_get(person=person, exercise=exercise, public_id=inject_id)


@login_required
def inject(request: HttpRequest, exercise_id: str, inject_id: str) -> HttpResponse:
    """One inject: a controller sees it from its draft on; a player once it is out."""
    exercise, found = _found(request, exercise_id, inject_id)
    return _inject_page(request, exercise, found)


# Actions without input: (service, message when done, the page to go back to).
_STEPS: dict[str, tuple[Callable[..., Inject], Any, str]] = {
    "approve": (services.inject_approve, gettext_lazy("Inject approved."), "exercises:console"),
    "hold": (services.inject_hold, gettext_lazy("Inject held."), "exercises:console"),
    "fire": (services.inject_fire_now, gettext_lazy("Inject delivered now."), "exercises:console"),
    "acknowledge": (
        services.inject_acknowledge,
        gettext_lazy("Inject acknowledged."),
        "exercises:inject",
    ),
}


@login_required
@require_POST
def inject_step(request: HttpRequest, exercise_id: str, inject_id: str, step: str) -> HttpResponse:
    """Approve, hold, fire now (controllers) or acknowledge (players, on the inject's page or
    beneath its log entry)."""
    if step not in _STEPS:
        raise Http404
    exercise, found = _found(request, exercise_id, inject_id)
    service, done, back = _STEPS[step]
    try:
        service(actor=person_of(request), inject=found)
    except ValidationError as error:
        if _beneath_entry(request):
            return _on_entry_answer(request, exercise, found, problems=error.messages)
        for message in error.messages:
            messages.error(request, message)
    else:
        if _beneath_entry(request):
            return _on_entry_answer(request, exercise, found)
        messages.success(request, done)
    if back == "exercises:console":
        return redirect(back, exercise_id=exercise.public_id)
    return back_to_next(request, reverse(back, args=[exercise.public_id, found.public_id]))


@login_required
@require_POST
def inject_reschedule(request: HttpRequest, exercise_id: str, inject_id: str) -> HttpResponse:
    exercise, found = _found(request, exercise_id, inject_id)
    form = ScenarioTimeForm(request.POST)
    if form.is_valid():
        try:
            services.inject_reschedule(
                actor=person_of(request),
                inject=found,
                scheduled_at=form.cleaned_data["scheduled_at"],
            )
        except ValidationError as error:
            put_errors(form, error, _FIELDS)
        else:
            messages.success(request, _("Inject rescheduled."))
            return redirect("exercises:console", exercise_id=exercise.public_id)
    return _inject_page(request, exercise, found, status=400, schedule_form=form)


@login_required
@require_POST
def inject_respond(request: HttpRequest, exercise_id: str, inject_id: str) -> HttpResponse:
    exercise, found = _found(request, exercise_id, inject_id)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.inject_respond(
                actor=person_of(request), inject=found, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            if _beneath_entry(request):
                return _on_entry_answer(request, exercise, found)
            messages.success(request, _("Answer recorded."))
            return back_to_next(
                request, reverse("exercises:inject", args=[exercise.public_id, found.public_id])
            )
    if _beneath_entry(request):
        return _on_entry_answer(request, exercise, found, response_form=form)
    return _inject_page(request, exercise, found, status=400, response_form=form)


# --- beneath a delivered inject's log entry --------------------------------------------------


def log_entry_parts(request: HttpRequest, entries: Sequence[LogEntry]) -> dict[int, str]:
    """What shows beneath each log entry an inject went out as (coordination asks through
    the AppConfig's `log_entry_parts`): the inject's number and status, and for its players
    the acknowledge and answer forms, so they answer where they read it."""
    # Injects go out only into exercises' logs: a real situation's page asks nothing more.
    in_exercises = [e.pk for e in entries if e.situation.is_exercise]
    if not in_exercises:
        return {}
    delivered = selectors.injects_delivered_as(person=person_of(request), entry_ids=in_exercises)
    return {inject.entry_id: _on_entry(request, inject) for inject in delivered if inject.entry_id}


def _on_entry(
    request: HttpRequest,
    inject: Inject,
    response_form: ResponseForm | None = None,
    problems: Sequence[str] = (),
) -> str:
    assert inject.entry is not None  # only injects gone out as entries are asked for
    assert inject.exercise.situation is not None
    situation_page = reverse("coordination:situation", args=[inject.exercise.situation.public_id])
    context = {
        "inject": inject,
        "may_play": policy.may_play(person_of(request), inject),
        "response_form": response_form or ResponseForm(),
        "problems": problems,
        # Where a browser without scripts comes back to after answering: the entry itself.
        "back": f"{situation_page}#entry-{inject.entry.public_id}",
    }
    return render_to_string("exercises/_inject_on_entry.html", context, request=request)


def _beneath_entry(request: HttpRequest) -> bool:
    """An HTMX request from the forms beneath a log entry, which swap only their part."""
    return bool(request.htmx and (request.htmx.target or "").startswith("inject-on-"))  # type: ignore[attr-defined]


def _on_entry_answer(
    request: HttpRequest, exercise: Exercise, inject: Inject, **shown: Any
) -> HttpResponse:
    """The part beneath the entry as it is now (200 even when refused: htmx swaps only
    successful answers), the refusal beside its field."""
    found = selectors.inject_get(
        person=person_of(request), exercise=exercise, public_id=inject.public_id
    )
    return HttpResponse(_on_entry(request, found, **shown))
