"""Draw the latencies of benchmark lines as a chart for docs/performance.md.

    .venv/bin/python bench/chart.py docs/perf/sharing.jsonl -o docs/perf/sharing.svg \
        --goal search_filtered=150

Reads JSON lines as the benchmarks print them; every figure holding `p50_ms` and `p95_ms`
(at any depth, named by its path) becomes a pair of bars, one group per line (engine and
size in the label). `--goal NAME=MS` draws a goal line across that figure's bars.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def latencies(figures: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, float, float]]:
    """(name, p50, p95) of every latency summary in one benchmark line."""
    for key, value in figures.items():
        if isinstance(value, dict):
            name = f"{prefix}{key}"
            if "p50_ms" in value and "p95_ms" in value:
                yield name, float(value["p50_ms"]), float(value["p95_ms"])
            else:
                yield from latencies(value, f"{name}.")


def label(figures: dict[str, Any]) -> str:
    """Engine and size, and the line's `run` when it names one (a line added to the file
    by hand may say which code it measured)."""
    size = next((f"{v:,} {k}" for k, v in figures.items() if k in ("items", "entries")), "")
    parts = (figures.get("engine", ""), size, figures.get("run", ""))
    return " · ".join(part for part in parts if part)


def draw(lines: list[dict[str, Any]], goals: dict[str, float], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: a small, diffable file
    import matplotlib.pyplot as plt

    rows = [(label(line), name, p50, p95) for line in lines for name, p50, p95 in latencies(line)]
    figure, axes = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.2))
    positions = range(len(rows))
    axes.barh(positions, [r[3] for r in rows], color="#9db4cc", label="p95")
    axes.barh(positions, [r[2] for r in rows], color="#17324d", label="p50")
    for position, (_group, name, _p50, _p95) in enumerate(rows):
        if name in goals:
            axes.plot([goals[name]] * 2, [position - 0.45, position + 0.45], color="#b22234")
    axes.set_yticks(list(positions), [f"{name}\n{group}" for group, name, _, _ in rows])
    axes.invert_yaxis()
    axes.set_xlabel("milliseconds (red: goal)")
    axes.legend(loc="lower right")
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, format="svg", metadata={"Date": None})
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", type=Path)
    parser.add_argument("-o", "--out", type=Path, required=True)
    parser.add_argument("--goal", action="append", default=[], help="NAME=MS")
    args = parser.parse_args()
    lines = [json.loads(text) for text in args.jsonl.read_text().splitlines() if text.strip()]
    goals = {name: float(ms) for name, ms in (goal.split("=", 1) for goal in args.goal)}
    draw(lines, goals, args.out)


if __name__ == "__main__":
    main()
