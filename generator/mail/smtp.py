"""Delivering a message over SMTP (``digest email --send``), with the settings of ``generator.mail.settings``.

TLS always checks the server's certificate and name, and a server that does not offer STARTTLS is refused, never
talked to in plain text. Each answer of the server is due within the timeout in all, however slowly it comes.

Every failure is a ``MailError`` of one line naming the server and the step; the password is never part of one
(a server's answer that echoes it, as given or base64-encoded as AUTH PLAIN and LOGIN send it, has it masked).
"""

from __future__ import annotations

import base64
import binascii
import re
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from generator import lookup
from generator.errors import MailError
from generator.mail.settings import SECURITY_PORTS, SmtpSettings, envelope, named_address

BASE64_WORD = re.compile(r"[A-Za-z0-9+/]{4,}={0,2}")
MASK = "********"
TOO_BIG = 552
TOO_MANY = 452
"""The answer to a recipient past the number a server takes in one message (and to a mailbox short of room)."""
"""The answer to a message over the server's size limit, at MAIL FROM (its SIZE=) or after the message."""
NAME_MISMATCH = (62, 64)
"""OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH: a certificate trusted, for other names."""


def tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """Certificate and host name checked; with ``SMTP_CA_FILE`` that CA is trusted instead of the system's."""
    try:
        return ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
    except (ssl.SSLError, OSError) as error:
        raise MailError(f"SMTP_CA_FILE {settings.ca_file}: not a CA certificate file ({error})") from None


def send(message: EmailMessage, settings: SmtpSettings) -> dict[str, str]:
    """Deliver ``message`` to the recipients; the recipients the server refused (when it took some)."""
    context = tls_context(settings) if settings.security != "none" else None
    progress = _Progress()
    try:
        return _send(message, settings, context, progress)
    except smtplib.SMTPAuthenticationError as error:
        raise MailError(f"{settings.server} refused the login of {settings.username!r}: "
                        f"{_answer(error.smtp_code, error.smtp_error, settings)}"
                        f"{_lasting([error.smtp_code], 'check SMTP_USERNAME and SMTP_PASSWORD')}") from None
    except smtplib.SMTPRecipientsRefused as error:
        typed = envelope(settings)
        refused = "; ".join(f"{typed.get(who, who)}: {_answer(code, text, settings)}"
                            for who, (code, text) in sorted(error.recipients.items()))
        codes = [code for code, _ in error.recipients.values()]
        raise MailError(f"{settings.server} refused every recipient ({refused})"
                        f"{_lasting(codes, 'check the addresses of MAIL_TO')}") from None
    except smtplib.SMTPSenderRefused as error:
        if error.smtp_code == TOO_BIG:  # the message's size (SIZE=, RFC 1870), refused before it is sent
            raise MailError(f"{settings.server} refused the message: "
                            f"{_answer(error.smtp_code, error.smtp_error, settings)}"
                            f"{_lasting([error.smtp_code], _too_big(message, progress))}") from None
        raise MailError(f"{settings.server} refused the sender {settings.sender}: "
                        f"{_answer(error.smtp_code, error.smtp_error, settings)}"
                        f"{_lasting([error.smtp_code], 'MAIL_FROM must be an address this server lets you send from')}"
                        ) from None
    except smtplib.SMTPResponseException as error:
        if error.smtp_code == -1:  # smtplib's code for a line that does not start with one: not an SMTP server
            said = _mask(_answer_text(error), settings)  # smtplib kept the line from its fifth character only
            raise MailError(f"{settings.server} does not answer as a mail server does (it said '…{said}'): check "
                            "SMTP_HOST and SMTP_PORT") from None
        what = STEP_NAMES.get(progress.step, progress.step)
        advice = _too_big(message, progress) if error.smtp_code == TOO_BIG else "sending it again will not help"
        raise MailError(f"{settings.server} refused {what}: {_answer(error.smtp_code, error.smtp_error, settings)}"
                        f"{_lasting([error.smtp_code], advice if what == 'the message' else '')}") from None
    except AnswerTooLong as error:
        what = "a greeting" if progress.step in ("connect", "greeting") else \
            f"an answer to {STEP_NAMES.get(progress.step, progress.step)}"
        raise MailError(f"{settings.server} sent {what} {error}: not a mail server? Check SMTP_HOST and SMTP_PORT"
                        ) from None
    except ssl.SSLCertVerificationError as error:
        if error.verify_code in NAME_MISMATCH:  # trusted, but for other names: no CA file helps
            raise MailError(f"{settings.server}: the server's certificate is not for {settings.host} "
                            f"({error.verify_message.rstrip('.')}); SMTP_HOST must be a name it is for: the host "
                            "name the mail provider gives, not an address or another name of the server") from None
        raise MailError(f"{settings.server}: the server's certificate is not trusted ({error.verify_message}); "
                        "a private CA's certificate goes in SMTP_CA_FILE") from None
    except (smtplib.SMTPException, OSError) as error:
        if isinstance(error, socket.gaierror):  # it was "[Errno -2] Name or service not known"
            check = "; check SMTP_HOST" if error.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", 0)) else ""
            raise MailError(f"cannot connect to {settings.server} ({settings.security}): the host name {settings.host}"
                            f" cannot be resolved ({error.strerror}){check}") from None
        if isinstance(error, lookup.LookupTimeout):
            raise MailError(f"cannot connect to {settings.server} ({settings.security}): the host name lookup of"
                            f" {settings.host} took more than {_seconds(settings)}") from None
        if progress.timed_out or isinstance(error, TimeoutError):
            raise MailError(_too_late(settings, progress.step)) from None
        if isinstance(error, ssl.SSLError):
            raise MailError(_handshake_failed(settings, error)) from None
        if isinstance(error, smtplib.SMTPServerDisconnected) and progress.step != "connect":
            raise MailError(_closed(settings, progress.step, str(error))) from None
        raise MailError(f"cannot send through {settings.server} ({settings.security}): "
                        f"{_mask(str(error) or type(error).__name__, settings)}") from None


STEP_NAMES = {"connect": "the connection", "greeting": "the connection", "EHLO": "our greeting (EHLO)",
              "HELO": "our greeting (HELO)", "MAIL": "the sender (MAIL FROM)", "RCPT": "a recipient (RCPT TO)",
              "STARTTLS": "STARTTLS", "AUTH": "the login", "DATA": "the message", "message": "the message"}
"""How a failure names what the send was waiting for; ``MAIL`` and ``RCPT`` refusals have their own messages."""


@dataclass
class _Progress:
    """What the send waits for (``connect``, ``greeting``, a command's verb, ``message``), whether it timed out, and
    the size limit the server announced (SIZE in its answer to EHLO; 0: none)."""

    step: str = "connect"
    timed_out: bool = False
    size_limit: int = 0


def _too_big(message: EmailMessage, progress: _Progress) -> str:
    limit = f" of {progress.size_limit:,} bytes" if progress.size_limit else ""
    return f"the message is {len(message.as_bytes()):,} bytes, over the server's limit{limit}"


def _seconds(settings: SmtpSettings) -> str:
    return f"{settings.timeout:g} second{'' if settings.timeout == 1 else 's'} (--timeout)"


def _too_late(settings: SmtpSettings, step: str) -> str:
    seconds = f"within {_seconds(settings)}"
    if step == "connect":
        return f"cannot connect to {settings.server} ({settings.security}) {seconds}"
    if step == "greeting":
        hint = "" if settings.security == "tls" else (
            "; port 465 speaks TLS from the first byte, waiting in silence for it: SMTP_SECURITY=tls"
            if settings.port == SECURITY_PORTS["tls"] else
            "; a server that speaks TLS from the first byte (as on port 465) waits in silence for it: is"
            " SMTP_SECURITY=tls its setting?")
        return f"{settings.server} sent no greeting {seconds}{hint}"
    if step == "message":
        return f"{settings.server} did not confirm the message {seconds}; it may have been delivered all the same"
    return f"{settings.server} did not answer {STEP_NAMES.get(step, step)} {seconds}"


def _closed(settings: SmtpSettings, step: str, detail: str) -> str:
    """The server hung up: at which step (smtplib says "Connection unexpectedly closed" only)."""
    at = "before its greeting" if step == "greeting" else f"at {STEP_NAMES.get(step, step)}"
    detail = _mask(detail.removeprefix("Connection unexpectedly closed").strip(": "), settings)
    delivered = "; it may have been delivered all the same" if step == "message" else ""
    return f"{settings.server} closed the connection {at}{f' ({detail})' if detail else ''}{delivered}"


def _handshake_failed(settings: SmtpSettings, error: ssl.SSLError) -> str:
    reason = re.sub(r" \(_ssl\.c:\d+\)", "", str(error))
    if settings.security == "tls":
        return (f"{settings.server}: the TLS handshake failed ({reason}): does the server speak plain text first? "
                "Ports 587 and 25 do, and upgrade with STARTTLS: SMTP_SECURITY=starttls")
    return f"{settings.server}: the TLS handshake after STARTTLS failed ({reason}); nothing was sent"


MAX_ANSWER_BYTES = 100_000
"""The most an answer of the server may have (its lines together): a greeting or an answer to EHLO has a few hundred
bytes. smtplib keeps every line of an answer until its last: 2.4 GB in 5 s of a server sending lines without end."""
MAX_LINE_BYTES = 8192
"""smtplib's limit on one line of an answer (``_MAXLINE``), past which it makes up an answer "500 Line too long."."""


class AnswerTooLong(Exception):
    """The server's answer passed ``MAX_ANSWER_BYTES`` without its last line, or one of its lines ``MAX_LINE_BYTES``
    (not an ``OSError``: smtplib would call it a closed connection); says how, after "sent a greeting"."""


class _Reader:
    """The server's lines for smtplib, each answer due within a deadline and ``MAX_ANSWER_BYTES``: the socket's timeout
    bounds one read only, so a server sending a byte at a time, or an answer of lines that never end it, would hold the
    send forever, or fill the memory."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.deadline = 0.0
        self.taken = 0
        """Bytes of the answer read so far."""

    def readline(self, limit: int = -1) -> bytes:
        limit = limit if limit >= 0 else 1 << 20
        while b"\n" not in self.buffer[:limit] and len(self.buffer) < limit:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("timed out")
            self.sock.settimeout(left)
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            self.buffer += chunk
        end = self.buffer.find(b"\n", 0, limit) + 1 or min(limit, len(self.buffer))
        line, self.buffer = self.buffer[:end], self.buffer[end:]
        self.taken += len(line)
        if self.taken > MAX_ANSWER_BYTES:
            raise AnswerTooLong(f"of more than {MAX_ANSWER_BYTES:,} bytes without its last line (a mail server's has"
                                " a few hundred)")
        return line

    def close(self) -> None:
        self.buffer = b""


class _Client(smtplib.SMTP):
    """smtplib's client, each answer of the server (its greeting, the answer to a command) due within ``timeout``
    seconds in all."""

    file: Any
    _host: str

    def __init__(self, progress: _Progress, *args: Any, **options: Any) -> None:
        self.progress = progress
        try:
            super().__init__(*args, **options)  # connects, and reads the greeting
        except BaseException:
            self.close()  # smtplib leaves the connection open when the greeting fails
            raise

    def getreply(self) -> tuple[int, bytes]:
        if self.file is None and self.sock is not None:
            self.file = _Reader(self.sock)
        if isinstance(self.file, _Reader):
            self.file.deadline = time.monotonic() + float(self.timeout)
            self.file.taken = 0
        if self.progress.step == "connect":
            self.progress.step = "greeting"
        try:
            return super().getreply()
        except smtplib.SMTPServerDisconnected as error:
            self.progress.timed_out = isinstance(error.__context__, TimeoutError)
            raise
        except smtplib.SMTPResponseException as error:
            if isinstance(error.smtp_error, str):  # smtplib's own "500 Line too long.": a server's answer is bytes
                raise AnswerTooLong(f"with a line of more than {MAX_LINE_BYTES:,} bytes (a mail server's lines have"
                                    " at most 512)") from None
            raise

    def send(self, line: Any) -> None:
        verb = line.split(maxsplit=1)[0].upper() if isinstance(line, str) and line.strip() else ""
        if isinstance(line, bytes):
            self.progress.step = "message"
        elif verb in STEP_NAMES or verb in ("MAIL", "RCPT", "QUIT"):
            # Never a line of the login (AUTH LOGIN sends the password on a line of its own), nor the RSET smtplib
            # sends after a refusal: the refusal is what a failure names.
            self.progress.step = verb
        if self.sock is not None:
            self.sock.settimeout(float(self.timeout))  # the reader left it at what remained of the last answer's time
        try:
            super().send(line)
        except smtplib.SMTPServerDisconnected as error:
            self.progress.timed_out = isinstance(error.__context__, TimeoutError)
            raise


    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        # smtplib's lookup of the host name waited for the name servers past the timeout: 30 s with --timeout 2.
        return lookup.create_connection((host, port), timeout, self.source_address)


class _TlsClient(_Client, smtplib.SMTP_SSL):
    """The same over TLS from the first byte."""

    context: ssl.SSLContext

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return self.context.wrap_socket(super()._get_socket(host, port, timeout), server_hostname=self._host)


def _send(message: EmailMessage, settings: SmtpSettings, context: ssl.SSLContext | None,
          progress: _Progress) -> dict[str, str]:
    client: smtplib.SMTP
    if settings.security == "tls":
        client = _TlsClient(progress, settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = _Client(progress, settings.host, settings.port, timeout=settings.timeout)
    try:
        _ehlo(client)
        if settings.security == "starttls":
            if not client.has_extn("starttls"):
                raise MailError(f"{settings.server} does not offer STARTTLS: refusing to send in plain text "
                                "(SMTP_SECURITY=tls for a server that speaks TLS from the start)")
            client.starttls(context=context)
            _ehlo(client)
        if settings.username:
            _login(client, settings)
        size = client.esmtp_features.get("size", "")
        progress.size_limit = int(size) if size.isascii() and size.isdigit() else 0
        typed = envelope(settings)
        refused = _deliver(client, message, settings.sender, list(typed))
    except BaseException:
        client.close()  # no QUIT: it would wait on a server that failed already, and report that wait instead
        raise
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):  # the message was accepted: an odd answer to QUIT, or none, keeps it sent
        client.close()
    return {typed.get(who, who): _answer(code, text, settings) for who, (code, text) in sorted(refused.items())}


def _deliver(client: smtplib.SMTP, message: EmailMessage, sender: str,
             recipients: list[str]) -> dict[str, tuple[int, bytes | str]]:
    """Send ``message``; the recipients a server takes no more of in one message (452, as Gmail past 100) get it in
    the next, and so on while each takes some (RFC 5321, 4.5.3.1.10). The recipients refused, with the answers."""
    refused: dict[str, tuple[int, bytes | str]] = dict(client.send_message(message, sender, recipients))
    while (later := [who for who, (code, _) in refused.items() if code == TOO_MANY]) and len(later) < len(recipients):
        recipients = later
        again: dict[str, tuple[int, bytes | str]]
        try:
            again = dict(client.send_message(message, sender, later))
        except smtplib.SMTPRecipientsRefused as error:
            again = dict(error.recipients)
        except smtplib.SMTPResponseException as error:  # the others have the message already: only these miss it
            again = {who: (error.smtp_code, error.smtp_error) for who in later}
        refused = {**{who: answer for who, answer in refused.items() if who not in later}, **again}
    return refused


def _ehlo(client: smtplib.SMTP) -> None:
    """EHLO, its refusal an error (smtplib returns it, and a refused EHLO showed as "does not offer STARTTLS"); a
    server that knows no EHLO (500, 502) is greeted with HELO, and then offers no extension (STARTTLS, AUTH)."""
    code, answer = client.ehlo()
    if code in (500, 502):
        code, answer = client.helo()
    if code != 250:
        raise smtplib.SMTPHeloError(code, answer)


def _login(client: smtplib.SMTP, settings: SmtpSettings) -> None:
    """Log in; a user name or password with characters other than ASCII goes as UTF-8 (RFC 4616), which smtplib's
    ``login`` cannot send (it encodes them as ASCII: "pässwort" was a traceback)."""
    user, password = settings.username, settings.password
    if not client.has_extn("auth"):  # smtplib: "SMTP AUTH extension not supported by server."
        raise MailError(f"{settings.server} offers no login (no AUTH in its answer to EHLO), and SMTP_USERNAME is set: "
                        "unset SMTP_USERNAME and SMTP_PASSWORD if this server takes mail without one; else check "
                        "SMTP_HOST and SMTP_PORT (a provider's submission port, 587 or 465, offers the login)")
    if (user + password).isascii():
        client.login(user, password)
        return
    offered = client.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in offered:
        code, text = client.docmd("AUTH", "PLAIN " + _base64(f"\0{user}\0{password}"))
    elif "LOGIN" in offered:
        code, text = client.docmd("AUTH", "LOGIN " + _base64(user))
        if code == 334:
            code, text = client.docmd(_base64(password))
    else:
        raise MailError(f"{settings.server} offers no login that sends a user name or password of characters other "
                        f"than ASCII (AUTH PLAIN or LOGIN; it offers {' '.join(offered) or 'none'})")
    if code not in (235, 503):  # 503: logged in already
        raise smtplib.SMTPAuthenticationError(code, text)


def _answer_text(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error
    return " ".join((text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)).split())[:80]


def _lasting(codes: list[int], advice: str) -> str:
    """Whether a refusal is temporary (4xx: sending later may work) or permanent (5xx: not without a change), and what
    to do: a failed send is not recorded, so the deploy workflow's next run tries it again either way."""
    if codes and all(400 <= code < 500 for code in codes):
        return " (temporary: try again later; the deploy workflow's next run does)"
    if codes and all(500 <= code < 600 for code in codes):
        return f" (permanent: {advice})" if advice else " (permanent)"
    return ""


def refusal_note(answer: str) -> str:
    """What a refusal of one recipient (when others took the message, which counts as sent) means for them."""
    if answer[:1] == "4":
        return " (temporary, but this issue counts as sent: this address will not have it)"
    if answer[:1] == "5":
        return " (permanent: correct the address in MAIL_TO, or take it out)"
    return ""


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _answer(code: int, text: bytes | str, settings: SmtpSettings) -> str:
    """A server's answer as one line, the password masked should the server echo it, and a recipient it quotes as
    MAIL_TO has it (``<a@bücher.de>``, not the ``<a@xn--bcher-kva.de>`` it was sent as, which no log mask hides)."""
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    line = " ".join(words.split())
    for sent, written in envelope(settings).items():
        bare = named_address(written, "MAIL_TO")[1]
        if sent != bare:
            line = re.sub(re.escape(sent), bare.replace("\\", "\\\\"), line, flags=re.IGNORECASE)
    return _mask(f"{code} {line}", settings)


def _mask(text: str, settings: SmtpSettings) -> str:
    """``text`` on one line, the password masked: as given, and in the base64 that AUTH PLAIN and LOGIN send it in
    (a server that echoes the line it refused would show it; the log of a public repository's run is public)."""
    password = settings.password
    if not password:
        return " ".join(text.split())
    secret = password.encode("utf-8", "surrogateescape")

    def base64_hiding(found: re.Match[str]) -> str:
        word = found.group(0)
        try:
            decoded = base64.b64decode(word + "=" * (-len(word) % 4), validate=True)
        except (binascii.Error, ValueError):
            return word
        return MASK if secret in decoded else word

    flat = " ".join(text.replace(password, MASK).split())
    if flat_password := " ".join(password.split()):  # the answer's white space was flattened: the password's too
        flat = flat.replace(flat_password, MASK)
    return BASE64_WORD.sub(base64_hiding, flat)
