"""STIX 2.1 bundles in and out: each item a `report`, its originator an `identity`, its
marking twice: a TLP 2.0 marking for tools that read only TLP, and an ACS 3.0 marking
(the authoritative one) whose permitted nationalities carry the releasability and whose
control set carries the level and the handling caveats. Communities of interest, which
neither standard names, travel as `x_kizuna_communities`.

This module only translates between bundles and plain values; `services.stix_import` and
`selectors.stix_export` decide who may do what.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import stix2
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .marking import Marking
from .models import SharedItem

# Below the request body limit (core.bounds.MAX_BODY_BYTES), so this limit answers first.
MAX_BUNDLE_BYTES = 2 * 1024 * 1024
MAX_BUNDLE_OBJECTS = 5000
NAMESPACE = uuid.UUID("6f1b6c1e-4b1a-5d55-9a63-6b697a756e61")  # fixed: ids stay stable

ACS_EXTENSION = "extension-definition--3a65884d-005a-4290-8335-cb2d778a83ce"
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2 = {
    "amber": ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "TLP:AMBER"),
    "amber+strict": (
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "TLP:AMBER+STRICT",
    ),
    "red": ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "TLP:RED"),
}
REPORT_TYPES = {
    SharedItem.Kind.REPORT: "threat-report",
    SharedItem.Kind.CYBER_ALERT: "threat-report",
    SharedItem.Kind.MARITIME_CONTACT: "observed-data",
    SharedItem.Kind.ISR_REPORT: "observed-data",
    SharedItem.Kind.SPACE_REPORT: "observed-data",
}


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def tlp_of(marking: Marking, originator_nation: str) -> str:
    """TLP is coarser than Kizuna's marking: named communities or caveats make it RED,
    national only AMBER+STRICT, anything wider AMBER."""
    if marking.caveats or marking.communities:
        return "red"
    if set(marking.releasable_to) == {originator_nation}:
        return "amber+strict"
    return "amber"


def _tlp_definition(tlp: str) -> dict[str, Any]:
    marking_id, name = TLP2[tlp]
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": marking_id,
        "created": "2022-10-01T00:00:00.000Z",
        "name": name,
        "extensions": {TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp}},
    }


def _acs_definition(marking: Marking, originator: str, at: datetime) -> dict[str, Any]:
    key = json.dumps(marking.as_json(), sort_keys=True)
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": _id("marking-definition", "acs:" + key),
        "created": "2022-10-01T00:00:00.000Z",
        "name": "ACS 3.0 " + marking.level,
        "extensions": {
            ACS_EXTENSION: {
                "extension_type": "property-extension",
                "identifier": "isa:guide.19001.ACS3-" + str(uuid.uuid5(NAMESPACE, key)),
                "create_date_time": at.isoformat().replace("+00:00", "Z"),
                "responsible_entity_custodian": "KIZUNA",
                "responsible_entity_originator": originator,
                "authority_reference": ["urn:isa:authority:misa"],
                "policy_reference": "urn:isa:policy:acs:ns:v3.0?privdefault=deny&sharedefault=deny",
                "control_set": {
                    "classification": marking.level,
                    "caveat": sorted(marking.caveats),
                },
                "access_privilege": [
                    {
                        "privilege_action": "CISAUSES",
                        "privilege_scope": {
                            "permitted_nationalities": sorted(marking.releasable_to),
                            "permitted_organizations": ["ALL"],
                            "shareability": ["ALL"],
                            "entity": ["ALL"],
                        },
                        "rule_effect": "permit",
                    }
                ],
            }
        },
    }


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def bundle_of(items: list[SharedItem]) -> dict[str, Any]:
    """A STIX 2.1 bundle of `items` (already filtered by the policy), validated by stix2."""
    objects: dict[str, dict[str, Any]] = {}
    for item in items:
        marking = Marking.of(item)
        organization = item.originator
        identity = _id("identity", "org:" + organization.code)
        objects.setdefault(
            identity,
            {
                "type": "identity",
                "spec_version": "2.1",
                "id": identity,
                "created": "2020-01-01T00:00:00.000Z",
                "modified": "2020-01-01T00:00:00.000Z",
                "name": organization.name_en,
                "identity_class": "organization",
                "x_kizuna_organization": organization.code,
                "x_kizuna_nation": organization.nation_id,
            },
        )
        tlp = _tlp_definition(tlp_of(marking, organization.nation_id))
        acs = _acs_definition(marking, organization.code, item.created_at)
        objects.setdefault(tlp["id"], tlp)
        objects.setdefault(acs["id"], acs)
        language = item.original_language
        report_id = item.stix_id or _id("report", f"item:{item.public_id}")
        report: dict[str, Any] = {
            "type": "report",
            "spec_version": "2.1",
            "id": report_id,
            "created": _stamp(item.created_at),
            "modified": _stamp(item.translated_at or item.created_at),
            "published": _stamp(item.created_at),
            "created_by_ref": identity,
            "name": getattr(item, f"title_{language}"),
            "description": getattr(item, f"body_{language}"),
            "lang": language,
            "report_types": [REPORT_TYPES[SharedItem.Kind(item.kind)]],
            "object_refs": [identity],
            "object_marking_refs": [tlp["id"], acs["id"]],
            "x_kizuna_kind": item.kind,
            "x_kizuna_domain": item.domain,
            "x_kizuna_title_ja": item.title_ja,
            "x_kizuna_title_en": item.title_en,
            "x_kizuna_body_ja": item.body_ja,
            "x_kizuna_body_en": item.body_en,
            "x_kizuna_communities": sorted(marking.communities),
        }
        if item.has_position:
            report["x_kizuna_position"] = {"latitude": item.latitude, "longitude": item.longitude}
        if item.observed_at:
            report["x_kizuna_observed_at"] = _stamp(item.observed_at)
        if item.observation:
            report["x_kizuna_observation"] = item.observation
        objects[report_id] = report
    bundle = stix2.v21.Bundle(objects=list(objects.values()), allow_custom=True)
    return json.loads(bundle.serialize())


@dataclass(frozen=True)
class ImportedItem:
    stix_id: str
    organization: str
    kind: str
    domain: str
    original_language: str
    texts: dict[str, str]
    marking: Marking
    latitude: float | None
    longitude: float | None
    observed_at: str | None
    observation: str


def _refuse(reason: str) -> ValidationError:
    return ValidationError({"bundle": reason})


def parse(text: bytes) -> list[ImportedItem]:
    """The items a bundle carries; refuses a bundle that is too large or malformed."""
    if len(text) > MAX_BUNDLE_BYTES:
        raise _refuse(_("The bundle is larger than 2 MB."))
    try:
        raw = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise _refuse(_("The bundle is not valid JSON.")) from None
    if not isinstance(raw, dict) or raw.get("type") != "bundle":
        raise _refuse(_("This is not a STIX bundle."))
    if len(raw.get("objects") or []) > MAX_BUNDLE_OBJECTS:
        raise _refuse(_("The bundle has too many objects."))
    try:
        stix2.parse(raw, allow_custom=True, version="2.1")
    except Exception as error:  # stix2 raises many kinds for a malformed bundle
        raise _refuse(_("The bundle is malformed: %(error)s") % {"error": error}) from None
    objects = {o["id"]: o for o in raw.get("objects", [])}
    return [_item(o, objects) for o in objects.values() if o["type"] == "report"]


def _item(report: dict[str, Any], objects: dict[str, dict[str, Any]]) -> ImportedItem:
    acs = [
        objects[ref]["extensions"][ACS_EXTENSION]
        for ref in report.get("object_marking_refs", [])
        if ACS_EXTENSION in objects.get(ref, {}).get("extensions", {})
    ]
    if len(acs) != 1:
        raise _refuse(
            _("Report %(id)s carries no ACS marking: it has no releasability.")
            % {"id": report["id"]}
        )
    scope = acs[0]["access_privilege"][0]["privilege_scope"]
    identity = objects.get(report.get("created_by_ref", ""), {})
    position = report.get("x_kizuna_position") or {}
    language = report.get("lang", "en") if report.get("lang") in ("ja", "en") else "en"
    texts = {
        "title_ja": report.get("x_kizuna_title_ja", ""),
        "title_en": report.get("x_kizuna_title_en", ""),
        "body_ja": report.get("x_kizuna_body_ja", ""),
        "body_en": report.get("x_kizuna_body_en", ""),
    }
    if not texts[f"title_{language}"]:
        texts[f"title_{language}"] = report.get("name", "")
        texts[f"body_{language}"] = report.get("description", "")
    return ImportedItem(
        stix_id=report["id"],
        organization=identity.get("x_kizuna_organization", ""),
        kind=report.get("x_kizuna_kind", SharedItem.Kind.REPORT),
        domain=report.get("x_kizuna_domain", "cyber"),
        original_language=language,
        texts=texts,
        marking=Marking(
            level=acs[0].get("control_set", {}).get("classification", ""),
            releasable_to=tuple(scope.get("permitted_nationalities", [])),
            caveats=tuple(acs[0].get("control_set", {}).get("caveat", [])),
            communities=tuple(report.get("x_kizuna_communities", [])),
        ),
        latitude=position.get("latitude"),
        longitude=position.get("longitude"),
        observed_at=report.get("x_kizuna_observed_at"),
        observation=report.get("x_kizuna_observation", ""),
    )
