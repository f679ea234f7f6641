"""What both eval tables share: running every system on every page side by side,
checking figures against thresholds, and printing an aligned table."""

from __future__ import annotations

import sys

from crawler.output import _width  # display width: CJK characters count two


def run_interleaved(pages, runners: dict, systems, repeat: int = 1) -> dict[str, list]:
    """Every system on every page, interleaved page by page (same run, same load);
    with ``repeat`` > 1 each page's time is the fastest of the runs."""
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


def missed_thresholds(figures: dict[str, float], thresholds: dict[str, float], labels: dict[str, str],
                      count_key: str, prefix: str = "") -> list[str]:
    """The thresholds missed, as readable lines; ``count_key`` is a count that must
    not exceed its limit, every other key a share that must reach it."""
    missed = []
    for key, limit in thresholds.items():
        value = figures[key]
        label = prefix + labels[key].strip()
        if key == count_key:
            if value > limit:
                missed.append(f"{label}: {int(value)} > {limit}")
        elif not value >= limit:
            missed.append(f"{label}: {value:.4f} < {limit}")
    return missed


def time_share_line(medians: dict[str, float], budget: float, budget_name: str) -> str | None:
    """govnews' median time as a share of trafilatura's bare_extraction, or None."""
    if "bare" not in medians or "govnews" not in medians:
        return None
    share = medians["govnews"] / medians["bare"]
    return (f"govnews median time = {share:.2f} of bare_extraction(with_metadata=True)'s "
            f"({'within' if share <= budget else 'OVER'} the {budget_name} target; printed, not gated: load moves it)")


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

