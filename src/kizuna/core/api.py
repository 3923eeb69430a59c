"""Core API: who I am, my preferences and tokens, the organization directory and rosters."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from . import selectors, services
from .auth import person_of
from .models import ApiToken, Organization, Person

router = Router(tags=["core"])


class MembershipOut(Schema):
    organization: str
    nation: str
    role: str
    position: str


class MeOut(Schema):
    username: str
    name_ja: str
    name_en: str
    language: str
    time_zones: list[str]
    memberships: list[MembershipOut]


class PreferencesIn(Schema):
    language: str | None = None
    time_zones: list[str] | None = Field(default=None, max_length=8)


class OrganizationOut(Schema):
    code: str
    name_ja: str
    name_en: str
    short_name: str
    nation: str
    kind: str
    parent: str | None


class MemberOut(Schema):
    username: str
    name_ja: str
    name_en: str
    role: str
    position: str


class TokenIn(Schema):
    label: str = Field(min_length=1, max_length=80)


class TokenOut(Schema):
    id: str
    label: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class IssuedTokenOut(TokenOut):
    secret: str


def _me(person: Person) -> MeOut:
    return MeOut(
        username=person.username,
        name_ja=person.display_name_ja,
        name_en=person.display_name_en,
        language=person.language,
        time_zones=person.time_zones,
        memberships=[
            MembershipOut(
                organization=m.organization.code,
                nation=m.organization.nation_id,
                role=m.role,
                position=m.position,
            )
            for m in selectors.memberships_of(person)
        ],
    )


def _organization(o: Organization) -> OrganizationOut:
    return OrganizationOut(
        code=o.code,
        name_ja=o.name_ja,
        name_en=o.name_en,
        short_name=o.short_name,
        nation=o.nation_id,
        kind=o.kind,
        parent=o.parent.code if o.parent else None,
    )


def _token(token: ApiToken) -> dict[str, object]:
    return {
        "id": token.public_id,
        "label": token.label,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
    }


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    return _me(person_of(request))


@router.patch("/me/preferences", response=MeOut)
def set_preferences(request: HttpRequest, payload: PreferencesIn) -> MeOut:
    person = services.person_set_preferences(
        person=person_of(request), language=payload.language, time_zones=payload.time_zones
    )
    return _me(person)


@router.get("/organizations", response=list[OrganizationOut])
def organizations(request: HttpRequest) -> list[OrganizationOut]:
    return [_organization(o) for o in selectors.organization_list()]


@router.get("/organizations/{code}", response=OrganizationOut)
def organization(request: HttpRequest, code: str) -> OrganizationOut:
    return _organization(selectors.organization_get(code=code))


@router.get("/organizations/{code}/members", response=list[MemberOut])
def members(request: HttpRequest, code: str) -> list[MemberOut]:
    _, memberships = selectors.roster(person=person_of(request), code=code)
    return [
        MemberOut(
            username=m.person.username,
            name_ja=m.person.display_name_ja,
            name_en=m.person.display_name_en,
            role=m.role,
            position=m.position,
        )
        for m in memberships
    ]


@router.get("/tokens", response=list[TokenOut])
def tokens(request: HttpRequest) -> list[dict[str, object]]:
    return [_token(t) for t in selectors.tokens_of(person_of(request))]


@router.post("/tokens", response={201: IssuedTokenOut})
def issue_token(
    request: HttpRequest, payload: TokenIn, response: HttpResponse
) -> Status[dict[str, object]]:
    # The secret is shown once: neither caches nor the API's idempotent answers keep it.
    response["Cache-Control"] = "no-store"
    issued = services.token_issue(person=person_of(request), label=payload.label)
    return Status(201, {**_token(issued.token), "secret": issued.secret})


@router.delete("/tokens/{token_id}", response={204: None})
def revoke_token(request: HttpRequest, token_id: str) -> Status[None]:
    try:
        services.token_revoke(person=person_of(request), token_id=token_id)
    except ApiToken.DoesNotExist:
        raise HttpError(404, "not found") from None
    return Status(204, None)
