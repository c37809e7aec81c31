"""Dependency-free statistics helpers."""
