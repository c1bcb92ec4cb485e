"""The two ways a reminder leaves the house, with the standard library only:

- e-mail through SMTP (`smtplib` + `email.message.EmailMessage`): `SMTP_URL` like
  smtp://user:password@host:587 (STARTTLS when the server offers it, login when credentials are
  given) or smtps://host:465; From is `MAIL_FROM`; the Message-ID derives from the idempotency key,
  so a receiving system can see a repeat;
- SMS through an HTTP gateway shaped like GatewayAPI's REST API (`SMS_URL`, `SMS_TOKEN`): POST JSON
  {"sender", "message", "recipients": [{"msisdn"}], "userref"} with `Authorization: Token …` and
  `Idempotency-Key: …`; the answer {"ids": [123]} gives the provider's id.

Errors are sorted for the sender: `RetryLater` (connection refused, timeout, an SMTP error reply,
an HTTP error answer: try again later with the same key) and `GiveUp` (the provider refuses this
message for good: an invalid recipient, HTTP 400/422). Their text is a class name and a code,
never an address or a message text."""

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate
from hashlib import sha256
from urllib.parse import unquote, urlsplit


class TransportError(Exception):
    """Why a send did not succeed: a short code without personal data."""


class RetryLater(TransportError):
    pass


class GiveUp(TransportError):
    pass


def _code(error: BaseException, code: object = None) -> str:
    return f"{type(error).__name__}{f' {code}' if code is not None else ''}"[:120]


def message_id(idempotency_key: str, mail_from: str) -> str:
    domain = mail_from.rsplit("@", 1)[-1].strip(" >") or "dinindgang.invalid"
    return f"<{sha256(idempotency_key.encode()).hexdigest()[:32]}@{domain}>"


# --- e-mail ----------------------------------------------------------------------------------------


class EmailTransport:
    """One SMTP connection for a batch, opened at the first message and reopened after an error."""

    def __init__(self, url: str, mail_from: str, timeout: float):
        parts = urlsplit(url)
        self.secure = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.secure else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else ""
        self.mail_from = mail_from
        self.timeout = timeout
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.secure:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        smtp.ehlo()
        if not self.secure and smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        if self.username:
            smtp.login(self.username, self.password)
        return smtp

    def build(self, key: str, to: str, subject: str, body: str) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.mail_from
        mail["To"] = to
        mail["Subject"] = subject
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        mail["Message-ID"] = message_id(key, self.mail_from)
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(body, cte="quoted-printable")
        return mail

    def send(self, key: str, to: str, subject: str, body: str) -> str:
        """Hand one e-mail to the server; returns its Message-ID (our provider id)."""
        mail = self.build(key, to, subject, body)
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            self.close()
            codes = [code for code, _ in error.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise GiveUp(_code(error, codes[0])) from None
            raise RetryLater(_code(error, codes[0] if codes else None)) from None
        except smtplib.SMTPResponseException as error:
            self.close()
            raise RetryLater(_code(error, error.smtp_code)) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise RetryLater(_code(error, getattr(error, "errno", None))) from None
        return mail["Message-ID"]

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


# --- SMS -------------------------------------------------------------------------------------------


# The gateway refuses this message itself (a malformed or invalid recipient): trying again won't help.
PERMANENT_HTTP = frozenset({400, 422})


class SmsTransport:
    def __init__(self, url: str, token: str, sender: str, timeout: float):
        self.url = url
        self.token = str(token)
        self.sender = sender[:11]
        self.timeout = timeout

    def payload(self, key: str, msisdn: str, body: str) -> dict:
        return {"sender": self.sender, "message": body, "recipients": [{"msisdn": int(msisdn)}], "userref": key}

    def send(self, key: str, msisdn: str, subject: str, body: str) -> str | None:
        """POST one SMS; returns the gateway's message id."""
        del subject  # an SMS has none
        request = urllib.request.Request(  # noqa: S310 - the URL is checked at start-up (http/https)
            self.url,
            data=json.dumps(self.payload(key, msisdn, body)).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "Authorization": f"Token {self.token}", "Idempotency-Key": key},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = response.read(65536)
        except urllib.error.HTTPError as error:
            error.close()
            if error.code in PERMANENT_HTTP:
                raise GiveUp(_code(error, error.code)) from None
            raise RetryLater(_code(error, error.code)) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise RetryLater(_code(reason if isinstance(reason, BaseException) else error)) from None
        try:
            ids = json.loads(answer or b"{}").get("ids") or []
        except (ValueError, AttributeError):
            ids = []
        return str(ids[0])[:120] if ids else None

    def close(self) -> None:
        pass


def transports_from(config) -> dict:
    """{channel: transport} for the channels whose provider is set up."""
    timeout = config["MESSAGE_TIMEOUT_SECONDS"]
    found = {}
    if config.get("SMTP_URL"):
        found["email"] = EmailTransport(config["SMTP_URL"], config["MAIL_FROM"], timeout)
    if config.get("SMS_URL") and config.get("SMS_TOKEN"):
        found["sms"] = SmsTransport(config["SMS_URL"], config["SMS_TOKEN"], config["MESSAGE_SENDER_NAME"].strip(),
                                    timeout)
    return found


MISSING_PROVIDER = {
    "sms": "Venter: der er ikke sat en SMS-udbyder op",
    "email": "Venter: der er ikke sat en e-mail-server op",
}
