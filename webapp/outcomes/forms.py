"""Forms for coaching conversations and the scale upload (the field types are the core's,
webapp/forms.py)."""

from flask_wtf.file import FileField
from wtforms.validators import InputRequired

from ..auth.services import name_and_initials, staff_choices
from ..forms import ChoiceField, DateInputField, IntInputField, PlainForm, TimeInputField, in_range


class CourseMeetingForm(PlainForm):
    """A coaching conversation (with a relative present, optionally) or a relative's own conversation."""

    day = DateInputField("Dato", validators=[InputRequired("Skriv datoen.")])
    at = TimeInputField("Klokkeslæt", validators=[InputRequired("Skriv klokkeslættet.")])
    minutes = IntInputField("Varighed i minutter", default=60,
                            validators=[InputRequired("Skriv varigheden."), in_range(5, 480, "Varigheden")])
    staff1 = ChoiceField("Medarbejder")
    staff2 = ChoiceField("Anden medarbejder (valgfri)", optional=True)
    relative = ChoiceField("Pårørende med til samtalen (valgfri)", optional=True)

    def setup(self, relatives, *, relative_required: bool = False):
        self.staff1.choices = staff_choices(include=(self.staff1.data,), label=name_and_initials)
        self.staff2.choices = staff_choices(blank="Ingen", include=(self.staff2.data,), label=name_and_initials)
        self.relative.optional = not relative_required
        if relative_required:
            self.relative.label.text = "Pårørende"
        options = [(str(r.id), f"{r.name} ({r.relation})" if r.relation else r.name) for r in relatives]
        self.relative.choices = ([] if relative_required else [("", "Ingen")]) + options
        return self


class ScaleUploadForm(PlainForm):
    file = FileField("JSON-fil med skalaens ordlyd")

