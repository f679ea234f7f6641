"""What both eval tables share (generated corpus: :mod:`tests.eval.harness`; real pages:
:mod:`tests.eval.real`): the interleaved timing run, the threshold check, the time-share line and
the one table printer."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence


def run_interleaved(pages: Sequence, runners: Mapping[str, Callable], systems: Sequence[str],
                    repeat: int = 1) -> dict[str, list]:
    """Every system on every page, interleaved page by page (same run, same load); with ``repeat``
    > 1 each page's answer is the fastest of the runs (its ``ms``)."""
    out: dict[str, list] = {s: [] for s in systems}
    for page in pages:
        for system in systems:
            best = None
            for _ in range(max(1, repeat)):
                answer = runners[system](page)
                if best is None or answer.ms < best.ms:
                    best = answer
            out[system].append(best)
    return out


def missed_thresholds(figures: Mapping[str, float], thresholds: Mapping[str, float], labels: Mapping[str, str],
                      count_key: str, prefix: str = "") -> list[str]:
    """The thresholds missed, as readable lines; ``count_key`` is a count that must not exceed its limit."""
    missed = []
    for key, limit in thresholds.items():
        value = figures[key]
        label = f"{prefix}{labels[key].strip()}"
        if key == count_key:
            if value > limit:
                missed.append(f"{label}: {int(value)} > {limit}")
        elif not value >= limit:
            missed.append(f"{label}: {value:.4f} < {limit}")
    return missed


def print_time_share(medians: Mapping[str, float], limit: float, what: str, out=sys.stdout) -> None:
    """govnews' median time as a share of trafilatura's ``bare_extraction`` (printed, never gated)."""
    if "bare" in medians and "govnews" in medians:
        share = medians["govnews"] / medians["bare"]
        print(f"govnews median time = {share:.2f} of bare_extraction(with_metadata=True)'s "
              f"({'within' if share <= limit else 'OVER'} the {what}; printed, not gated)", file=out)


def print_table(headers: list[str], rows: list[list[str]], out=sys.stdout) -> None:
    """Columns aligned for CJK (wide characters count twice); first column left, others right."""
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        return "  ".join(c + " " * (w - _width(c)) if i == 0 else " " * (w - _width(c)) + c
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    print(line(headers), file=out)
    print(line(["-" * w for w in widths]), file=out)
    for row in rows:
        print(line(row), file=out)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
