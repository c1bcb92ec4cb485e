from wtforms import BooleanField, HiddenField

from ..forms import DanishDateField, DanishSelectField, optional_int, text_area
from ..forms import Form as FlaskForm


class DecisionForm(FlaskForm):
    item_key = HiddenField()
    back = HiddenField()
    text = text_area("Beslutning", rows=2, required_message="Skriv beslutningen.")
    responsible_id = DanishSelectField("Ansvarlig", coerce=optional_int, choices=[])
    deadline = DanishDateField("Frist")
    # Course items only: the meeting decides on a handover, and its draft is made from the course.
    handover = BooleanField("Overdrag til myndighedsafdelingen – opret overdragelsen fra forløbet")


class DoneForm(FlaskForm):
    back = HiddenField()
