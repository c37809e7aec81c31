"""Warehouse inventory tools."""
