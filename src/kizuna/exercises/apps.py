from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExercisesConfig(AppConfig):
    name = "kizuna.exercises"
    label = "exercises"
    verbose_name = _("Exercises and training")
    # The main menu entries this app contributes: (URL name, label).
    nav = (("exercises:index", _("Exercises")),)
    # Exercise areas with a position, on the shared map (sharing.selectors.map_places).
    map_layer = "kizuna.exercises.selectors.areas_on_map"
    # Whose audit events show to whom (core.audit.visible_events): an event of an exercise or
    # of a part of it shows only to an auditor cleared for the exercise's marking.
    audit_scope = {
        "exercises.exercise": "kizuna.exercises.policy.exercises_visible",
        "exercises.participation": "kizuna.exercises.policy.participations_visible",
        "exercises.area": "kizuna.exercises.policy.areas_visible",
        "exercises.objective": "kizuna.exercises.policy.objectives_visible",
    }
