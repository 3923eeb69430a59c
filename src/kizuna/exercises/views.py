"""Exercise pages: the list with the yearly table and its chart, one exercise, the exports.
Thin: read through selectors, render. Every page carries the exercise-traffic banner."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from kizuna.core import exports
from kizuna.core.auth import person_of

from . import charts, documents, selectors
from .models import Exercise


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


@login_required
def detail(request: HttpRequest, exercise_id: str) -> HttpResponse:
    exercise = selectors.exercise_get(person=person_of(request), public_id=exercise_id)
    return render(request, "exercises/detail.html", {"exercise": exercise})


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
