"""Secrets: the token and the API key never show in repr()/str() of any SDK
object, in any exception message (even when the server echoes them back), in
debug logs of users_sdk, httpx2 and httpcore2 during a run with retries and
errors, or in the cassettes; TLS certificates are verified unless turned off.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import json
import logging
import re
import shutil
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml

import users_sdk
from users_sdk import (
    APIConnectionError,
    AsyncUsersClient,
    ConfigurationError,
    UsersAPIError,
    UsersClient,
)

from .conftest import OWNER_API_KEY, OWNER_TOKEN
from .fault_proxy import FaultProxy
from .misbehaving_server import user_json

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "tok_reliability_secret_8c1f"
API_KEY = "key_reliability_secret_77ab"
PASSWORD = "correct horse battery staple 42"
RESET_TOKEN = "rst_reliability_secret_5e5e"
_TLS = ssl.create_default_context()

EXCEPTION_CLASSES = {
    getattr(users_sdk, name)
    for name in users_sdk.__all__
    if inspect.isclass(getattr(users_sdk, name))
    and issubclass(getattr(users_sdk, name), UsersAPIError)
    and getattr(users_sdk, name) is not UsersAPIError
}


def _assert_hidden(text: str, *secrets: str) -> None:
    for secret in secrets or (TOKEN, API_KEY):
        assert secret not in text, f"a secret shows in: {text[:300]}"


def _texts(obj: object) -> list[str]:
    texts = [repr(obj), str(obj)]
    if isinstance(obj, BaseException):
        texts += [repr(obj.args), str(getattr(obj, "detail", ""))]
    return texts


# ---- a server that echoes the credential back --------------------------------------


def _echo(request: httpx2.Request) -> str:
    return f"{request.headers.get('authorization', '')} {request.headers.get('x-api-key', '')}"


def _echoing_handler(request: httpx2.Request) -> httpx2.Response:
    """Each path names a status; every answer quotes the request's credential."""
    echoed = _echo(request)
    named = re.fullmatch(r"/v1/users/s(\d+)", request.url.path)
    status = int(named[1]) if named else 404
    problem = {
        "type": "about:blank",
        "title": f"Echo {echoed}",
        "status": status,
        "detail": f"Your headers were: Authorization: {echoed}",
        "request_id": echoed,
        "errors": [{"field": f"header {echoed}", "message": echoed, "code": "echo"}],
    }
    if status == 200:  # a user whose date is the credential: a parse error quoting it
        return httpx2.Response(200, json=user_json(created_at=echoed, id=echoed))
    if status in {500, 520}:
        return httpx2.Response(
            status, text=f"<html><pre>Debug page. Request headers: {echoed}</pre></html>"
        )
    if status == 1:
        raise httpx2.ConnectError(f"proxy refused the request with {echoed}")
    if status == 2:
        raise httpx2.ReadTimeout(f"timed out waiting, sent {echoed}")
    return httpx2.Response(
        status,
        json=problem,
        headers={"content-type": "application/problem+json", "x-request-id": "req_echo"},
    )


ECHO_STATUSES = [200, 400, 401, 403, 404, 409, 412, 413, 418, 422, 429, 500, 501, 503, 520, 1, 2]


def _client(transport: httpx2.MockTransport, **credential: str) -> UsersClient:
    client = UsersClient(
        base_url="http://users.test",
        max_retries=1,
        http_client=httpx2.Client(transport=transport, verify=_TLS),
        **credential,
    )
    client._sleep = lambda seconds: None
    return client


def _provoke_every_error(users: Any) -> list[UsersAPIError]:
    """One instance (at least) of every exception class of the SDK."""
    errors: list[UsersAPIError] = []

    def collect(call: Callable[[], Any]) -> None:
        try:
            call()
        except UsersAPIError as error:
            errors.append(error)
        else:
            raise AssertionError("expected an SDK error")

    for status in ECHO_STATUSES:
        collect(lambda status=status: users.get(f"s{status}"))  # type: ignore[misc]
    collect(lambda: users.get(""))  # InvalidArgumentError
    collect(lambda: users.get(None))  # InvalidArgumentTypeError
    collect(lambda: users.set_password(RESET_TOKEN, PASSWORD + "\ud800"))
    collect(lambda: users.update("s412", department="x", if_match=3))
    collect(lambda: users.create({"email": "a@b.c", "password": PASSWORD}))  # no such field
    collect(
        lambda: users.create(email="a@b.c", extra_body={"password": PASSWORD, "x": float("nan")})
    )
    # A credential with a trailing newline, passed per call: the message names the header only.
    collect(lambda: users.me(extra_headers={"Authorization": f"Bearer {TOKEN}\n"}))
    collect(lambda: users._client.request("GET", "/v1/x", headers={"X-API-Key": API_KEY + "\n"}))
    for credential in ({"token": TOKEN, "api_key": API_KEY}, {"token": TOKEN + "\n"}):
        collect(lambda credential=credential: UsersClient(base_url="http://u.test", **credential))  # type: ignore[misc]
    collect(lambda: UsersClient(base_url=f"http://me:{TOKEN}@users.test", token=TOKEN))
    # A provider whose value is not a credential, and one whose own error quotes it.
    with_provider = users._client.with_options(token=lambda: f" {TOKEN}\n")
    collect(lambda: with_provider.users.me())

    def leaky_provider() -> str:
        raise RuntimeError(f"refresh failed for {TOKEN} / {API_KEY}")

    collect(lambda: users._client.with_options(api_key=leaky_provider).users.me())
    collect(lambda: UsersClient(base_url="http://users.test", token=TOKEN, verify="/nonexistent"))
    return errors


@pytest.mark.parametrize("credential", [{"token": TOKEN}, {"api_key": API_KEY}])
def test_no_exception_message_carries_the_credential_even_when_echoed(
    credential: dict[str, str],
) -> None:
    client = _client(httpx2.MockTransport(_echoing_handler), **credential)
    errors = _provoke_every_error(client.users)
    page_client = _client(
        httpx2.MockTransport(lambda request: httpx2.Response(200, json={"items": []})), **credential
    )
    try:
        page_client.users.list().next_page()
    except UsersAPIError as error:  # NoMorePagesError
        errors.append(error)
    assert {type(error) for error in errors} >= EXCEPTION_CLASSES, EXCEPTION_CLASSES - {
        type(error) for error in errors
    }
    for error in errors:
        for text in _texts(error):
            _assert_hidden(text, TOKEN, API_KEY, PASSWORD, RESET_TOKEN)
    # Still useful: the echoed page is quoted, with the credential blanked out.
    assert any("[REDACTED]" in str(error) for error in errors)


@pytest.mark.anyio
async def test_repr_and_str_of_every_sdk_object(anyio_backend: str) -> None:
    def answer(request: httpx2.Request) -> httpx2.Response:
        if request.url.path == "/v1/users":
            return httpx2.Response(200, json={"items": [user_json()], "next_cursor": None})
        return httpx2.Response(200, json=user_json())

    transport = httpx2.MockTransport(answer)
    objects: list[object] = []
    for credential in ({"token": TOKEN}, {"api_key": API_KEY}):
        client = _client(transport, **credential)
        raw = client.users.with_raw_response.me()
        objects += [
            client,
            client.with_options(timeout=3.0, max_retries=0),
            client.users,
            client.users.with_raw_response,
            client.users.list(),
            raw,
            raw.parse(),
            client.users.with_raw_response.list(),
        ]
        async_client = AsyncUsersClient(
            base_url="http://users.test",
            http_client=httpx2.AsyncClient(transport=transport, verify=_TLS),
            **credential,
        )
        paginator = async_client.users.list()
        objects += [
            async_client,
            async_client.with_options(timeout=3.0),
            async_client.users,
            async_client.users.with_raw_response,
            paginator,
            await paginator,
            await async_client.users.with_raw_response.me(),
        ]
        await async_client.close()
        # Clients made from the environment, and with the default transport.
        for made in (UsersClient, AsyncUsersClient):
            objects.append(made(base_url="https://users.example.com", **credential))
    for obj in objects:
        for text in _texts(obj):
            _assert_hidden(text)
    assert sum("[REDACTED]" in repr(obj) for obj in objects) >= 8


# ---- logs at DEBUG, a real server, retries and errors --------------------------------


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in ("users_sdk", "httpx2", "httpcore2"):
        caplog.set_level(logging.DEBUG, logger=name)
    caplog.set_level(logging.DEBUG)
    return caplog


def _scan_logs(caplog: pytest.LogCaptureFixture, *secrets: str) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    text = "\n".join(formatter.format(record) for record in caplog.records)
    for secret in secrets:
        assert secret not in text, f"{secret!r} is in the debug log"
    return text


def _workload(users: Any) -> None:
    created = users.create(email=f"log-{id(users)}@logs.example.com", display_name="Log")
    users.get(created.id)
    users.update(created.id, department="R&D", if_match=created.version)
    # A few pages, cursors followed: not every user the session's server holds.
    # It is shared with the other reliability tests (test_load leaves 2,000
    # users): a walk to the end was a thousand pages through the faults, ~80 s
    # a run, for no secret the first pages do not already show.
    list(itertools.islice(users.list(limit=2), 6))
    users.reset_password("owner@example.com")
    for call in (
        lambda: users.set_password(RESET_TOKEN, PASSWORD),  # unknown token: 400
        lambda: users.get("usr_missing"),  # 404
        lambda: users.create(email="ada@localhost"),  # 422: the API wants a dotted domain
        lambda: users.update(created.id, department="x", if_match=99),  # 412
    ):
        with pytest.raises(UsersAPIError):
            call()
    users.delete(created.id)


@pytest.mark.parametrize("credential", [{"token": OWNER_TOKEN}, {"api_key": OWNER_API_KEY}])
def test_debug_logs_of_a_run_with_retries_and_errors(
    reference_server: str, debug_logs: pytest.LogCaptureFixture, credential: dict[str, str]
) -> None:
    with (
        FaultProxy(reference_server, rate=0.3, seed=99, delay=0.5) as proxy,
        UsersClient(
            base_url=proxy.base_url, timeout=httpx2.Timeout(0.3, connect=2), **credential
        ) as client,
    ):
        client._sleep = lambda seconds: None
        client.with_options(max_retries=6).users.me()
        for _ in range(3):
            # A fault may outlast the retries: fine, the logs are what is checked.
            with contextlib.suppress(UsersAPIError):
                _workload(client.with_options(max_retries=6).users)
    text = _scan_logs(debug_logs, OWNER_TOKEN, OWNER_API_KEY, PASSWORD, RESET_TOKEN)
    assert "Retrying " in text  # the run did retry
    assert "httpcore2" in text  # and the transport's own debug logs were on
    assert "-> 404" in text
    assert "cursor=" in text  # and a listing went past its first page


@pytest.mark.anyio
async def test_async_debug_logs(
    reference_server: str, debug_logs: pytest.LogCaptureFixture, anyio_backend: str
) -> None:
    async with AsyncUsersClient(base_url=reference_server, token=OWNER_TOKEN) as client:
        await client.users.me()
        with pytest.raises(UsersAPIError):
            await client.users.set_password(RESET_TOKEN, PASSWORD)
        with pytest.raises(UsersAPIError):
            await client.users.get("usr_missing")
    _scan_logs(debug_logs, OWNER_TOKEN, PASSWORD, RESET_TOKEN)


# ---- cassettes -----------------------------------------------------------------------

# Every credential the reference server accepts, which recordings were made with.
SERVER_SECRETS = ("owner-token", "viewer-token", "owner-key", "viewer-key")


def test_cassettes_hold_no_credential() -> None:
    cassettes = sorted((ROOT / "cassettes").rglob("*.yaml"))
    assert cassettes
    for path in cassettes:
        text = path.read_text()
        for secret in SERVER_SECRETS:
            assert secret not in text, f"{secret} in {path}"
        for interaction in yaml.safe_load(text)["interactions"]:
            headers = {k.lower(): v for k, v in interaction["request"]["headers"].items()}
            for value in headers.get("authorization", []):
                assert value == "Bearer <TOKEN>", f"{path}: authorization {value!r}"
            for value in headers.get("x-api-key", []):
                assert value == "<API-KEY>", f"{path}: x-api-key {value!r}"
            body = interaction["request"].get("body") or ""
            if "password" in body:
                sent = json.loads(body)
                assert sent.get("password") in {None, "<REDACTED-PASSWORD>"}, path
                assert sent.get("reset_token") in {None, "<RESET-TOKEN>"}, path


# ---- TLS -----------------------------------------------------------------------------


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key: with `cryptography` if installed,
    else the openssl command; skips the test when neither is there."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        import datetime

        from cryptography import x509  # type: ignore[import-not-found]
        from cryptography.hazmat.primitives import hashes, serialization  # type: ignore[import-not-found]
        from cryptography.hazmat.primitives.asymmetric import ec  # type: ignore[import-not-found]
        from cryptography.x509.oid import NameOID  # type: ignore[import-not-found]
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("no way to make a certificate: neither cryptography nor openssl is here")
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True,
            capture_output=True,
        )  # fmt: skip
        return cert, key
    import ipaddress

    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(private_key, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


class _UserHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        body = json.dumps(user_json()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    connections = 0

    def process_request(self, request: Any, client_address: Any) -> None:
        type(self).connections += 1
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that refuses our certificate hangs up mid-handshake: expected


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real HTTPS server on loopback with a self-signed certificate."""
    cert, key = _self_signed_certificate(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = _QuietServer(("127.0.0.1", 0), _UserHandler)
    # Handshake in the handler thread, not in accept(): a refused handshake then
    # cannot stall the accepting loop.
    server.socket = context.wrap_socket(
        server.socket, server_side=True, do_handshake_on_connect=False
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_certificates_are_verified_by_default(tls_server: tuple[str, Path]) -> None:
    url, _ = tls_server
    with UsersClient(base_url=url, token=TOKEN) as client:
        client._sleep = lambda seconds: None
        before = _QuietServer.connections
        with pytest.raises(APIConnectionError) as caught:
            client.users.me()
    message = str(caught.value)
    assert "CERTIFICATE_VERIFY_FAILED" in message
    assert "verify=" in message  # says what to do
    _assert_hidden(message)
    # A certificate that failed verification fails again: not retried.
    assert client.max_retries == 2
    assert _QuietServer.connections - before == 1


def test_verification_is_off_only_when_asked(tls_server: tuple[str, Path]) -> None:
    url, cert = tls_server
    with UsersClient(base_url=url, token=TOKEN, verify=False) as client:
        assert client.users.me().email == "ada@example.com"
    # The right way for a private CA: trust its certificate, keep verifying.
    with UsersClient(base_url=url, token=TOKEN, verify=str(cert)) as client:
        assert client.users.me().email == "ada@example.com"
    with pytest.raises(ConfigurationError, match="CA bundle"):
        UsersClient(base_url=url, token=TOKEN, verify=str(cert.parent / "missing.pem"))


def test_the_default_trust_store_is_the_systems_or_ssl_cert_file(
    tls_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """httpx2 verifies against the operating system's trust store (not certifi),
    or the bundle SSL_CERT_FILE names; a context of your own is used as it is."""
    url, cert = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with UsersClient(base_url=url, token=TOKEN) as client:
        assert client.users.me().email == "ada@example.com"
    monkeypatch.delenv("SSL_CERT_FILE")
    context = ssl.create_default_context(cafile=str(cert))
    with UsersClient(base_url=url, token=TOKEN, verify=context) as client:
        assert client.users.me().email == "ada@example.com"
    with (
        UsersClient(base_url=url, token=TOKEN, max_retries=0) as client,
        pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.users.me()  # the system store does not trust a self-signed one


@pytest.mark.anyio
async def test_async_certificates(tls_server: tuple[str, Path], anyio_backend: str) -> None:
    url, cert = tls_server

    async def no_sleep(seconds: float) -> None:
        pass

    async with AsyncUsersClient(base_url=url, token=TOKEN) as client:
        client._sleep = no_sleep
        with pytest.raises(APIConnectionError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.users.me()
    async with AsyncUsersClient(base_url=url, token=TOKEN, verify=False) as client:
        assert (await client.users.me()).email == "ada@example.com"
    async with AsyncUsersClient(base_url=url, token=TOKEN, verify=str(cert)) as client:
        assert (await client.users.me()).email == "ada@example.com"
