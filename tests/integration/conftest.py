"""Fixtures for the integration tier beyond the shared ones in tests/conftest.py."""

from tests.integration.notify_helpers import push_on, standin  # noqa: F401 (fixtures)
