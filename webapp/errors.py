"""Calm Danish error pages; never a trace."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: ("Noget gik galt med forespørgslen", "Siden kunne ikke forstå det, der blev sendt. Gå tilbage og prøv igen."),
    403: (
        "Du har ikke adgang",
        "Din rolle giver ikke adgang til denne side. Spørg din leder, hvis du mener, det er en fejl.",
    ),
    404: ("Siden findes ikke", "Adressen findes ikke – måske er den flyttet eller slettet."),
    405: ("Det kan man ikke her", "Siden kan ikke bruges på den måde."),
    423: ("Kan kun læses", "Behandlingen af borgerens oplysninger er begrænset (databeskyttelsesforordningens "
          "artikel 18). Oplysningerne kan læses, men ikke ændres. Spørg lederen."),
    429: ("Vent lidt", "Der er prøvet for mange gange på kort tid. Vent et minut, og prøv så igen."),
    500: ("Der skete en fejl", "Det er ikke din skyld. Prøv igen om lidt – fejlen er skrevet i loggen."),
}


def render_error(code: int, message: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, text=message or text), code


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        if code == 500:
            continue
        app.register_error_handler(code, lambda error, code=code: render_error(code))

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_error(
            400,
            "Formularen var for gammel eller blev sendt uden sikkerhedsnøgle. "
            "Genindlæs siden, og prøv igen – intet er gemt.",
        )

    @app.errorhandler(500)
    def _server_error(error):
        from .extensions import db

        db.session.rollback()
        app.logger.error("Server error on %s %s", request.method, request.path)
        return render_error(500)
