"""Host-name lookups that end within a time limit, for ``digest fetch`` and ``digest email --send``.

``socket.getaddrinfo`` waits in the C library for the name servers: no socket timeout reaches it, and a signal
(the fetch's deadline) is handled only once it returns. A name server that does not answer held a fetch with
``--deadline 3`` for 31 s and a send with ``--timeout 2`` for 30 s (glibc's ``timeout:10 attempts:3``; more name
servers or search domains wait longer still). The lookup runs in a thread of its own, waited for at most the time
given (a wait that the deadline's alarm does interrupt); a lookup still running then ends on its own, unused.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

AddressInfo = tuple[Any, ...]
"""What ``socket.getaddrinfo`` gives for each address: family, kind, protocol, canonical name, address."""


class LookupTimeout(TimeoutError):
    """The name servers did not answer a lookup in time."""

    def __init__(self, host: str, seconds: float) -> None:
        super().__init__(f"the host name lookup of {host} took more than {seconds:g} s")
        self.host = host
        self.seconds = seconds


def addresses(host: str, port: int, seconds: float | None, family: int = 0) -> list[AddressInfo]:
    """``socket.getaddrinfo(host, port, family, SOCK_STREAM)``, waited for at most ``seconds`` (None: as long as it
    takes, but still interruptible by a signal): ``LookupTimeout`` past them, ``socket.gaierror`` as the lookup's own.
    An address (``127.0.0.1``, ``::1``) is no lookup and is answered at once."""
    try:
        return socket.getaddrinfo(host, port, family, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)
    except socket.gaierror:
        pass  # a name: the name servers are asked
    found: list[list[AddressInfo]] = []
    failed: list[BaseException] = []
    done = threading.Event()

    def look() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, family, socket.SOCK_STREAM))
        except BaseException as error:  # handed to the waiting thread, which raises it
            failed.append(error)
        finally:
            done.set()

    threading.Thread(target=look, name=f"lookup of {host}", daemon=True).start()
    if not done.wait(seconds):
        raise LookupTimeout(host, seconds or 0.0)
    if failed:
        raise failed[0]
    return found[0]


def create_connection(address: tuple[str, int], timeout: float, source_address: Any = None) -> socket.socket:
    """``socket.create_connection`` whose lookup is bounded by ``timeout`` too, as each connection attempt is."""
    host, port = address
    failure: OSError | None = None
    for family, kind, protocol, _, target in addresses(host, port, timeout):
        sock = socket.socket(family, kind, protocol)
        try:
            sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(target)
        except OSError as error:
            sock.close()
            failure = error
            continue
        return sock
    raise failure or OSError(f"no address found for {host}")
