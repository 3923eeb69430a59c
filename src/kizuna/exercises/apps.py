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
