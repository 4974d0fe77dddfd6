"""Feeds read from neighbouring directories."""
