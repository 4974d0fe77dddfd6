"""A neighbouring directory's API for the feed tests: an HTTP server on 127.0.0.1 and the services it serves.

``feed_server`` (a fixture, registered for the directory's tests in ``conftest.py``) runs a threaded
http.server on a free port for the length of one test. ``feed_server.serve_services(records, per_page=2)``
serves them as the Open Referral UK API does: ``/services`` in pages of service_list summaries, each service
in full at ``/services/{id}``. ``feed_server.route(path, ...)`` answers one path as a test needs (a status,
a body, a wait, an endless body, a redirect). ``feed_server.url`` is the API's base address and
``feed_server.requests`` the (path with query, headers) of each request received, in order.

``sample_feed_records(n)`` makes ``n`` valid, fully nested service records of the kind a neighbour
publishes, without the database.
"""

import contextlib
import copy
import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from waymark.directory.hsds.schema import ORUK_SERVICE_LIST_SCHEMA, derived_id, load_standard

type Body = bytes | dict[str, Any] | list[Any] | str | Callable[[dict[str, str]], Any]


@dataclass
class Route:
    """How the server answers one path: ``body`` may be a function of the query (``{"page": "2", ...}``)."""

    status: int = 200
    body: Body = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # wait this long (or until the test ends) before answering
    endless: bool = False  # send the body again and again until the client goes (no Content-Length)
    drip: float = 0.0  # with endless: wait this long between pieces


class FeedServer:
    """The test's neighbour: routes by path (and by path with query first), and a record of the requests."""

    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.released = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        # A short poll so that stopping the server at each test's end takes a moment, not half a second.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.stopped = False

    def route(
        self,
        path: str,
        *,
        status: int = 200,
        body: Body = b"",
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        endless: bool = False,
        drip: float = 0.0,
    ) -> None:
        """Answer GET ``path`` (``/services``, or ``/services?page=2&per_page=100`` for one query only)."""
        self.routes[path] = Route(status, body, content_type, dict(headers or {}), delay, endless, drip)

    def serve_services(
        self, records: list[dict[str, Any]], *, per_page: int = 2, summaries: bool = True, prefix: str = ""
    ) -> None:
        """Serve ``records`` as an Open Referral UK API at ``url + prefix``: ``/services`` pages of at most
        ``per_page`` (fewer if the reader asks for fewer), service_list summaries unless ``summaries`` is
        false, and each record in full at ``/services/{id}``."""
        records = copy.deepcopy(records)

        def page(query: dict[str, str]) -> dict[str, Any]:
            size = max(1, min(per_page, int(query.get("per_page", per_page))))
            number = max(1, int(query.get("page", 1)))
            chosen = records[(number - 1) * size : number * size]
            contents = [service_summary(record) if summaries else record for record in chosen]
            total_pages = max(1, -(-len(records) // size))
            return {
                "total_items": len(records),
                "total_pages": total_pages,
                "page_number": number,
                "size": len(contents),
                "first_page": number == 1,
                "last_page": number >= total_pages,
                "empty": not contents,
                "contents": contents,
            }

        self.route(f"{prefix}/services", body=page)
        for record in records:
            self.route(f"{prefix}/services/{record['id']}", body=record)

    def paths(self) -> list[str]:
        """The paths (with queries) asked for, in order."""
        return [path for path, _headers in self.requests]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests.append((handler.path, dict(handler.headers.items())))
        parts = urlsplit(handler.path)
        route = self.routes.get(handler.path) or self.routes.get(parts.path)
        if route is None:
            route = Route(status=404, body={"detail": "Not found."})
        if route.delay:
            self.released.wait(route.delay)
        body = route.body
        if callable(body):
            body = body({name: values[-1] for name, values in parse_qs(parts.query).items()})
        raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
        handler.send_response(route.status)
        handler.send_header("Content-Type", route.content_type)
        for name, value in route.headers.items():
            handler.send_header(name, value)
        if not route.endless:
            handler.send_header("Content-Length", str(len(raw)))
            handler.end_headers()
            handler.wfile.write(raw)
            return
        handler.end_headers()  # HTTP/1.0: the body ends when the connection closes, which it never does
        while not self.released.is_set():
            handler.wfile.write(raw)
            handler.wfile.flush()
            if route.drip:
                self.released.wait(route.drip)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        self.released.set()  # answers still waiting go now, to a reader long gone
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def _handler(feed: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            # The reader may stop listening, as it should when an answer is too slow or too big.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                feed._answer(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A neighbouring directory's API on 127.0.0.1 for the length of the test."""
    server = FeedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


TLS_HOST = "feeds.neighbour.test"


@dataclass(frozen=True)
class TestAuthority:
    """A certificate authority made for the test run, and a certificate it signed for ``TLS_HOST``."""

    ca_file: Path
    server_context: ssl.SSLContext

    def client_context(self) -> ssl.SSLContext:
        """A client's default context that trusts this authority (and nothing else)."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        return context


@pytest.fixture(scope="session")
def test_authority(tmp_path_factory: pytest.TempPathFactory) -> TestAuthority:
    """Made with the openssl command (skipped where there is none): a CA and a server certificate for TLS_HOST."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command")
    folder = tmp_path_factory.mktemp("tls")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    (folder / "server.cnf").write_text(
        f"subjectAltName=DNS:{TLS_HOST}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    ca = ["-subj", "/CN=Test neighbour CA", "-addext", "basicConstraints=critical,CA:TRUE"]
    ca += ["-addext", "keyUsage=critical,keyCertSign"]
    signed = ["-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "1", "-days", "2", "-extfile", "server.cnf"]
    commands = [
        ["req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", *ca],
        ["req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={TLS_HOST}"],
        ["x509", "-req", "-in", "server.csr", *signed, "-out", "server.pem"],
    ]
    for command in commands:
        subprocess.run([openssl, *command], cwd=folder, check=True, capture_output=True)  # noqa: S603
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(folder / "server.pem", folder / "server.key")
    return TestAuthority(folder / "ca.pem", server_context)


@pytest.fixture
def tls_feed_server(test_authority: TestAuthority) -> Iterator[FeedServer]:
    """The same neighbour over https, with a certificate for TLS_HOST from ``test_authority``."""
    server = FeedServer(tls=test_authority.server_context)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# --- Records a neighbour publishes --------------------------------------------------------------------

NEIGHBOUR = "neighbour-directory"
NEIGHBOUR_TAXONOMY = {
    "id": derived_id(NEIGHBOUR, "taxonomy"),
    "name": "Neighbour needs",
    "description": "The needs a neighbouring directory files its services under.",
    "version": "2",
}
SERVICE_NAMES = (
    "Talking Together",
    "Hope Street Drop-in",
    "Men's Shed Wellbeing",
    "Family Link Advocacy",
    "Quiet Room Peer Support",
    "Riverside Carers Café",
    "Sunrise Befriending",
    "Open Arms Bereavement Group",
)
NEEDS = ("Peer support", "Advocacy", "Bereavement", "Carers")


def feed_postcode(number: int) -> str:
    """A postcode no real place has, one per sample record (districts ZW1 to ZW9)."""
    return f"ZW{number % 9 + 1} {number % 10}{'ABDEFGHJLN'[number // 10 % 10]}{'PQRSTUWXYZ'[number // 100 % 10]}"


def sample_feed_records(n: int, *, start: int = 1) -> list[dict[str, Any]]:
    """``n`` valid Open Referral UK services as a neighbour's API gives them in full, numbered from ``start``:
    stable uuid ids, an organisation (one for every three services), one place each with an address,
    postcode and coordinates, a phone, weekly hours, a language, a cost and a need of the neighbour's own
    taxonomy. Service ``k`` is the same record whatever ``n`` is."""
    return [_sample_record(number) for number in range(start, start + n)]


def _sample_record(number: int) -> dict[str, Any]:
    sid = derived_id(NEIGHBOUR, "service", number)
    oid = derived_id(NEIGHBOUR, "organization", (number - 1) // 3)
    lid = derived_id(NEIGHBOUR, "location", number)
    name = f"{SERVICE_NAMES[(number - 1) % len(SERVICE_NAMES)]} {number}"
    need = NEEDS[(number - 1) % len(NEEDS)]
    term_id = derived_id(NEIGHBOUR, "term", need)
    return {
        "id": sid,
        "organization_id": oid,
        "name": name,
        "description": f"{name}: a place to talk, run by a neighbouring directory's charity.",
        "url": f"https://neighbour.example/services/{number}",
        "email": f"service{number}@neighbour.example",
        "status": "active",
        "eligibility_description": "Adults living nearby.",
        "minimum_age": 18,
        "assured_date": "2026-10-01",
        "phones": [{"id": derived_id(sid, "phone"), "service_id": sid, "number": f"020 7946 {number % 10000:04d}"}],
        "schedules": [
            {
                "id": derived_id(sid, "schedule"),
                "service_id": sid,
                "freq": "WEEKLY",
                "byday": "TU",
                "opens_at": "10:00",
                "closes_at": "15:00",
            }
        ],
        "service_at_locations": [
            {
                "id": derived_id(sid, lid),
                "service_id": sid,
                "location_id": lid,
                "location": {
                    "id": lid,
                    "location_type": "physical",
                    "organization_id": oid,
                    "name": f"{name} rooms",
                    "latitude": round(51.5 + number % 97 / 1000, 6),
                    "longitude": round(-0.1 - number % 89 / 1000, 6),
                    "addresses": [
                        {
                            "id": derived_id(lid, "address"),
                            "location_id": lid,
                            "address_1": f"{number} Neighbour Road",
                            "city": "Nextborough",
                            "state_province": "England",
                            "postal_code": feed_postcode(number),
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": [],
                },
            }
        ],
        "languages": [{"id": derived_id(sid, "language", "eng"), "service_id": sid, "name": "English", "code": "eng"}],
        "organization": {
            "id": oid,
            "name": f"Nextborough Community Trust {(number - 1) // 3 + 1}",
            "description": "A charity in the neighbouring borough.",
            "website": "https://neighbour.example/",
            "organization_identifiers": [],
        },
        "cost_options": [
            {"id": derived_id(sid, "cost"), "service_id": sid, "option": "Free", "amount": 0, "currency": "GBP"}
        ],
        "contacts": [],
        "attributes": [
            {
                "id": derived_id(sid, term_id),
                "link_id": sid,
                "taxonomy_term_id": term_id,
                "link_entity": "service",
                "taxonomy_term": {
                    "id": term_id,
                    "code": need.lower().replace(" ", "-"),
                    "name": need,
                    "description": f"Services for {need.lower()}.",
                    "taxonomy": NEIGHBOUR_TAXONOMY["name"],
                    "taxonomy_id": NEIGHBOUR_TAXONOMY["id"],
                    "taxonomy_detail": NEIGHBOUR_TAXONOMY,
                },
            }
        ],
    }


def service_summary(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` as a page of ``/services`` lists it: the UK profile's service_list fields only, with its
    organisation's id, name, description and website."""
    fields = load_standard(ORUK_SERVICE_LIST_SCHEMA)["properties"]
    summary = {key: value for key, value in record.items() if key in fields and key != "organization"}
    organisation = record.get("organization")
    if isinstance(organisation, dict):
        summary["organization"] = {
            key: organisation[key] for key in ("id", "name", "description", "website") if key in organisation
        }
    return summary
