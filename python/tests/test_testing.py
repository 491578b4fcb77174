"""varve.testing's fixture: a scratch database migrated to head."""
import os

import pytest

from conftest import REPO


@pytest.fixture
def varve_manifest():
    return os.path.join(REPO, "examples", "blog", "varve.yaml")


def test_database_is_migrated_to_head(varve_database):
    assert varve_database.project.status().counts.pending == 0
    assert varve_database.execute("SELECT count(*) FROM users") == [("0",)]
    varve_database.execute("INSERT INTO users (email, display_name) VALUES ('a@b.c', 'a')")


def test_each_test_has_its_own_database(varve_database):
    assert varve_database.execute("SELECT count(*) FROM users") == [("0",)]


@pytest.mark.parametrize("varve_target", ["0002"])
def test_target_can_be_overridden(varve_database, varve_target):
    assert varve_database.project.current() == ["0002"]
