"""The compiled HSDS-UK 3.0 schemas (the importer's copy in openreferral/importer/hsds-uk-3.0/), as the official validator reads them, never fetched.

Their absolute `$ref`s (https://openreferraluk.org/specifications/3.0/schema/...) are served from
the local files by a `referencing` registry that refuses every other address. The published
files' quirks are met here rather than patched: a `"time"` type is read as a string, the
`"datetime"` format as `date-time`. Formats are checked (uri, email, uuid, date, date-time), as
the validator fails a feed on a bad `url` or `email`.
"""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker, validators
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

ORUK = Path(__file__).resolve().parent / "reference"
SCHEMAS = Path(__file__).resolve().parents[2] / "openreferral" / "importer" / "hsds-uk-3.0"
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"

# Which schema each endpoint's answer follows (the standard's openapi.json says the same).
LIST_SCHEMAS = {
    "services": "service_list.json",
    "service_at_locations": "service_at_location_list.json",
    "organizations": "organization_list.json",
    "taxonomies": "taxonomy_list.json",
    "taxonomy_terms": "taxonomy_term_list.json",
}
RECORD_SCHEMAS = {
    "services": "service.json",
    "service_at_locations": "service_at_location.json",
    "organizations": "organization.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}


def require_reference_material() -> None:
    # Kept in the repository, so a clone always has it: missing is a broken checkout, not a skip.
    assert SCHEMAS.is_dir(), f"The Open Referral UK schemas are missing from {SCHEMAS}"


def _retrieve(uri: str) -> Resource:
    if not uri.startswith(SCHEMA_BASE):
        raise NoSuchResource(ref=uri)  # never the network
    path = SCHEMAS / uri.removeprefix(SCHEMA_BASE)
    if not path.is_file():
        raise NoSuchResource(ref=uri)
    return Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012)


def _is_string(checker, instance) -> bool:
    return isinstance(instance, str)


_Validator = validators.extend(
    Draft202012Validator, type_checker=Draft202012Validator.TYPE_CHECKER.redefine("time", _is_string)
)


@cache
def format_checker() -> FormatChecker:
    checker = FormatChecker()
    for name in ("uri", "email", "uuid", "date", "date-time"):
        if name not in checker.checkers:
            raise AssertionError(f"jsonschema cannot check the {name!r} format: install jsonschema[format-nongpl]")
    checker.checkers["datetime"] = checker.checkers["date-time"]
    return checker


@cache
def validator(schema_file: str) -> Draft202012Validator:
    require_reference_material()
    return _Validator({"$ref": SCHEMA_BASE + schema_file}, registry=Registry(retrieve=_retrieve),
                      format_checker=format_checker())


def problems(instance, schema_file: str) -> list[str]:
    """Every way `instance` breaks the schema, as readable lines (none when it conforms)."""
    return [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in validator(schema_file).iter_errors(instance)]


def assert_conforms(instance, schema_file: str, where: str = "") -> None:
    found = problems(instance, schema_file)
    assert not found, f"{where} does not follow {schema_file}:\n" + "\n".join(found[:20])


def mock(folder: str, name: str):
    """A response file the official validator uses (validator-mocks/V3.0-UK-{Default,Warn,Fail})."""
    require_reference_material()
    return json.loads((ORUK / "validator-mocks" / folder / name).read_text())
