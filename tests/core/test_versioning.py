"""The shared version check (webapp/versioning.py) called directly: fingerprints, the three-way
field merge, the conflict screen's choices and the Danish wording."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, Form, SelectChoice, SelectField, StringField, TextAreaField

from webapp import versioning
from webapp.extensions import db

from ..factories import make_user


class NoteForm(Form):
    text = TextAreaField()
    title = StringField()
    kind = SelectField(choices=[SelectChoice("a", "Almindelig"), SelectChoice("h", "Haster")])
    due = DateField(format="%Y-%m-%d")
    done = BooleanField()


@dataclass
class Note:
    version: int = 1
    version_saved_at: datetime | None = None
    version_saved_by_id: int | None = None


SAVED = {"text": "Første tekst", "title": "Titel", "kind": "a", "due": date(2026, 3, 2), "done": False}


def posted(state: versioning.EditState | None, **changes) -> MultiDict:
    data = {"text": "Første tekst", "title": "Titel", "kind": "a", "due": "2026-03-02"}
    if state is not None:
        data |= {"version": str(state.version), "version_base": state.base}
    data |= changes
    return MultiDict(data)


def run_check(record, formdata, theirs=SAVED, user=None):
    form = NoteForm(formdata)
    assert form.validate(), form.errors
    return form, versioning.check(record, form, theirs, formdata, user)


def test_canonical_values_ignore_line_breaks_and_surrounding_space():
    assert versioning.canonical(" a\r\nb ") == versioning.canonical("a\nb") == "a\nb"
    assert versioning.canonical(None) == versioning.canonical("") == ""
    assert versioning.canonical(date(2026, 3, 2)) == "2026-03-02"
    assert versioning.canonical(True) == "1"


def test_a_fingerprint_names_each_field_without_its_text():
    fp = versioning.fingerprint({"text": "Hemmelig tekst", "kind": "a"})
    assert "Hemmelig" not in fp
    assert set(versioning.parse_fingerprint(fp)) == {"text", "kind"}
    assert versioning.parse_fingerprint("junk,,x:") == {"x": ""}


@pytest.mark.parametrize(("raw", "expected"), [(None, None), ("3", 3), (" 3 ", 3), ("x", 0), ("²", 0), ("9" * 30, 0)])
def test_the_submitted_version(raw, expected):
    formdata = MultiDict({} if raw is None else {"version": raw})
    assert versioning.submitted_version(formdata) == expected


def test_a_save_at_the_current_version_passes():
    note = Note()
    state = versioning.opened(note, SAVED)
    _, result = run_check(note, posted(state, text="Ny tekst"))
    assert result.ok and result.version == 1


def test_a_form_without_a_version_is_not_checked():
    _, result = run_check(Note(version=5), posted(None, text="Ny"))
    assert result.ok


def test_only_the_field_both_changed_is_a_conflict_and_the_others_are_merged():
    note = Note()
    state = versioning.opened(note, SAVED)
    note.version = 2  # someone saved: a new text and a new title
    theirs = SAVED | {"text": "Mads' tekst", "title": "Mads' titel"}
    form, result = run_check(note, posted(state, text="Min tekst", kind="h"), theirs)
    assert list(result.conflicts) == ["text"]
    assert result.conflicts["text"] == versioning.FieldConflict("text", "Min tekst", "Mads' tekst", True)
    assert result.taken == ["title"]
    assert (form.text.data, form.title.data, form.kind.data) == ("Min tekst", "Mads' titel", "h")
    assert result.status == 409 and result.version == 2
    assert result.note == "Nogen har gemt ændringer, mens du skrev." and result.theirs_label == "Den gemte tekst"


def test_the_same_change_on_both_sides_is_no_conflict():
    note = Note()
    state = versioning.opened(note, SAVED)
    note.version = 2
    _, result = run_check(note, posted(state, text="Samme"), SAVED | {"text": "Samme\r\n"})
    assert result.ok


def test_a_garbage_version_makes_every_difference_a_conflict():
    note = Note()
    _, result = run_check(note, posted(None, version="x", text="Min"), SAVED)
    assert list(result.conflicts) == ["text"]


@pytest.mark.parametrize(("choice", "expected"), [
    ("mine", "Min tekst"), ("theirs", "Mads' tekst"), ("both", "Min tekst\n\nMads' tekst")])
def test_the_conflict_screen_answered(choice, expected):
    note = Note(version=2)
    theirs = SAVED | {"text": "Mads' tekst"}
    state = versioning.opened(note, theirs)
    form, result = run_check(note, posted(state, text="Min tekst", konflikt="text", valg_text=choice), theirs)
    assert result.ok and form.text.data == expected


def test_the_conflict_screen_without_a_choice_is_refused_and_keeps_the_text():
    note = Note(version=2)
    theirs = SAVED | {"text": "Mads' tekst"}
    state = versioning.opened(note, theirs)
    form, result = run_check(note, posted(state, text="Min tekst", konflikt="text"), theirs)
    assert not result.ok and result.status == 422 and result.unanswered
    assert form.text.data == "Min tekst" and form.text.errors == ["Vælg, hvad der skal stå."]


def test_both_is_offered_only_for_texts():
    note = Note(version=2)
    theirs = SAVED | {"kind": "h"}
    state = versioning.opened(note, theirs)
    _, result = run_check(note, posted(state, kind="a", konflikt="kind", valg_kind="both"), theirs)
    assert not result.ok
    conflict = result.conflicts["kind"]
    assert (conflict.mine, conflict.theirs, conflict.is_text) == ("Almindelig", "Haster", False)
    assert result.mine_choice_label(conflict) == "Mit valg"


def test_values_are_shown_as_people_read_them():
    form = NoteForm()
    assert versioning.display(form.kind, "h") == "Haster"
    assert versioning.display(form.done, True) == "Ja"
    assert versioning.display(form.due, date(2026, 3, 2)) == "2. mar 2026"
    assert versioning.display(form.text, None) == ""


def test_the_note_names_who_saved_and_when():
    mads, ulla = make_user("mads", full_name="Mads Madsen"), make_user("ulla", full_name="Ulla Hansen")
    note = Note(version=3, version_saved_at=datetime(2026, 3, 2, 9, 41, tzinfo=UTC), version_saved_by_id=mads.id)
    assert versioning.conflict_note(note, ulla) == ("Mads har gemt ændringer kl. 10:41, mens du skrev.",
                                                    "Mads' tekst")
    assert versioning.conflict_note(note, mads)[0] == "Du har selv gemt ændringer kl. 10:41 – måske i et andet vindue."
    note.version_saved_by_id = ulla.id
    assert versioning.conflict_note(note, mads)[1] == "Ullas tekst"


def test_saved_raises_the_version_and_names_the_saver():
    ulla = make_user("ulla")
    note = Note()
    versioning.saved(note, ulla)
    assert (note.version, note.version_saved_by_id) == (2, ulla.id) and note.version_saved_at is not None
    db.session.rollback()
