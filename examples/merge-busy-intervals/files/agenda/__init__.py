"""Tiny meeting scheduler."""
