"""The README's report example, made from a real run, so that it shows what the engine does.

    python scripts/readme_example.py            # print the example
    python scripts/readme_example.py --write    # put it in README.md, between its report-example markers
    python scripts/readme_example.py --check    # exit 1 if README.md shows something else

Run `--write` after any change to what the analysis finds. The example is the report of
examples/yacht-delivery.txt as `scan --format json` gives it without sanctions lists, abridged to
the first few items of each list (the text above the block says how many there are).
tests/test_readme_example.py fails while the README differs from it (apart from the versions of
the data, which change with every edit of the knowledge base or the rules).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ARTICLE = "examples/yacht-delivery.txt"
PUBLISHED = "2024-03-14"
COMMAND = f"sanctionwatch scan {ARTICLE} --published {PUBLISHED} --format json"
SHOWN = {"entities": 4, "events": 1, "flags": 1, "screening": 1}  # items shown of each list
BEGIN = "<!-- report-example: made by scripts/readme_example.py --write; do not edit by hand -->"
END = "<!-- /report-example -->"


def report() -> dict[str, Any]:
    """The report `scan` prints for the example article when no lists are installed."""
    from sanctionwatch.analyze import Analyzer
    from sanctionwatch.sources import ReadOptions, read_inputs

    (article,) = read_inputs([str(ROOT / ARTICLE)], ReadOptions(published=PUBLISHED))
    return Analyzer(screener=None).analyze(article).to_dict()


def _one_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _item(value: Any, indent: str) -> str:
    """A list item: an entity on one line, an event or a flag one field a line."""
    if not isinstance(value, dict) or len(_one_line(value)) <= 200:
        return indent + _one_line(value)
    fields = [f"{_one_line(k)}: {_one_line(v)}" for k, v in value.items()]
    return indent + "{" + f",\n{indent} ".join(fields) + "}"


def example(data: dict[str, Any]) -> str:
    """The Markdown of the example: what it is, then the abridged JSON."""
    counts = {key: len(data[key]) for key in SHOWN}
    abridged = ", ".join(f"{min(counts[k], n)} of {counts[k]} {k}" for k, n in SHOWN.items() if counts[k] > n)
    lines = ["{"]
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = [_item(v, "    ") for v in value[:SHOWN.get(key, len(value))]]
            lines.append(f'  "{key}": [\n' + ",\n".join(items) + "\n  ],")
        else:
            lines.append(f"  {_one_line(key)}: {_one_line(value)},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    note = f" (abridged: {abridged})" if abridged else ""
    return (f"The report of the example article, `{COMMAND}`, with no sanctions lists installed"
            f"{note}:\n\n```json\n" + "\n".join(lines) + "\n```")


def in_readme(text: str) -> str | None:
    """The example as the README shows it, between the markers."""
    found = re.search(re.escape(BEGIN) + r"\n(.*?)\n" + re.escape(END), text, re.S)
    return found.group(1) if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="Put the example in README.md.")
    action.add_argument("--check", action="store_true", help="Exit 1 if README.md shows another.")
    args = parser.parse_args()
    made = example(report())
    readme = README.read_text(encoding="utf-8")
    shown = in_readme(readme)
    if args.write:
        if shown is None:
            print(f"README.md has no {BEGIN!r} … {END!r} markers", file=sys.stderr)
            return 1
        README.write_text(readme.replace(shown, made, 1), encoding="utf-8")
    elif args.check:
        if shown != made:
            print("README.md's report example is out of date: run scripts/readme_example.py --write",
                  file=sys.stderr)
            return 1
    else:
        print(made)
    return 0


if __name__ == "__main__":
    sys.exit(main())
