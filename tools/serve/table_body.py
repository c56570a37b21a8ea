#!/usr/bin/env python3
"""Writes a CSV table as the body of POST /forecast for a forecaster of tables.

    table_body.py CSV OUT --time time [--series-id series] --columns value[,kms,...] [--last N] [--future H]

Each series becomes one object of the table's columns by name: the time column as strings (numbers
when they parse as numbers), the others as numbers, the id column as a string. --last N keeps each
series' last N rows; --future H then drops the target values of the last H of them (the rows whose
features are known ahead), as a table with known-future covariates holds them.
"""
import argparse
import csv
import json
from collections import OrderedDict


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("out")
    ap.add_argument("--time")
    ap.add_argument("--series-id")
    ap.add_argument("--columns", required=True, help="comma-separated numeric columns: the targets first, then the features")
    ap.add_argument("--targets", type=int, default=1, help="how many of --columns are targets (default 1)")
    ap.add_argument("--last", type=int, default=0)
    ap.add_argument("--future", type=int, default=0)
    a = ap.parse_args()
    columns = a.columns.split(",")
    by_id = OrderedDict()
    with open(a.csv, newline="") as f:
        for row in csv.DictReader(f):
            by_id.setdefault(row[a.series_id] if a.series_id else "", []).append(row)
    series = []
    for sid, rows in by_id.items():
        if a.last:
            rows = rows[-a.last:]
        s = OrderedDict()
        if a.series_id:
            s[a.series_id] = sid
        if a.time:
            s[a.time] = [number_or_text(r[a.time]) for r in rows]
        for i, c in enumerate(columns):
            values = [float(r[c]) for r in rows]
            if i < a.targets and a.future:
                values = values[:-a.future]
            s[c] = values
        series.append(s)
    with open(a.out, "w") as f:
        json.dump({"series": series}, f)


def number_or_text(cell):
    try:
        return float(cell) if "." in cell else int(cell)
    except ValueError:
        return cell


if __name__ == "__main__":
    main()
