from django.urls import path

from . import views

app_name = "exercises"

urlpatterns = [
    path("", views.index, name="index"),
    path("yearly.svg", views.chart, name="chart"),
    path("exercises.csv", views.export_csv, name="export_csv"),
    path("exercises.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<pid:exercise_id>/", views.detail, name="detail"),
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
