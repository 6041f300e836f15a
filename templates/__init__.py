"""Shipped network templates (TOML), installed as the package ``worksheet.templates``."""
