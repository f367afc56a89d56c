"""Delivering a message over SMTP (``digest email --send``), with settings from the environment.

``SMTP_HOST``, ``SMTP_PORT``, ``SMTP_USERNAME``, ``SMTP_PASSWORD``, ``MAIL_FROM``, ``MAIL_TO``
(comma-separated), ``SMTP_SECURITY`` (``starttls``, the default but on port 465; ``tls``: TLS from the first byte;
``none``: plain text, refused unless the host is a loopback address) and ``SMTP_CA_FILE`` (trust
this CA file instead of the system's). TLS always checks the server's certificate and name, and a
server that does not offer STARTTLS is refused, never talked to in plain text.

Every failure is a ``MailError`` of one line naming the server; the password is never part of one
(a server's answer that echoes it, as given or base64-encoded as AUTH PLAIN and LOGIN send it, has it masked).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import smtplib
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import idna

from generator.counts import whole_number
from generator.errors import MailError

SECURITY_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_TIMEOUT = 30.0
LOOPBACK_NAMES = ("localhost",)
HOST_AND_PORT = re.compile(r"(\[[^\]]*\]|[^:\[\]]+):(\d*)")
BASE64_WORD = re.compile(r"[A-Za-z0-9+/]{4,}={0,2}")
MASK = "********"
TOO_BIG = 552
"""The answer to a message over the server's size limit, at MAIL FROM (its SIZE=) or after the message."""
NAME_MISMATCH = (62, 64)
"""OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH: a certificate trusted, for other names."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    recipients: tuple[str, ...]
    username: str = ""
    password: str = field(default="", repr=False)
    ca_file: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    sender_name: str = ""

    @property
    def server(self) -> str:
        """``smtp.example.org:587``; an IPv6 address in brackets, ``[::1]:25``, as ``::1:25`` would be ambiguous."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def recipient_count(self) -> int:
        """How many addresses the message goes to (``Ann <a@example.org>`` and ``a@example.org`` are one)."""
        return len(_envelope(self))

    @property
    def from_header(self) -> str:
        """The From header's text: ``Paper Digest <digest@example.org>``, or the bare address without a name."""
        return str(Address(display_name=self.sender_name, addr_spec=self.sender))


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1); names are not looked up."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def address(value: str, name: str) -> str:
    """One e-mail address (``a@example.org``), checked: no display name, line break or missing domain."""
    text = value.strip()
    if not text.partition("@")[0].isascii():
        raise ValueError(f"{name} holds {text!r}: an address with letters beyond ASCII before the @ needs mail "
                         "servers all along the way to take it (SMTPUTF8); it is not supported")
    try:
        parsed = Address(addr_spec=text)
        ascii_address(parsed.addr_spec)
    except (ValueError, IndexError, HeaderParseError, UnicodeError):
        parsed = None
    if parsed is None or not parsed.username or not parsed.domain or any(c in text for c in "\r\n"):
        raise ValueError(f"{name} holds {text!r}, which is not an e-mail address such as digest@example.org")
    return parsed.addr_spec


def ascii_address(spec: str) -> str:
    """``a@bücher.de`` as ``a@xn--bcher-kva.de`` (IDNA 2008), which every mail server takes: as written, it needs a
    server offering SMTPUTF8, and smtplib refused to send to one that does not."""
    parsed = Address(addr_spec=spec)
    if parsed.domain.isascii():
        return spec
    return Address(username=parsed.username, domain=idna.encode(parsed.domain, uts46=True).decode("ascii")).addr_spec


def named_address(value: str, name: str) -> tuple[str, str]:
    """(display name, address) of ``Paper Digest <digest@example.org>`` or of a bare address (name "")."""
    text = value.strip()
    if "<" not in text:
        return "", address(text, name)
    found = getaddresses([text]) if text.endswith(">") and not any(c in text for c in "\r\n") else []
    if len(found) == 1:
        display, spec = found[0]
        try:
            return display, address(spec, name)
        except ValueError:
            pass
    raise ValueError(f"{name} holds {text!r}, which is not an e-mail address such as digest@example.org "
                     "or Paper Digest <digest@example.org>")


def split_addresses(text: str) -> list[str]:
    """The items of a comma-separated list of addresses, trimmed, empty ones dropped; a comma inside quotes or angle
    brackets (``"Doe, Ann" <ann@example.org>``) separates nothing."""
    items, current, quoted, angled, escaped = [], "", False, False, False
    for char in text:
        if char == "," and not (quoted or angled or escaped):
            items.append(current)
            current = ""
            continue
        current += char
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char in "<>" and not quoted:
            angled = char == "<"
    return [item.strip() for item in [*items, current] if item.strip()]


def smtp_settings(environ: Mapping[str, str], timeout: float = DEFAULT_TIMEOUT) -> SmtpSettings:
    """The settings from ``environ``; every missing or wrong one is reported at once (one per line)."""
    errors: list[str] = []
    get = {key: environ.get(key, "").strip() for key in (
        "SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "MAIL_FROM", "MAIL_TO", "SMTP_SECURITY", "SMTP_CA_FILE")}
    # A line break at either end is a paste's (a secret set from a file ends with one), never the password's: it made
    # a right password "refused"; spaces are kept, a password may hold them.
    password = environ.get("SMTP_PASSWORD", "").strip("\r\n")
    # Port 465 is TLS from the first byte (RFC 8314): a client waiting there for a plain-text greeting waits in vain.
    implied = "tls" if get["SMTP_PORT"] == str(SECURITY_PORTS["tls"]) else "starttls"
    host, security = get["SMTP_HOST"], (get["SMTP_SECURITY"] or implied).lower()
    missing = [key for key in ("SMTP_HOST", "MAIL_FROM", "MAIL_TO") if not get[key]]
    if missing:
        errors.append(f"--send needs the environment variables {', '.join(missing)} (README, \"Email edition\")")
    if "://" in host:  # a URL, as other tools take it: smtps://user:password@smtp.example.org:465
        errors.append(_url_host(host))
        host = _url_parts(host)[0]
    elif any(c.isspace() or c in "/@?#" for c in host):
        errors.append(f"SMTP_HOST holds {host!r}, which is not a host name or address such as smtp.example.org")
    if (with_port := HOST_AND_PORT.fullmatch(host)) is not None:  # as mail providers write it: smtp.example.org:587
        errors.append(f"SMTP_HOST holds {host!r}, a host and a port: give the host alone ({with_port.group(1)!r})"
                      f" and the port in SMTP_PORT ({with_port.group(2)!r})")
        host = with_port.group(1)
    if security not in SECURITY_PORTS:
        errors.append(f"SMTP_SECURITY must be starttls, tls or none, not {get['SMTP_SECURITY']!r}")
    elif security == "none" and host and not is_loopback(host):
        errors.append(f"SMTP_SECURITY=none sends the message and password unencrypted: refused for {host}, "
                      "which is not a loopback address (use starttls or tls)")
    port = SECURITY_PORTS.get(security, 587)
    if get["SMTP_PORT"]:
        port = int(get["SMTP_PORT"]) if whole_number(get["SMTP_PORT"]) else 0
        if not 1 <= port <= 65535:
            errors.append(f"SMTP_PORT must be a port number (1-65535), not {get['SMTP_PORT']!r}")
    if bool(get["SMTP_USERNAME"]) != bool(password):
        errors.append("SMTP_USERNAME and SMTP_PASSWORD go together: set both (to log in) or neither")
    ca_file = Path(get["SMTP_CA_FILE"]) if get["SMTP_CA_FILE"] else None
    if ca_file is not None and not ca_file.is_file():
        errors.append(f"SMTP_CA_FILE names {ca_file}, which is not a file")
    sender, sender_name, recipients = "", "", []
    try:
        sender_name, sender = named_address(get["MAIL_FROM"], "MAIL_FROM") if get["MAIL_FROM"] else ("", "")
        sender = ascii_address(sender) if sender else ""
    except ValueError as error:
        errors.append(str(error))
    for item in split_addresses(get["MAIL_TO"]):
        try:
            named_address(item, "MAIL_TO")  # a name, "Ann <ann@example.org>", is allowed and not used (Bcc)
            recipients.append(item)
        except ValueError as error:
            errors.append(str(error) + (" (addresses are separated by commas)" if ";" in item else ""))
    if get["MAIL_TO"] and not recipients and not any("MAIL_TO" in error for error in errors):
        errors.append(f"MAIL_TO holds no address ({get['MAIL_TO']!r}): give one or more, separated by commas")
    if host.startswith("[") and host.endswith("]"):  # as a URL writes an IPv6 address; a mail server takes it bare
        host = host[1:-1]
    if errors:
        raise MailError("\n".join(errors))
    return SmtpSettings(host, port, security, sender, tuple(dict.fromkeys(recipients)), get["SMTP_USERNAME"],
                        password, ca_file, timeout, sender_name)


def _url_parts(url: str) -> tuple[str, str, str, bool]:
    """The host, port and scheme of a URL, and whether it holds a login; never the login itself."""
    parts = urlsplit(url)
    try:
        port = str(parts.port or "")
    except ValueError:
        port = ""
    return parts.hostname or "", port, parts.scheme.lower(), bool(parts.username or parts.password)


def _url_host(url: str) -> str:
    """What to set instead of a URL in SMTP_HOST (which the error does not repeat: it may hold the password)."""
    host, port, scheme, login = _url_parts(url)
    advice = [f"the host alone ({host!r})" if host else "the host alone"]
    if port:
        advice.append(f"the port in SMTP_PORT ({port})")
    if scheme == "smtps":
        advice.append("SMTP_SECURITY=tls")
    if login:
        advice.append("the login in SMTP_USERNAME and SMTP_PASSWORD")
    return f"SMTP_HOST holds a URL ({scheme}://…): give {', '.join(advice[:-1])}{' and ' if len(advice) > 1 else ''}" \
        f"{advice[-1]}"


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
        typed = _envelope(settings)
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
    except ssl.SSLCertVerificationError as error:
        if error.verify_code in NAME_MISMATCH:  # trusted, but for other names: no CA file helps
            raise MailError(f"{settings.server}: the server's certificate is not for {settings.host} "
                            f"({error.verify_message.rstrip('.')}); SMTP_HOST must be a name it is for: the host "
                            "name the mail provider gives, not an address or another name of the server") from None
        raise MailError(f"{settings.server}: the server's certificate is not trusted ({error.verify_message}); "
                        "a private CA's certificate goes in SMTP_CA_FILE") from None
    except (smtplib.SMTPException, OSError) as error:
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


def _too_late(settings: SmtpSettings, step: str) -> str:
    seconds = f"within {settings.timeout:g} seconds (--timeout)"
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


class _Reader:
    """The server's lines for smtplib, each answer due within a deadline: the socket's timeout bounds one read only, so
    a server sending a byte at a time, or an answer of lines that never end it, would hold the send forever."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.deadline = 0.0

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
        return line

    def close(self) -> None:
        self.buffer = b""


class _Client(smtplib.SMTP):
    """smtplib's client, each answer of the server (its greeting, the answer to a command) due within ``timeout``
    seconds in all."""

    file: Any

    def __init__(self, progress: _Progress, *args: Any, **options: Any) -> None:
        self.progress = progress
        super().__init__(*args, **options)

    def getreply(self) -> tuple[int, bytes]:
        if self.file is None and self.sock is not None:
            self.file = _Reader(self.sock)
        if isinstance(self.file, _Reader):
            self.file.deadline = time.monotonic() + float(self.timeout)
        if self.progress.step == "connect":
            self.progress.step = "greeting"
        try:
            return super().getreply()
        except smtplib.SMTPServerDisconnected as error:
            self.progress.timed_out = isinstance(error.__context__, TimeoutError)
            raise

    def send(self, s: Any) -> None:
        verb = s.split(maxsplit=1)[0].upper() if isinstance(s, str) and s.strip() else ""
        if isinstance(s, bytes):
            self.progress.step = "message"
        elif verb in STEP_NAMES or verb in ("MAIL", "RCPT", "QUIT"):
            # Never a line of the login (AUTH LOGIN sends the password on a line of its own), nor the RSET smtplib
            # sends after a refusal: the refusal is what a failure names.
            self.progress.step = verb
        if self.sock is not None:
            self.sock.settimeout(float(self.timeout))  # the reader left it at what remained of the last answer's time
        try:
            super().send(s)
        except smtplib.SMTPServerDisconnected as error:
            self.progress.timed_out = isinstance(error.__context__, TimeoutError)
            raise


class _TlsClient(_Client, smtplib.SMTP_SSL):
    """The same over TLS from the first byte."""


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
        typed = _envelope(settings)
        refused = client.send_message(message, settings.sender, list(typed))
    except BaseException:
        client.close()  # no QUIT: it would wait on a server that failed already, and report that wait instead
        raise
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):  # the message was accepted: an odd answer to QUIT, or none, keeps it sent
        client.close()
    return {typed.get(who, who): _answer(code, text, settings) for who, (code, text) in sorted(refused.items())}


def _envelope(settings: SmtpSettings) -> dict[str, str]:
    """The recipients' addresses as sent (ASCII, without a name) and as MAIL_TO has them: a refusal names the
    recipient as written (``Ann <ann@bücher.de>``), which the deploy workflow masks in its log."""
    return {ascii_address(named_address(recipient, "MAIL_TO")[1]): recipient for recipient in settings.recipients}


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
    for sent, written in _envelope(settings).items():
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
