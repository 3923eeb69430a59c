from django.urls import path

from . import views

app_name = "exercises"

urlpatterns = [
    path("", views.index, name="index"),
    path("yearly.svg", views.chart, name="chart"),
    path("exercises.csv", views.export_csv, name="export_csv"),
    path("exercises.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<pid:exercise_id>/", views.detail, name="detail"),
    path("<pid:exercise_id>/observations/", views.observation_add, name="observation_add"),
    path(
        "<pid:exercise_id>/observations/<pid:observation_id>/translation/",
        views.observation_translate,
        name="observation_translate",
    ),
    path("<pid:exercise_id>/lessons/", views.lesson_add, name="lesson_add"),
    path("<pid:exercise_id>/after-action.pdf", views.report_pdf, name="report_pdf"),
    path("lessons/", views.lessons, name="lessons"),
    path("lessons/<pid:lesson_id>/", views.lesson, name="lesson"),
    path("lessons/<pid:lesson_id>/actions/", views.action_open, name="action_open"),
    path("actions/", views.actions, name="actions"),
    path("actions/<pid:action_id>/", views.action, name="action"),
    path("actions/<pid:action_id>/update/", views.action_update, name="action_update"),
    path("actions/<pid:action_id>/close/", views.action_close, name="action_close"),
    path("<pid:exercise_id>/console/", views.console, name="console"),
    path("<pid:exercise_id>/console/clock/", views.clock, name="clock"),
    path("<pid:exercise_id>/injects/<pid:inject_id>/", views.inject, name="inject"),
    path(
        "<pid:exercise_id>/injects/<pid:inject_id>/reschedule/",
        views.inject_reschedule,
        name="inject_reschedule",
    ),
    path(
        "<pid:exercise_id>/injects/<pid:inject_id>/respond/",
        views.inject_respond,
        name="inject_respond",
    ),
    path(
        "<pid:exercise_id>/injects/<pid:inject_id>/<slug:step>/",
        views.inject_step,
        name="inject_step",
    ),
]
