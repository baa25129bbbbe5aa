"""Checks a feed's record against the compiled HSDS-UK 3.0 service schema, kept in this package, never fetched.

The schemas' absolute `$ref`s (https://openreferraluk.org/specifications/3.0/schema/...) are served
from `hsds-uk-3.0/` (BSD 3-Clause, Open Referral UK) by a `referencing` registry that refuses every
other address. The published files' quirks are met here rather than patched: a `"time"` type is
read as a string and the `"datetime"` format as `date-time`. Formats (uri, email, uuid, date,
date-time) are checked, as the official validator fails a feed on a bad `url` or `email`.

Most records conform, and finding that out with `jsonschema` costs about 2 ms a record (a fifth of a
10,000-service import). So a record is first checked by `jsonschema-rs` (already installed for
schemathesis), compiled from the same files; only a record it finds fault with is checked again by
`jsonschema`, whose findings are the answer and whose messages the moderator reads. A record passes
exactly when `jsonschema` finds nothing, provided `jsonschema-rs` is at least as strict:
`tests/openreferral_import/test_schema.py` checks that it passes nothing `jsonschema` fails, on the
validator's feeds and on records broken in each way the schema forbids (of 1,495 such records, it
faults 3 that `jsonschema` passes: email addresses with spaces, which `jsonschema` then lets in).
"""

import json
from functools import cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker, validators
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).resolve().parent / "hsds-uk-3.0"
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"


def _refuse(uri: str) -> Resource:
    raise NoSuchResource(ref=uri)  # never the network


@cache
def _registry() -> Registry:
    # Every schema loaded once, up front: a registry that retrieved on demand would read each file
    # again for every record.
    return Registry(retrieve=_refuse).with_resources(
        (SCHEMA_BASE + path.name,
         Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in sorted(SCHEMAS.glob("*.json"))
    ).crawl()


def _is_string(checker, instance) -> bool:
    return isinstance(instance, str)


_Validator = validators.extend(
    Draft202012Validator, type_checker=Draft202012Validator.TYPE_CHECKER.redefine("time", _is_string)
)


@cache
def _validator(schema_file: str) -> Draft202012Validator:
    checker = FormatChecker()
    checker.checkers["datetime"] = checker.checkers["date-time"]
    return _Validator({"$ref": SCHEMA_BASE + schema_file}, registry=_registry(),
                      format_checker=checker)


@cache
def _first_check(schema_file: str) -> jsonschema_rs.Validator:
    contents = [(SCHEMA_BASE + path.name, json.loads(path.read_text().replace('"type": "time"', '"type": "string"')))
                for path in sorted(SCHEMAS.glob("*.json"))]
    checker = FormatChecker()
    return jsonschema_rs.validator_for(
        {"$ref": SCHEMA_BASE + schema_file}, registry=jsonschema_rs.Registry(contents), validate_formats=True,
        formats={"datetime": lambda value: checker.conforms(value, "date-time")}, retriever=_refuse)


def problems(instance, schema_file: str = "service.json") -> list[str]:
    """Every way `instance` breaks the schema, as lines a moderator can act on (none when it conforms)."""
    if _first_check(schema_file).is_valid(instance):
        return []
    return [f"{'/'.join(map(str, error.absolute_path)) or '(the record)'}: {error.message}"
            for error in sorted(_validator(schema_file).iter_errors(instance), key=lambda e: list(e.absolute_path))]
