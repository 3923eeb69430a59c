from django.urls import path

from . import views

app_name = "signin"

urlpatterns = [
    path("login/second-factor/", views.verify, name="verify"),
    path("settings/second-factor/", views.enrol, name="enrol"),
    path("settings/second-factor/off/", views.turn_off, name="turn_off"),
    path("settings/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("settings/sessions/end/", views.end_everywhere, name="end_everywhere"),
    path("settings/password/", views.password_change, name="password_change"),
]
