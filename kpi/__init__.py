"""kpi: outcome KPIs, budget execution and evaluation tables of an R&D fund programme."""

__version__ = "0.1.0"
