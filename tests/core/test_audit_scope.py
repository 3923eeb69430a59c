"""Every marked model's audit events are decided by its app's policy: a new marked model
that its app forgets to name in `audit_scope` would show its events to every auditor."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.apps import apps

from kizuna.core.audit import scoped_types, visible_events
from kizuna.core.models import Role
from kizuna.sharing.models import Marked

pytestmark = pytest.mark.django_db


def test_every_marked_model_is_scoped() -> None:
    marked = {
        model._meta.label_lower
        for model in apps.get_models()
        if issubclass(model, Marked) and not model._meta.abstract
    }
    assert marked
    assert marked <= scoped_types(), marked - scoped_types()


def test_only_auditors_and_administrators_read_the_trail(make_person: Callable) -> None:
    assert visible_events(make_person("coordinator", role=Role.COORDINATOR)).query.is_empty()
    for role in (Role.AUDITOR, Role.ADMINISTRATOR):
        assert not visible_events(make_person(f"p-{role}", role=role)).query.is_empty()
