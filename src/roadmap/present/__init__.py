"""Presentation: documents, formatters, report rendering."""
