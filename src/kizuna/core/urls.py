from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/panels/", views.home_panels, name="home_panels"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<slug:code>/people/", views.organization_roster, name="roster"),
    path("settings/", views.preferences, name="preferences"),
    path("settings/tokens/", views.token_issue, name="token_issue"),
    path("settings/tokens/<pid:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit.csv", views.audit_export, name="audit_csv"),
]
