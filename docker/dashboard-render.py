#!/usr/bin/env python3
"""Evaluates a Grafana dashboard's Prometheus queries over a time range and draws its panels as one HTML page.

Used by docker/check-dashboard.sh where no Grafana server is available: the queries and panel titles come from the
dashboard JSON unchanged, the numbers from a real Prometheus. Prints one line per query; exits 1 when a panel named
with --require returned no data.
"""
import argparse
import html
import json
import math
import sys
import urllib.parse
import urllib.request

COLOURS = ["#3b82f6", "#f97316", "#10b981", "#ef4444", "#a855f7", "#eab308", "#14b8a6", "#64748b"]


def query_range(prometheus, expr, start, end, step):
    args = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(f"{prometheus}/api/v1/query_range?{args}", timeout=30) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body}")
    series = []
    for result in body["data"]["result"]:
        points = [(float(t), float(v)) for t, v in result["values"] if v not in ("NaN", "+Inf", "-Inf")]
        if points:
            series.append((result["metric"], points))
    return series


def label(metric, target):
    legend = target.get("legendFormat") or ""
    if legend:
        return legend.replace("{{", "{").replace("}}", "}").format_map({k: v for k, v in metric.items()} | _Missing())
    return ",".join(f"{k}={v}" for k, v in metric.items()) or target["expr"][:40]


class _Missing(dict):
    def __missing__(self, key):
        return ""


def svg(series, start, end, width=640, height=220):
    values = [v for _, _, points in series for _, v in points]
    top = max(values) if values else 1.0
    top = top * 1.1 if top > 0 else 1.0
    pad = 40
    parts = [f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f'<rect width="{width}" height="{height}" fill="#111827"/>']
    for i in range(5):
        y = pad / 2 + (height - pad) * i / 4
        value = top * (1 - i / 4)
        parts.append(f'<line x1="{pad}" x2="{width - 5}" y1="{y:.1f}" y2="{y:.1f}" stroke="#374151"/>')
        parts.append(f'<text x="2" y="{y + 4:.1f}" fill="#9ca3af" font-size="10">{value:.3g}</text>')
    for index, (name, _, points) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        path = " ".join(
            f"{pad + (width - pad - 5) * (t - start) / max(end - start, 1):.1f},"
            f"{pad / 2 + (height - pad) * (1 - v / top):.1f}" for t, v in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.6"/>')
        parts.append(f'<text x="{pad + 4 + 150 * (index % 4)}" y="{height - 4 - 12 * (index // 4)}" '
                     f'fill="{colour}" font-size="11">{html.escape(name[:28])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dashboard", required=True)
    parser.add_argument("--prometheus", required=True)
    parser.add_argument("--start", type=float, required=True)
    parser.add_argument("--end", type=float, required=True)
    parser.add_argument("--step", type=float, default=5)
    parser.add_argument("--html", required=True)
    parser.add_argument("--require", action="append", default=[])
    args = parser.parse_args()

    with open(args.dashboard, encoding="utf-8") as file:
        dashboard = json.load(file)
    empty_required = []
    cards = []
    for panel in dashboard["panels"]:
        drawn = []
        for target in panel.get("targets", []):
            expr = target["expr"].replace("$__rate_interval", "1m")
            series = query_range(args.prometheus, expr, args.start, args.end, args.step)
            last = ", ".join(f"{points[-1][1]:.4g}" for _, points in series[:4]) or "no data"
            print(f"{panel['title']} | {expr} | {len(series)} series | last {last}")
            drawn += [(label(metric, target), metric, points) for metric, points in series]
        if not drawn and panel["title"] in args.require:
            empty_required.append(panel["title"])
        cards.append(f'<div class="card"><h2>{html.escape(panel["title"])}</h2>'
                     f'{svg(drawn, args.start, args.end) if drawn else "<p>no data</p>"}</div>')

    with open(args.html, "w", encoding="utf-8") as file:
        file.write("<!doctype html><meta charset=utf-8><style>body{background:#0b0f19;color:#e5e7eb;"
                   "font-family:sans-serif;margin:12px}.grid{display:grid;grid-template-columns:repeat(2,660px);gap:10px}"
                   ".card{background:#1f2937;padding:8px;border-radius:6px}h1{font-size:18px}h2{font-size:13px;margin:2px 0 6px}"
                   "</style>"
                   f"<h1>{html.escape(dashboard.get('title', 'dashboard'))}: the provisioned dashboard's queries, "
                   f"answered by Prometheus over {int(args.end - args.start)} s of <code>moodgrains load</code></h1>"
                   f"<div class=grid>{''.join(cards)}</div>")
    for title in empty_required:
        print(f"EMPTY: {title}", file=sys.stderr)
    return 1 if empty_required else 0


if __name__ == "__main__":
    sys.exit(main())
