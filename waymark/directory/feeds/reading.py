"""Reading another directory's Open Referral UK (or HSDS 3.0) API: every service, page by page, politely and safely.

The feed's address is typed by staff, so a request must never reach what the server itself can reach but the
public cannot (the cloud's metadata address, a database on the private network, the admin pages on
localhost). Each request therefore resolves the host once, refuses unless every address it resolves to is
on the public internet (or in a network an administrator allows, ``DIRECTORY_FEED_ALLOWED_NETWORKS``), and
connects to that checked address itself, so a second, different answer from DNS cannot slip in between the
check and the connection. Redirects are followed a few times, each checked the same way. The Host header,
and for https the name sent to the server and checked against its certificate, stay the host's own name.

The reader is polite to the neighbour: one request at a time with a pause between them, a time-out, and a
User-Agent that names Waymark and whom to contact. It is also wary of it: a page larger than the limit is
not read beyond it, and a feed that goes on paginating stops with a message. Anything that goes wrong
raises ``FeedUnreadable`` with a message for the feed's page, and nothing is returned in part; only a listed
service whose own record is gone (404, 410) or is not a record is named in ``unreadable``, as that record's
problem, while the rest are read.
"""

import functools
import hashlib
import http.client
import ipaddress
import json
import socket
import ssl
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

# The UK profile's page parameters; a server may give fewer per page, and total_pages then says how many.
PER_PAGE = 100
MAX_REDIRECTS = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
GONE_STATUSES = frozenset({404, 410})
# Besides the time-out on each read, a whole answer must arrive within this many time-outs, so a server
# sending a byte now and then cannot hold the run for ever.
WHOLE_ANSWER_TIMEOUTS = 10
CHUNK_BYTES = 64 * 1024
# NAT64's well-known prefix carries an IPv4 address in its last 32 bits (RFC 6052).
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address
type Progress = Callable[[int, int], None]


class FeedUnreadable(Exception):
    """The feed could not be read in full; ``str(error)`` is a plain-English message for the feed's page."""


class RecordUnreadable(FeedUnreadable):
    """The address of one record answered that it is not there (404 or 410): the record's problem, not the feed's."""


@dataclass(frozen=True)
class FeedRead:
    """Every service of a feed, as read."""

    records: list[dict[str, Any]]  # full service records, in feed order (anything else in the feed kept as it is)
    pages: int  # pages of /services read
    requests: int  # HTTP requests made in all
    # A service listed in a page whose own record could not be had (gone, or not a record): its id → why. Its
    # summary stays in ``records`` so the caller knows it is still listed, and can quarantine it.
    unreadable: dict[str, str] = field(default_factory=dict)


# --- The address ---------------------------------------------------------------------------------------


def check_feed_address(url: str) -> None:
    """Refuse (``ValidationError`` with a plain message) an address that is not http(s), has a user name or
    password in it, cannot be found, or whose host resolves to any address that is not on the public
    internet, unless that address is in one of ``settings.DIRECTORY_FEED_ALLOWED_NETWORKS``."""
    _checked_target(url)


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query
    addresses: tuple[str, ...]  # every address the host resolved to, each checked


def _checked_target(url: str) -> _Target:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise ValidationError(f"The address is not a web address: {error}") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError("The address must start with https:// or http://")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValidationError("The address must not contain a user name or password")
    host = parts.hostname
    if not host:
        raise ValidationError("The address has no host name")
    scheme = parts.scheme.lower()
    port = port or (443 if scheme == "https" else 80)
    addresses = _resolve(host, port)
    for address in addresses:
        refusal = _refusal(address)
        if refusal:
            raise ValidationError(
                f"The address resolves to {address}, {refusal}; an administrator must allow that network"
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Target(scheme, host, port, path, tuple(str(address) for address in addresses))


def _resolve(host: str, port: int) -> list[Address]:
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ValidationError(f"{host} could not be found: {getattr(error, 'strerror', None) or error}") from error
    addresses: list[Address] = []
    for *_, sockaddr in answers:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ValidationError(f"{host} could not be found")
    return addresses


def _embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, NAT64, 6to4), which is where it leads."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def _refusal(address: Address) -> str:
    """Why a feed may not be read from ``address`` (empty when it may): what kind of address it is."""
    if any(address in network for network in _allowed_networks()):
        return ""
    inner = _embedded_ipv4(address)
    if inner is not None:
        return _refusal(inner)
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address (this server itself)"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private network address"
    if not address.is_global:
        return "not a public internet address"
    return ""


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(cidr, strict=False) for cidr in settings.DIRECTORY_FEED_ALLOWED_NETWORKS]


# --- One request ---------------------------------------------------------------------------------------


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address already checked, whatever the host name would resolve to now."""

    def __init__(self, host: str, port: int, *, addresses: tuple[str, ...], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the connection goes to the checked address, the certificate is checked against
    the host's name (sent as SNI)."""

    def __init__(self, host: str, port: int, *, addresses: tuple[str, ...], timeout: float) -> None:
        self.tls = _tls_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.addresses = addresses

    def connect(self) -> None:
        sock = _connect(self.addresses, self.port, self.timeout)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _tls_context() -> ssl.SSLContext:
    """Certificates checked against the system's authorities and the host's name."""
    return ssl.create_default_context()


def _connect(addresses: tuple[str, ...], port: int, timeout: float | None) -> socket.socket:
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as failure:
            error = failure
    raise error or OSError("no address to connect to")


@functools.cache
def waymark_version() -> str:
    try:
        return metadata.version("waymark")
    except metadata.PackageNotFoundError:
        pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
        try:
            return str(tomllib.loads(pyproject.read_text())["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def user_agent() -> str:
    """Waymark and its version, the site, and whom the neighbour can write to about these requests."""
    return f"Waymark/{waymark_version()} (+{settings.SITE_URL}; {settings.DIRECTORY_FEED_CONTACT})"


class _Reader:
    """The requests of one feed run: the pause between them, the count, and each answer read safely."""

    def __init__(self, progress: Progress | None) -> None:
        self.requests = 0
        self.progress = progress
        self.timeout = float(settings.DIRECTORY_FEED_TIMEOUT)
        self.delay = float(settings.DIRECTORY_FEED_REQUEST_DELAY)
        self.max_bytes = int(settings.DIRECTORY_FEED_MAX_PAGE_BYTES)
        self.headers = {"User-Agent": user_agent(), "Accept": "application/json"}

    def get_json(self, url: str, label: str) -> Any:
        """The JSON answer to GET ``url``, following a few redirects; ``label`` ("Page 3") names it in messages."""
        body = self._get(url, label)
        try:
            return json.loads(body.decode("utf-8-sig"), parse_constant=_no_constant)
        except UnicodeDecodeError as error:
            raise FeedUnreadable(f"{label} is not UTF-8 text: {error.reason} at byte {error.start}") from error
        except json.JSONDecodeError as error:
            raise FeedUnreadable(
                f"{label} is not JSON: {error.msg} at line {error.lineno} column {error.colno}"
            ) from error
        except ValueError as error:
            raise FeedUnreadable(f"{label} is not JSON: {error}") from error
        except RecursionError as error:
            raise FeedUnreadable(f"{label} is JSON nested too deeply to read") from error

    def _get(self, url: str, label: str) -> bytes:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                target = _checked_target(url)
            except ValidationError as error:
                raise FeedUnreadable(f"{url}: {error.message}") from error
            status, reason, location, body = self._request(target, url, label)
            if status in REDIRECT_STATUSES and location:
                url = urljoin(url, location)
                continue
            if status in GONE_STATUSES:
                raise RecordUnreadable(f"{url} answered {status} {reason}".rstrip())
            if not 200 <= status < 300:
                raise FeedUnreadable(f"{url} answered {status} {reason}".rstrip())
            return body
        raise FeedUnreadable(f"{label} was redirected more than {MAX_REDIRECTS} times")

    def _request(self, target: _Target, url: str, label: str) -> tuple[int, str, str, bytes]:
        if self.requests:
            time.sleep(self.delay)
        self.requests += 1
        connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(target.host, target.port, addresses=target.addresses, timeout=self.timeout)
        deadline = time.monotonic() + self.timeout * WHOLE_ANSWER_TIMEOUTS
        try:
            connection.request("GET", target.path, headers=self.headers)
            response = connection.getresponse()
            if response.status in REDIRECT_STATUSES:
                return response.status, response.reason, response.getheader("Location", ""), b""
            if not 200 <= response.status < 300:
                return response.status, response.reason, "", b""
            return response.status, response.reason, "", self._body(connection, response, label, deadline)
        except TimeoutError as error:
            raise FeedUnreadable(f"{label} did not answer within {self.timeout:g} seconds") from error
        except ssl.SSLCertVerificationError as error:
            raise FeedUnreadable(f"{url} could not be reached securely: {error.verify_message}") from error
        except ssl.SSLError as error:
            raise FeedUnreadable(f"{url} could not be reached securely: {error.reason or error}") from error
        except (OSError, http.client.HTTPException, ValueError) as error:
            # ValueError: http.client refuses a path or header it could not send as it is.
            raise FeedUnreadable(f"{url} could not be read: {_describe(error)}") from error
        finally:
            connection.close()

    def _body(
        self, connection: http.client.HTTPConnection, response: http.client.HTTPResponse, label: str, deadline: float
    ) -> bytes:
        """The answer's body, read a piece at a time and never beyond the limit."""
        too_big = FeedUnreadable(f"{label} is larger than {_describe_bytes(self.max_bytes)}; Waymark stops there")
        length = response.getheader("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise too_big
        pieces: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FeedUnreadable(
                    f"{label} did not arrive in full within {self.timeout * WHOLE_ANSWER_TIMEOUTS:g} seconds"
                )
            # (http.client lets go of the socket of an answer that ends when the connection closes; each read
            # of it keeps the time-out it was made with, and the deadline is checked between reads.)
            if connection.sock is not None:
                connection.sock.settimeout(min(self.timeout, remaining))
            piece = response.read1(min(CHUNK_BYTES, self.max_bytes + 1 - size))  # what has come, not more
            if not piece:
                return b"".join(pieces)
            pieces.append(piece)
            size += len(piece)
            if size > self.max_bytes:
                raise too_big

    def advance(self, expected: int) -> None:
        if self.progress is not None:
            self.progress(self.requests, max(self.requests, expected))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _describe(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(error, http.client.RemoteDisconnected | http.client.IncompleteRead):
        return "the server closed the connection before answering in full"
    return str(error) or type(error).__name__


def _describe_bytes(size: int) -> str:
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size:,} bytes"


# --- The feed ------------------------------------------------------------------------------------------


def read_feed(url: str, *, progress: Progress | None = None) -> FeedRead:
    """Read every service of the feed at ``url`` (the API's base address; its services are at ``/services``).

    Pages of ``/services`` are read in turn until the feed says it has no more (``last_page``, ``total_pages``
    or an empty page); a bare list of services is one page. A service a page gives in summary (the UK
    profile's service_list, without ``service_at_locations``) is read in full from ``/services/{id}``.
    Anything in a page that is not a service with an id is kept as it is, for the caller to report; so is the
    summary of a service whose own record is gone or not a record, with the reason in ``unreadable``.
    ``progress(done, expected)`` is told the requests made and expected so far.
    """
    base = url.strip().rstrip("/")
    reader = _Reader(progress)
    limits = _Limits(pages=int(settings.DIRECTORY_FEED_MAX_PAGES), records=int(settings.DIRECTORY_FEED_MAX_RECORDS))
    records: list[Any] = []
    seen: dict[str, int] = {}  # each page's contents (a digest) → its number
    summaries_read = 0
    unreadable: dict[str, str] = {}
    number = 0
    while True:
        number += 1
        if number > limits.pages:
            raise FeedUnreadable(f"The feed has more than {limits.pages:,} pages; Waymark stops there")
        label = f"Page {number}"
        data = reader.get_json(f"{base}/services?{urlencode({'page': number, 'per_page': PER_PAGE})}", label)
        page = _page(data)
        if page is None or (isinstance(data, list) and number > 1):
            raise FeedUnreadable(
                f"{label} is not a page of services (a record with 'contents') or a list of services: "
                f"it is {_kind(data)}"
            )
        limits.check(page, label, records=len(records), seen=seen, number=number)
        summaries = [index for index, item in enumerate(page.contents) if _is_summary(item)]
        summaries_read += len(summaries)
        # Requests still to come: these summaries, then the pages left, each with as many summaries as so far.
        pages_left = 0 if page.last(number) else (page.total_pages - number if page.total_pages is not None else 1)
        later = round(pages_left * (1 + summaries_read / number))
        reader.advance(reader.requests + len(summaries) + later)
        for done, index in enumerate(summaries, start=1):
            service_id = page.contents[index]["id"]
            try:
                detail = reader.get_json(f"{base}/services/{quote(service_id, safe='')}", f"Service {service_id}")
            except RecordUnreadable as error:
                # One record gone from a feed that still lists it is that record's problem: the rest are read.
                unreadable[service_id] = f"is listed, but its own record could not be read: {error}"
            else:
                if isinstance(detail, dict):
                    page.contents[index] = detail
                else:
                    unreadable[service_id] = (
                        f"is listed, but its own record is not a service record: it is {_kind(detail)}"
                    )
            reader.advance(reader.requests + len(summaries) - done + later)
        records.extend(page.contents)
        if page.last(number):
            return FeedRead(records=records, pages=number, requests=reader.requests, unreadable=unreadable)


@dataclass(frozen=True)
class _Page:
    """One answer of ``/services``: a page of the UK profile's shape, or a bare list of services."""

    data: Any
    contents: list[Any]
    total_pages: int | None  # as the page says, if it says
    total_items: int | None
    last_page: bool

    def last(self, number: int) -> bool:
        return (
            self.last_page
            or not self.contents
            or (self.total_pages is not None and number >= self.total_pages)
            or isinstance(self.data, list)
        )


def _page(data: Any) -> _Page | None:
    if isinstance(data, list):
        return _Page(data, data, 1, None, True)
    if not isinstance(data, dict) or not isinstance(data.get("contents"), list):
        return None
    return _Page(
        data,
        data["contents"],
        _count(data.get("total_pages")),
        _count(data.get("total_items")),
        (data.get("last_page") is True),
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


@dataclass(frozen=True)
class _Limits:
    """How far Waymark goes with one feed."""

    pages: int
    records: int

    def check(self, page: _Page, label: str, *, records: int, seen: dict[str, int], number: int) -> None:
        """Stop a feed that claims more than the limits, has gone past them, or gives a page it gave before."""
        if page.total_pages is not None and page.total_pages > self.pages:
            raise FeedUnreadable(
                f"The feed says it has {page.total_pages:,} pages; Waymark reads at most {self.pages:,}"
            )
        if page.total_items is not None and page.total_items > self.records:
            raise FeedUnreadable(
                f"The feed says it has {page.total_items:,} services; Waymark reads at most {self.records:,}"
            )
        if records + len(page.contents) > self.records:
            raise FeedUnreadable(f"The feed has more than {self.records:,} services; Waymark stops there")
        digest = hashlib.sha256(json.dumps(page.contents, sort_keys=True).encode()).hexdigest()
        if page.contents and digest in seen:
            raise FeedUnreadable(f"{label} repeats page {seen[digest]}; the feed seems to paginate for ever")
        seen[digest] = number


def _is_summary(item: Any) -> bool:
    """A service given by its own fields only (service_list), to be read in full."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str)
        and item["id"] != ""
        and ("service_at_locations" not in item)
    )


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(sorted(str(key) for key in value)[:5])
        return f"a record with {keys}" if keys else "an empty record"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else f"a {type(value).__name__}"
