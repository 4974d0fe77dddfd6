"""Fixtures for the directory's tests."""

from waymark.directory.tests.feed_server import feed_server, test_authority, tls_feed_server

__all__ = ["feed_server", "test_authority", "tls_feed_server"]
