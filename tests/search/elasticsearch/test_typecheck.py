"""The golden request bodies type-check against Elastic's own specification of the API.

Each golden/<name>.json becomes a TypeScript file that assigns the JSON, as an object literal, to
a constant typed with the `@elastic/elasticsearch` client's request types (generated from the
Elasticsearch specification): `estypes.SearchRequest` for searches (the lookup request's
bodies, golden/lookup_*.json, are searches too), `estypes.IndicesCreateRequest` for the index.
`tsc --strict --noEmit` then checks them. Because each literal is assigned directly to the typed
constant, TypeScript's excess-property check applies at every level: a misspelt option is an
error, not a silently ignored key. (Where the specification keys an object by field name, e.g.
`term`, `fuzzy` or `geo_distance`, any key is allowed there, so those keys are checked by
test_queries.py against the mapping instead; the options under them are still checked.)

A deliberately broken body must fail, naming what is wrong: that is what shows the check bites.
Both packages are devDependencies in package.json (`npm install` or `npm ci` at the repo root).
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
from es_samples import GOLDEN_DIR, INDEX_GOLDEN

REPO = Path(__file__).resolve().parents[3]
TSC = REPO / "node_modules" / ".bin" / "tsc"
ELASTIC_TYPES = REPO / "node_modules" / "@elastic" / "elasticsearch"
# tsc prints `file(line,col): error TSnnnn: message`.
DIAGNOSTIC = re.compile(r"^(?P<file>[^(\s]+)\((?P<line>\d+),(?P<column>\d+)\): error (?P<code>TS\d+): (?P<message>.*)$")


def typescript_module(bodies: dict[str, tuple[str, dict]]) -> str:
    """A module with one typed constant per body: name -> (request type, JSON body)."""
    lines = ["import type { estypes } from '@elastic/elasticsearch';", ""]
    for name, (request_type, body) in bodies.items():
        lines.append(f"export const {name}: estypes.{request_type} = {json.dumps(body, indent=2)};")
        lines.append("")
    return "\n".join(lines)


def golden_module(path: Path) -> str:
    body = json.loads(path.read_text(encoding="utf-8"))
    if path.stem == INDEX_GOLDEN:
        return typescript_module({"body": ("IndicesCreateRequest", {"index": "directory-golden", **body})})
    return typescript_module({"body": ("SearchRequest", body)})


def broken_module() -> str:
    """Two bodies from golden ones, each with one mistake; separate constants so both are reported."""
    misspelt = json.loads((GOLDEN_DIR / "partial_match.json").read_text(encoding="utf-8"))
    # "lonely older men": no sample service has "older", so it is asked for as a typo, per field.
    older = misspelt["query"]["bool"]["must"][0]["function_score"]["query"]["bool"]["should"][1]
    options = older["dis_max"]["queries"][0]["fuzzy"]["derived.name_words"]
    options["fuzzines"] = options.pop("fuzziness")
    mistyped = json.loads((GOLDEN_DIR / "text_near_postcode.json").read_text(encoding="utf-8"))
    mistyped["size"] = "20"
    return typescript_module({"misspelt": ("SearchRequest", misspelt), "mistyped": ("SearchRequest", mistyped)})


@pytest.fixture(scope="module")
def diagnostics(tmp_path_factory):
    """Run tsc once over every golden module and the broken one: {file name: [(line text, code, message)]}."""
    if not TSC.exists() or not ELASTIC_TYPES.exists():
        pytest.fail("TypeScript and @elastic/elasticsearch are missing: run `npm install` at the repository root")
    folder = tmp_path_factory.mktemp("typecheck")
    sources = {f"{path.stem}.ts": golden_module(path) for path in sorted(GOLDEN_DIR.glob("*.json"))}
    sources["broken.ts"] = broken_module()
    for file_name, source in sources.items():
        (folder / file_name).write_text(source, encoding="utf-8")
    config = {
        "compilerOptions": {
            "strict": True,
            "noEmit": True,
            "target": "es2022",
            "lib": ["es2022"],  # no DOM: a third of the time otherwise, and bodies need none of it
            "module": "commonjs",
            "moduleResolution": "node10",
            "types": [],
            # Our files are checked in full; the library's own declarations are trusted.
            "skipLibCheck": True,
            # The files live in a temporary folder; the types come from the repository's node_modules.
            "paths": {"@elastic/elasticsearch": [str(ELASTIC_TYPES)]},
        },
        "files": sorted(sources),
    }
    (folder / "tsconfig.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    result = subprocess.run(
        [str(TSC), "--project", str(folder / "tsconfig.json"), "--noEmit", "--strict", "--pretty", "false"],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )
    found: dict[str, list[list[str]]] = {name: [] for name in sources}
    unparsed, latest = [], None
    for line in result.stdout.splitlines():
        match = DIAGNOSTIC.match(line)
        if match:
            file_name = Path(match["file"]).name
            source_line = sources[file_name].splitlines()[int(match["line"]) - 1].strip()
            latest = [source_line, match["code"], match["message"]]
            found[file_name].append(latest)
        elif line.startswith(" ") and latest:
            latest[2] += "\n" + line.strip()  # a multi-line message goes on, down to the innermost reason
        else:
            unparsed.append(line)
    assert not unparsed and result.returncode in (0, 2), f"tsc could not run:\n{result.stdout}\n{result.stderr}"
    return {name: [tuple(error) for error in errors] for name, errors in found.items()}


@pytest.mark.parametrize("name", sorted(path.stem for path in GOLDEN_DIR.glob("*.json")))
def test_golden_body_matches_elastics_request_type(diagnostics, name):
    assert diagnostics[f"{name}.ts"] == []


def test_a_misspelt_option_and_a_wrong_type_fail_the_check(diagnostics):
    (misspelt_at, misspelt_code, misspelt), (mistyped_at, mistyped_code, mistyped) = diagnostics["broken.ts"]
    assert misspelt_code == "TS2322" and misspelt_at == '"fuzzines": 1'
    # `function_score` is a union in the specification, so the message explains down to the typo:
    # the field name keying `fuzzy` may be anything, but its options are checked.
    assert misspelt.endswith(
        """Object literal may only specify known properties, and '"fuzzines"' does not exist in type"""
        " 'QueryDslFuzzyQuery'."
    )
    assert mistyped_code == "TS2322" and mistyped_at == '"size": "20",'
    assert mistyped == "Type 'string' is not assignable to type 'number'."
