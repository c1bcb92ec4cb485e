"""`staff_choices`: the one list of colleagues for a select (citizens, meetings, outreach,
coaching conversations and groups all build theirs with it)."""

import ast
from pathlib import Path

import pytest

import webapp
from webapp.auth.roles import AUTHORITY, SKP, STAFF_LIKE
from webapp.auth.services import name_and_initials, staff_choices
from webapp.extensions import db

from ..factories import make_user


@pytest.fixture
def people(app):
    people = {
        "bo": make_user("bo", roles=("staff",), full_name="Bo Berg"),
        "ane": make_user("ane", roles=("peer", "staff"), full_name="Ane Andersen", initials="AA"),
        "sif": make_user("sif", roles=("skp",), full_name="Sif Sørensen"),
        "gone": make_user("gone", roles=("staff",), full_name="Gorm Gammel", active=False),
        "mia": make_user("mia", roles=("authority",), full_name="Mia Myndighed"),
        "adm": make_user("adm", roles=("admin",), full_name="Adam Admin"),
    }
    db.session.commit()
    return people


def test_active_staff_by_name_each_once(people):
    assert staff_choices() == [
        (str(people["ane"].id), "Ane Andersen"),
        (str(people["bo"].id), "Bo Berg"),
        (str(people["sif"].id), "Sif Sørensen"),
    ]


def test_blank_first_and_a_label(people):
    choices = staff_choices(blank="Ingen", label=name_and_initials)
    assert choices[0] == ("", "Ingen")
    assert choices[1] == (str(people["ane"].id), "Ane Andersen (AA)")


def test_someone_already_chosen_stays_on_the_list_after_leaving(people):
    gone = str(people["gone"].id)
    assert gone not in dict(staff_choices())
    assert gone in dict(staff_choices(include=(people["gone"].id, None)))


def test_roles_widen_the_list(people):
    ids = dict(staff_choices(roles=STAFF_LIKE | {AUTHORITY}))
    assert str(people["mia"].id) in ids and str(people["adm"].id) not in ids


def test_first_roles_come_first_then_by_name(people):
    assert [label for _, label in staff_choices(first_roles={SKP})] == ["Sif Sørensen", "Ane Andersen", "Bo Berg"]


def test_no_feature_builds_its_own_staff_query():
    """A list of staff for a select comes from auth.services, not from a query in a feature."""
    root = Path(webapp.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.parts[-2] in {"auth", "migrations", "versions"} or path.name in {"bench.py", "demo.py", "cli.py"}:
            continue
        if "tools" in path.relative_to(root).parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "role" and getattr(node.value, "id", "") == "UserRole":
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
