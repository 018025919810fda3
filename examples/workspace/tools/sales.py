"""Reads the shop's sales log (CSV) into typed records."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Sale:
    day: date
    sku: str
    quantity: int
    unit_price_cents: int

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


def parse_row(row: dict[str, str]) -> Sale:
    return Sale(
        day=date.fromisoformat(row["day"]),
        sku=row["sku"].strip(),
        quantity=int(row["quantity"]),
        unit_price_cents=int(row["unit_price_cents"]),
    )


def read_sales(path: Path) -> list[Sale]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [parse_row(row) for row in csv.DictReader(handle)]
