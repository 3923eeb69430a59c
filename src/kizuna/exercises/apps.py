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
    # The owner organization's corrective actions overdue and due soon, on its people's
    # first page (core collects these panels).
    home_panel = "kizuna.exercises.views.home_panel"
    # An exercise's situation closes only once no inject is still to go out (coordination's
    # situation_close asks; services.scenario.injects_outstanding names them).
    situation_close_check = "kizuna.exercises.services.injects_outstanding"
    # Beneath a delivered inject's log entry, its status and the players' acknowledge and
    # answer (coordination's log asks; views.log_entry_parts).
    log_entry_parts = "kizuna.exercises.views.log_entry_parts"
    # The task worker delivers due injects twice a second (services.scenario.deliver_due):
    # a scenario run at 720 times real speed moves six scenario minutes in half a second.
    worker_every = (("exercise-delivery", 0.5, "kizuna.exercises.services.deliver_due"),)
    # Whose audit events show to whom (core.audit.visible_events): an event of an exercise or
    # of a part of it shows only to an auditor cleared for the exercise's marking.
    audit_scope = {
        "exercises.exercise": "kizuna.exercises.policy.exercises_visible",
        "exercises.participation": "kizuna.exercises.policy.participations_visible",
        "exercises.area": "kizuna.exercises.policy.areas_visible",
        "exercises.objective": "kizuna.exercises.policy.objectives_visible",
        "exercises.observation": "kizuna.exercises.policy.observations_visible",
        "exercises.lesson": "kizuna.exercises.policy.lessons_visible",
        "exercises.correctiveaction": "kizuna.exercises.policy.corrective_actions_visible",
        "exercises.inject": "kizuna.exercises.policy.injects_visible",
    }
    # What this app's audit action codes mean, for the audit page (core.audit).
    audit_actions = {
        "exercises.series.save": _("Exercise series saved"),
        "exercises.exercise.record": _("Exercise recorded"),
        "exercises.domain.note": _("Note on an exercise's domain recorded"),
        "exercises.participation.record": _("Participation in an exercise recorded"),
        "exercises.area.add": _("Exercise area added"),
        "exercises.objective.add": _("Exercise objective added"),
        "exercises.exercise.situation": _("Exercise linked to its situation"),
        "exercises.observation.record": _("Observation recorded"),
        "exercises.observation.translate": _("Observation translated"),
        "exercises.lesson.record": _("Lesson recorded"),
        "exercises.corrective_action.open": _("Corrective action opened"),
        "exercises.corrective_action.update": _("Corrective action updated"),
        "exercises.corrective_action.close": _("Corrective action closed"),
        "exercises.inject.add": _("Inject added to the scenario"),
        "exercises.inject.approve": _("Inject approved"),
        "exercises.inject.hold": _("Inject held"),
        "exercises.inject.edit": _("Inject edited"),
        "exercises.inject.reschedule": _("Inject rescheduled"),
        "exercises.inject.fire": _("Inject fired now"),
        "exercises.inject.deliver": _("Inject delivered"),
        "exercises.inject.acknowledge": _("Inject acknowledged"),
        "exercises.inject.respond": _("Inject answered"),
        "exercises.clock.start": _("Exercise clock started"),
        "exercises.clock.pause": _("Exercise clock paused"),
        "exercises.clock.resume": _("Exercise clock resumed"),
        "exercises.clock.jump": _("Exercise clock jumped"),
        "exercises.clock.speed": _("Exercise clock speed changed"),
    }
