"""The access rule, clause by clause: releasability, level under the equivalence table,
caveats, communities; and a hidden item answers exactly like a missing one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from kizuna.core.models import Person, Role
from kizuna.core.public_ids import new_public_id
from kizuna.core.services import token_issue
from kizuna.sharing import policy
from kizuna.sharing.models import ClassificationLevel, LevelEquivalence, SharedItem

pytestmark = pytest.mark.django_db


def _sees(person: Person, item: SharedItem) -> bool:
    policy.forget_reach(person)
    return policy.visible(person).filter(pk=item.pk).exists()


def test_national_only_item_is_hidden_from_the_other_nation(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    item = share(jp_info, releasable_to=("national_only",))
    assert _sees(jp_info, item)
    assert not _sees(us_info, item)


def test_item_releasable_to_both_is_seen_by_both(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    item = share(jp_info)
    assert _sees(jp_info, item)
    assert _sees(us_info, item)


def test_a_lower_clearance_of_the_same_nation_does_not_cover_a_higher_level(
    jp_info: Person, cleared: Callable, share: Callable
) -> None:
    low = cleared("jp-low", level="jpn-j1")
    item = share(jp_info, level="jpn-j2")
    assert not _sees(low, item)
    assert _sees(cleared("jp-mid", level="jpn-j2"), item)


def test_the_equivalence_table_decides_across_nations(
    jp_info: Person, cleared: Callable, share: Callable
) -> None:
    us_two = cleared("us-two", nation="USA", level="usa-u2")
    item = share(jp_info, level="jpn-j2")
    assert _sees(us_two, item)
    # An administrator removes the equivalence J2 = U2: the US reader loses sight of it.
    LevelEquivalence.objects.filter(level__code="jpn-j2", equivalent__code="usa-u2").delete()
    assert not _sees(us_two, item)
    # U3 still covers J3 only, not J2, until the table says so.
    us_three = cleared("us-three", nation="USA", level="usa-u3")
    assert not _sees(us_three, item)


def test_a_level_without_any_equivalence_is_seen_by_its_own_nation_only(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    ClassificationLevel.objects.create(
        code="jpn-j0", nation_id="JPN", rank=0, name_ja="区分J0", name_en="Level-J0"
    )
    item = share(jp_info, level="jpn-j0")
    assert _sees(jp_info, item)
    assert not _sees(us_info, item)


def test_every_caveat_must_be_held(jp_info: Person, cleared: Callable, share: Callable) -> None:
    one = cleared("one-caveat", caveats=("no-copies",))
    both = cleared("both-caveats", caveats=("no-copies", "originator-controlled"))
    item = share(jp_info, caveats=("no-copies", "originator-controlled"))
    assert not _sees(one, item)
    assert _sees(both, item)


def test_every_community_must_be_held(jp_info: Person, cleared: Callable, share: Callable) -> None:
    space = cleared("space-only", communities=("scwg",))
    item = share(jp_info, communities=("scwg", "bmd"))
    assert not _sees(space, item)
    assert _sees(cleared("space-bmd", communities=("scwg", "bmd")), item)


def test_a_person_without_a_clearance_sees_nothing(
    jp_info: Person, make_person: Callable, share: Callable
) -> None:
    share(jp_info)
    nobody = make_person("uncleared", role=Role.COORDINATOR)
    assert policy.visible(nobody).count() == 0


def test_restrict_works_on_any_marked_queryset(
    jp_info: Person, us_info: Person, share: Callable
) -> None:
    share(jp_info, "国内", releasable_to=("national_only",))
    share(jp_info, "共有")
    restricted = policy.restrict(SharedItem.objects.filter(domain="space"), us_info)
    assert [i.title_ja for i in restricted] == ["共有"]


def test_a_hidden_item_answers_exactly_like_a_missing_one(
    client: Client, jp_info: Person, us_info: Person, share: Callable
) -> None:
    hidden = share(jp_info, releasable_to=("national_only",))
    missing, unknown = new_public_id(), new_public_id()
    client.force_login(us_info)
    token = token_issue(person=us_info, label="t").secret
    for suffix in ("", "translation/", f"attachments/{unknown}/"):
        a = client.get(f"/sharing/{hidden.public_id}/{suffix}")
        b = client.get(f"/sharing/{missing}/{suffix}")
        c = client.get(f"/sharing/{hidden.pk}/{suffix}")  # the key is no address at all
        assert (a.status_code, a.content) == (b.status_code, b.content)
        assert c.status_code == 404
    for suffix in ("", "/history", "/related", "/attachments", f"/attachments/{unknown}"):
        a = client.get(
            f"/api/sharing/items/{hidden.public_id}{suffix}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        b = client.get(
            f"/api/sharing/items/{missing}{suffix}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        c = client.get(
            f"/api/sharing/items/{hidden.pk}{suffix}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert a.status_code == b.status_code == c.status_code == 404
        assert a.json() == b.json() == c.json()


def test_a_clearance_narrowed_in_plain_sql_counts_from_the_next_request(
    client: Client, jp_info: Person, cleared: Callable, share: Callable
) -> None:
    """What a person may read is remembered between requests (core.access); a change made
    outside the application, as a script or another process would make it, still counts at
    once."""
    reader = cleared("caveat-holder", caveats=("no-copies",))
    item = share(jp_info, caveats=("no-copies",))
    client.force_login(reader)
    url = f"/api/sharing/items/{item.public_id}"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # remembered
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM sharing_clearance_caveats WHERE clearance_id IN "
            "(SELECT id FROM sharing_clearance WHERE person_id = %s)",
            [reader.pk],
        )
    assert client.get(url).status_code == 404
