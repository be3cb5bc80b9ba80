"""The README's report example is what the engine produces for the example article."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("readme_example", ROOT / "scripts" / "readme_example.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _without_version_numbers(markdown: str) -> str:
    """The example with the versions of the data blanked: they change with every edit of the
    knowledge base or the rules, which is no reason to regenerate it. Their keys still count."""
    found = re.search(r'"versions": (\{.*\})', markdown)
    assert found, "the example shows the report's versions"
    versions = dict.fromkeys(json.loads(found.group(1)), "…")
    return markdown.replace(found.group(1), json.dumps(versions))


def test_the_readme_shows_the_report_the_engine_makes():
    script = _script()
    shown = script.in_readme((ROOT / "README.md").read_text(encoding="utf-8"))
    assert shown is not None, "README.md lost its report-example markers"
    made = script.example(script.report())
    assert _without_version_numbers(shown) == _without_version_numbers(made), (
        "README.md's report example is out of date: run `python scripts/readme_example.py --write`")


def test_the_example_is_valid_json_of_the_report_schema():
    import jsonschema

    from sanctionwatch.report.jsonout import report_schema

    shown = _script().in_readme((ROOT / "README.md").read_text(encoding="utf-8"))
    block = re.search(r"```json\n(.*)\n```", shown, re.S)
    assert block
    jsonschema.validate(json.loads(block.group(1)), report_schema())
