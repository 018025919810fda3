"""Prints sales totals per product and per day from a sales CSV."""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from sales import Sale, read_sales


def format_cents(value: int) -> str:
    return f"{value // 100}.{value % 100:02d}"


def totals_by(sales: list[Sale], key) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for sale in sales:
        totals[str(key(sale))] += sale.total_cents
    return dict(sorted(totals.items()))


def print_table(title: str, totals: dict[str, int]) -> None:
    print(title)
    width = max((len(k) for k in totals), default=0)
    for name, value in totals.items():
        print(f"  {name.ljust(width)}  {format_cents(value):>10}")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: report.py SALES_CSV", file=sys.stderr)
        return 2
    sales = read_sales(Path(argv[1]))
    print_table("By product", totals_by(sales, lambda s: s.sku))
    print_table("By day", totals_by(sales, lambda s: s.day))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
