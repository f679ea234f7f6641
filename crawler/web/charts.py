"""Small SVG charts drawn on the server: a sparkline, bars, stacked bars. No JavaScript, no library
to fetch, so they work offline; every label is escaped. Each bar has a ``<title>`` (hover text)."""

from __future__ import annotations

from markupsafe import Markup, escape

PALETTE = ("#3b6ea8", "#d9822b", "#4c9a5b", "#b94a48", "#7a5ea8", "#8a8a3a", "#2a9d9d", "#a85e7a")


def _svg(width: int, height: int, body: list[str], label: str) -> Markup:
    return Markup(f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                  f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
                  + "".join(body) + "</svg>")


def sparkline(values: list[int], *, width: int = 120, height: int = 24, label: str = "per day") -> Markup:
    """One bar per value, scaled to the largest (all zero: a flat baseline)."""
    n = max(len(values), 1)
    top = max(values or [0]) or 1
    bw = width / n
    body = [f'<line x1="0" y1="{height - 0.5}" x2="{width}" y2="{height - 0.5}" stroke="#bbb"/>']
    for i, v in enumerate(values):
        h = (height - 2) * v / top
        body.append(f'<rect class="bar" x="{i * bw:.1f}" y="{height - 1 - h:.1f}" width="{max(bw - 1, 1):.1f}" '
                    f'height="{h:.1f}" fill="{PALETTE[0]}"><title>{escape(v)}</title></rect>')
    return _svg(width, height, body, label)


def stacked_bars(labels: list[str], series: dict[str, list[int]], *, width: int = 720, height: int = 220,
                 label: str = "chart") -> Markup:
    """One bar per label, one coloured segment per series (a legend below), a y axis with the maximum."""
    left, bottom, legend_h = 36, 34, 18 * ((len(series) + 3) // 4)
    plot_w, plot_h = width - left - 4, height - bottom - legend_h - 6
    totals = [sum(s[i] for s in series.values()) for i in range(len(labels))]
    top = max(totals or [0]) or 1
    n = max(len(labels), 1)
    bw = plot_w / n
    body = [f'<line x1="{left}" y1="{plot_h + 4}" x2="{width}" y2="{plot_h + 4}" stroke="#888"/>',
            f'<text x="{left - 4}" y="12" text-anchor="end" font-size="10">{top}</text>',
            f'<text x="{left - 4}" y="{plot_h + 4}" text-anchor="end" font-size="10">0</text>']
    step = max(1, n // 8)
    for i, lab in enumerate(labels):
        base = plot_h + 4
        x = left + i * bw
        for k, (name, values) in enumerate(series.items()):
            v = values[i]
            if not v:
                continue
            h = plot_h * v / top
            base -= h
            body.append(f'<rect class="bar" x="{x:.1f}" y="{base:.1f}" width="{max(bw - 1, 1):.1f}" height="{h:.1f}" '
                        f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(lab)} {escape(name)}: {v}</title></rect>')
        if i % step == 0:
            body.append(f'<text x="{x + bw / 2:.1f}" y="{plot_h + 18}" text-anchor="middle" font-size="10">'
                        f'{escape(lab)}</text>')
    for k, name in enumerate(series):
        lx, ly = left + (k % 4) * (plot_w / 4), plot_h + bottom + 4 + 18 * (k // 4)
        body.append(f'<rect x="{lx:.1f}" y="{ly - 9}" width="10" height="10" fill="{PALETTE[k % len(PALETTE)]}"/>'
                    f'<text x="{lx + 14:.1f}" y="{ly}" font-size="11">{escape(name)}</text>')
    return _svg(width, height, body, label)


def bars(labels: list[str], values: list[int], *, name: str = "articles", **kw) -> Markup:
    return stacked_bars(labels, {name: values}, **kw)
