#!/usr/bin/env python3
"""Derives Stepwise's compact price table (public/prices.json) from LiteLLM's.

Its input is LiteLLM's model_prices_and_context_window_backup.json, which the PyPI
package `litellm` ships inside it (MIT). The copy the committed table was made from,
litellm 1.109.1, is in tests/fixtures/pricing/ (its SOURCES.md says where it came from).
Only models priced per token (chat, completion, responses, embedding) are kept, with
the eight per-token prices Stepwise uses. To refresh the prices from a newer litellm:

    pip download --no-deps litellm==<version> -d /tmp/litellm
    unzip -o /tmp/litellm/litellm-*.whl \
        'litellm/model_prices_and_context_window_backup.json' -d /tmp/litellm
    python3 scripts/gen-prices.py \
        /tmp/litellm/litellm/model_prices_and_context_window_backup.json "litellm <version>"

With no arguments it regenerates the table from the committed 1.109.1 copy.
"""
import datetime
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "tests" / "fixtures" / "pricing" / "litellm-model-prices.json"
DEFAULT_VERSION = "litellm 1.109.1"
TARGET = ROOT / "public" / "prices.json"
MODES = {"chat", "completion", "responses", "embedding"}
COLUMNS = [
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "output_cost_per_reasoning_token",
    "input_cost_per_audio_token",
    "output_cost_per_audio_token",
    "input_cost_per_image_token",
]


def number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def main():
    if len(sys.argv) > 3 or (len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help")):
        print(__doc__)
        sys.exit(2)
    source = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    version = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_VERSION
    if not source.is_file():
        sys.exit(
            f"gen-prices: no LiteLLM price table at {source}. The PyPI package litellm ships "
            "it as litellm/model_prices_and_context_window_backup.json (see --help)."
        )
    table = json.loads(source.read_text())
    models = {}
    for name, entry in sorted(table.items()):
        if name == "sample_spec" or not isinstance(entry, dict) or entry.get("mode") not in MODES:
            continue
        row = [number(entry.get(column)) for column in COLUMNS]
        if row[0] is None or row[1] is None:
            continue
        models[name] = row
    document = {
        "source": f"LiteLLM model_prices_and_context_window_backup.json, {version} (MIT), "
        f"read from {source.name}",
        "generated_on": datetime.date.today().isoformat(),
        "generated_by": "scripts/gen-prices.py",
        "unit": "USD per token",
        "columns": ["input", "output", "cache_read", "cache_write", "reasoning", "audio_input", "audio_output", "image_input"],
        "models": models,
    }
    text = json.dumps(document, separators=(",", ":"))
    # One model per line keeps diffs of a regenerated table readable.
    text = text.replace('],"', '],\n"')
    TARGET.write_text(text + "\n")
    print(f"{TARGET.relative_to(ROOT)}: {len(models)} models, {len(text)} bytes")


if __name__ == "__main__":
    main()
