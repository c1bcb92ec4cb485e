"""The `db_id` URL converter the outcomes and groups blueprints use for ids in their URLs."""

from flask import Blueprint
from werkzeug.routing import IntegerConverter


class DbIdConverter(IntegerConverter):
    """Digits that fit an integer column: a longer number is a 404, never a database overflow."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, max=2_147_483_647)


def use_db_id(bp: Blueprint) -> None:
    """Make `<db_id:name>` known to the app before the blueprint's rules are added."""
    bp.record_once(lambda state: state.app.url_map.converters.setdefault("db_id", DbIdConverter))
