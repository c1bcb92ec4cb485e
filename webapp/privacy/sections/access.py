"""The access log: when and why the citizen's data was seen, printed, exported or disclosed.

Datatilsynet's practice since 2024 (after CJEU C-579/21): the citizen is told the dates, the kind of
access, the role and the purpose. The staff's names are left out unless the setting
INSIGHT_STAFF_NAMES is on: the judgment does not give a right to the employees' identities, and
naming them would disclose colleagues' data without need; a citizen who asks about a specific
access can be answered case by case."""

from flask import current_app

from ...audit import AuditEvent, access_log
from ..registry import Section, insight_section

PAGE = 1000


def all_access_rows(citizen_id: int) -> list:
    """Every row of the citizen's access log, newest first (access_log pages them)."""
    result, page = [], 1
    while True:
        chunk, more = access_log(citizen_id, page=page, size=PAGE)
        result.extend(chunk)
        if not more:
            return result
        page += 1


@insight_section("access", "Hvem har set dine oplysninger", models=(AuditEvent,), order=99)
def access(citizen, **_) -> Section:
    with_names = bool(current_app.config.get("INSIGHT_STAFF_NAMES", False))
    items = []
    for row in all_access_rows(citizen.id):
        item = {
            "Tidspunkt": row.occurred_at,
            "Adgang": row.kind,
            "Hvad": row.what,
            "Rolle": row.role,
            "Formål": row.purpose,
        }
        if with_names:
            item["Medarbejder"] = row.who
        if row.recipient:
            item["Modtager"] = row.recipient
        items.append(item)
    intro = ("Hver gang nogen har set, ændret, udskrevet, eksporteret eller videregivet dine oplysninger, "
             "nyeste først.")
    if not with_names:
        intro += " Medarbejdernes navne er udeladt; du kan spørge os, hvis du vil vide mere om en bestemt adgang."
    return Section("Hvem har set dine oplysninger", intro, items)
