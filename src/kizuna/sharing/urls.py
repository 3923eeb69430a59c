from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("<pid:item_id>/", views.item_detail, name="detail"),
    path("<pid:item_id>/translation/", views.item_translate, name="translate"),
    path("<pid:item_id>/marking/", views.item_change_marking, name="change_marking"),
    path("<pid:item_id>/attachments/", views.attachment_add, name="attach"),
    path(
        "<pid:item_id>/attachments/<pid:attachment_id>/",
        views.attachment_download,
        name="download",
    ),
    path("changes/", views.pending_changes, name="pending"),
    path("changes/<pid:change_id>/decision/", views.decide_change, name="decide"),
    path("reads/", views.read_audit, name="reads"),
    path("map/", views.shared_map, name="map"),
    path("export/stix/", views.export_stix, name="export_stix"),
    path("import/stix/", views.import_stix, name="import_stix"),
]
