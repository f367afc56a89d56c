"""The settings of ``digest email --send``, from the environment: the server, its security, the login, the addresses.

``SMTP_HOST``, ``SMTP_PORT``, ``SMTP_USERNAME``, ``SMTP_PASSWORD``, ``MAIL_FROM``, ``MAIL_TO``
(comma-separated, each with or without a name), ``SMTP_SECURITY`` (``starttls``, the default but on port 465;
``tls``: TLS from the first byte; ``none``: plain text, refused unless the host is a loopback address) and
``SMTP_CA_FILE`` (trust this CA file instead of the system's). Every setting missing or wrong is reported at once.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import idna

from generator.counts import whole_number
from generator.errors import MailError

SECURITY_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_TIMEOUT = 30.0
LOOPBACK_NAMES = ("localhost",)
HOST_AND_PORT = re.compile(r"(\[[^\]]*\]|[^:\[\]]+):(\d*)")


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
        return len(envelope(self))

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


def envelope(settings: SmtpSettings) -> dict[str, str]:
    """The recipients' addresses as sent (ASCII, without a name) and as MAIL_TO has them: a refusal names the
    recipient as written (``Ann <ann@bücher.de>``), which the deploy workflow masks in its log."""
    return {ascii_address(named_address(recipient, "MAIL_TO")[1]): recipient for recipient in settings.recipients}
