from django.urls import path

from . import views

app_name = "exercises"

urlpatterns = [
    path("", views.index, name="index"),
    path("yearly.svg", views.chart, name="chart"),
    path("exercises.csv", views.export_csv, name="export_csv"),
    path("exercises.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<pid:exercise_id>/", views.detail, name="detail"),
]
