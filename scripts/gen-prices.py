#!/usr/bin/env python3
"""Derives Stepwise's compact price table (public/prices.json) from LiteLLM's.

Source: ../shared/pricing/litellm-model-prices.json, which is LiteLLM's
model_prices_and_context_window_backup.json from the PyPI package litellm 1.109.1 (MIT).
Only models priced per token (chat, completion, responses, embedding) are kept, with
the five prices Stepwise uses. Run it again when the shared table changes:

    python3 scripts/gen-prices.py
"""
import datetime
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "pricing" / "litellm-model-prices.json"
TARGET = ROOT / "public" / "prices.json"
MODES = {"chat", "completion", "responses", "embedding"}
COLUMNS = [
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "output_cost_per_reasoning_token",
]


def number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def main():
    table = json.loads(SOURCE.read_text())
    models = {}
    for name, entry in sorted(table.items()):
        if name == "sample_spec" or not isinstance(entry, dict) or entry.get("mode") not in MODES:
            continue
        row = [number(entry.get(column)) for column in COLUMNS]
        if row[0] is None or row[1] is None:
            continue
        models[name] = row
    document = {
        "source": "LiteLLM model_prices_and_context_window_backup.json, litellm 1.109.1 (MIT), "
        "read from shared/pricing/litellm-model-prices.json",
        "generated_on": datetime.date.today().isoformat(),
        "generated_by": "scripts/gen-prices.py",
        "unit": "USD per token",
        "columns": ["input", "output", "cache_read", "cache_write", "reasoning"],
        "models": models,
    }
    text = json.dumps(document, separators=(",", ":"))
    # One model per line keeps diffs of a regenerated table readable.
    text = text.replace('],"', '],\n"')
    TARGET.write_text(text + "\n")
    print(f"{TARGET.relative_to(ROOT)}: {len(models)} models, {len(text)} bytes")


if __name__ == "__main__":
    main()
