"""Which rows an export takes: sites, 栏目, publication days, a substring of title or body.

Every value is bound as a DuckDB parameter (``$sites``, ``$contains``, ...), never pasted into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ExportFilter:
    sites: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    contains: str | None = None
    columns: list[str] = field(default_factory=list)  # 栏目 names (the ``column`` field)

    def where(self) -> tuple[str, dict]:
        clauses, params = [], {}
        if self.sites:
            clauses.append("list_contains($sites, site)")
            params["sites"] = list(self.sites)
        if self.columns:
            clauses.append('list_contains($columns, "column")')
            params["columns"] = list(self.columns)
        if self.since:
            clauses.append("published_at >= CAST($since AS DATE)")
            params["since"] = self.since.isoformat()
        if self.until:
            clauses.append("published_at < CAST($until AS DATE) + INTERVAL 1 DAY")
            params["until"] = self.until.isoformat()
        if self.contains:
            clauses.append("(contains(title, $contains) OR contains(body_text, $contains))")
            params["contains"] = self.contains
        return (" AND ".join(clauses) or "true"), params

    def describe(self) -> str:
        parts = []
        if self.sites:
            parts.append("sites " + ", ".join(self.sites))
        if self.columns:
            parts.append("栏目 " + ", ".join(self.columns))
        if self.since:
            parts.append(f"published on or after {self.since}")
        if self.until:
            parts.append(f"published on or before {self.until}")
        if self.contains:
            parts.append(f"title or body containing “{self.contains}”")
        return "; ".join(parts) or "none (the whole archive)"

