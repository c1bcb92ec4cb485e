"""The base form: Flask-WTF (CSRF) with WTForms' own messages in Danish.

WTForms ships no Danish catalogue, so the handful of built-in messages are translated here."""

from flask_wtf import FlaskForm

MESSAGES_DA = {
    "Not a valid choice.": "Vælg en af mulighederne.",
    "Invalid Choice: could not coerce.": "Vælg en af mulighederne.",
    "Not a valid date value.": "Skriv en gyldig dato.",
    "Not a valid datetime value.": "Skriv en gyldig dato og tid.",
    "Not a valid time value.": "Skriv et gyldigt klokkeslæt, fx 10:00.",
    "Not a valid week value.": "Skriv en gyldig uge.",
    "Not a valid integer value.": "Skriv et helt tal.",
    "Not a valid decimal value.": "Skriv et tal.",
    "Not a valid float value.": "Skriv et tal.",
    "Number must be at least %(min)s.": "Tallet skal være mindst %(min)s.",
    "Number must be at most %(max)s.": "Tallet må højst være %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Tallet skal være mellem %(min)s og %(max)s.",
    "Date must be at least %(min)s.": "Datoen skal være %(min)s eller senere.",
    "Date must be at most %(max)s.": "Datoen skal være %(max)s eller tidligere.",
    "Date must be between %(min)s and %(max)s.": "Datoen skal ligge mellem %(min)s og %(max)s.",
    "This field is required.": "Feltet skal udfyldes.",
    "Invalid email address.": "Skriv en gyldig e-mailadresse.",
    "Invalid input.": "Ugyldigt input.",
    "The CSRF token is missing.": "Sikkerhedsnøglen mangler. Genindlæs siden.",
    "The CSRF token is invalid.": "Sikkerhedsnøglen er ugyldig. Genindlæs siden.",
    "The CSRF token has expired.": "Sikkerhedsnøglen er udløbet. Genindlæs siden.",
    "The CSRF tokens do not match.": "Sikkerhedsnøglen passer ikke. Genindlæs siden.",
}


class _DanishTranslations:
    def gettext(self, string: str) -> str:
        return MESSAGES_DA.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


DANISH = _DanishTranslations()


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return DANISH
