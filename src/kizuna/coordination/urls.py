from django.urls import path

from . import stream, views

app_name = "coordination"

urlpatterns = [
    path("", views.index, name="index"),
    path("situations/new/", views.situation_open, name="situation_open"),
    path("situations/<pid:situation_id>/", views.situation_detail, name="situation"),
    path(
        "situations/<pid:situation_id>/requests/new/",
        views.request_create,
        name="request_create",
    ),
    path("situations/<pid:situation_id>/events", stream.situation_events, name="events"),
    path("situations/<pid:situation_id>/entries/", views.entry_post, name="entry_post"),
    path(
        "situations/<pid:situation_id>/designations/<str:action>/",
        views.designate,
        name="designate",
    ),
    path("situations/<pid:situation_id>/log.csv", views.log_export, name="log_csv"),
    path("situations/<pid:situation_id>/close/", views.situation_close, name="close"),
    path("situations/<pid:situation_id>/requests/", views.requests_panel, name="requests"),
    path(
        "situations/<pid:situation_id>/resources/<slug:measure>.svg",
        views.resources_chart,
        name="chart",
    ),
    path("entries/<pid:entry_id>/", views.entry_row, name="entry"),
    path("entries/<pid:entry_id>/translate/", views.entry_translate, name="translate"),
    path("entries/<pid:entry_id>/vet/", views.entry_vet, name="vet"),
    path("entries/<pid:entry_id>/event-time/", views.entry_event_time, name="event_time"),
    path("requests/<pid:request_id>/", views.request_detail, name="request"),
    path(
        "requests/<pid:request_id>/acsa-order/",
        views.request_acsa_order,
        name="request_acsa_order",
    ),
    path(
        "requests/<pid:request_id>/lines/<pid:line_id>/progress/",
        views.request_line_progress,
        name="line_progress",
    ),
    path("requests/<pid:request_id>/<str:action>/", views.request_action, name="request_action"),
    path("translations/", views.translation_queue, name="translation_queue"),
    path("working-groups/<slug:code>/", views.working_group, name="working_group"),
]
