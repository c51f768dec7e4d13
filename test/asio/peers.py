#!/usr/bin/env python3
"""Scripted peers for the Asio/Beast end-to-end programs (run_asio.py).

Each peer talks to one program over loopback and returns a log: a list of
lines saying what it sent and what it saw, without ports, addresses or
timings, so that the log of a run against the original program and the log
of a run against the rewritten one can be compared byte for byte.

Client peers take the port of a program that listens; server peers take a
listening socket (bound to port 0 by the caller, so that the OS picks the
port) and serve the program that connects to it. Every socket operation has
a timeout and every loop a bound: a peer always returns. A peer never
raises: a failure ends its log with "peer error: ...".

Run one by hand (a client peer against a running program, or a server peer
that prints "port N" on stderr and waits for one program to connect):

    peers.py echo-client PORT            peers.py http-server
    peers.py line-client PORT            peers.py ws-server
    peers.py http-client PORT            peers.py closed-port
    peers.py ws-client PORT              peers.py heartbeat-server
"""

import base64
import hashlib
import os
import socket
import struct
import sys
import time

HOST = "127.0.0.1"
TIMEOUT = 10.0          # every socket operation
MAX_BYTES = 1 << 20     # reading "until EOF" stops there
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class PeerError(Exception):
    pass


# --- socket helpers -----------------------------------------------------------

def connect(port):
    s = socket.create_connection((HOST, port), timeout=TIMEOUT)
    s.settimeout(TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise PeerError("connection closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def recv_until(s, delim, buf=b"", limit=65536):
    """(everything up to and including delim, what was read past it)."""
    while delim not in buf:
        if len(buf) > limit:
            raise PeerError("no %r in %d bytes" % (delim, len(buf)))
        chunk = s.recv(4096)
        if not chunk:
            raise PeerError("connection closed before %r (got %r)" % (delim, buf[:80]))
        buf += chunk
    i = buf.index(delim) + len(delim)
    return buf[:i], buf[i:]


def read_to_eof(s, buf=b""):
    """Bytes the other side sent before closing ("" when none)."""
    while len(buf) < MAX_BYTES:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return buf, "reset"
        if not chunk:
            return buf, "eof"
        buf += chunk
    return buf, "too much data"


def close_and_wait(s, log, what="server closed"):
    """Half-close, then wait until the other side closes: the program has
    finished with this connection before the next one starts, which keeps
    its log in a fixed order."""
    s.shutdown(socket.SHUT_WR)
    rest, how = read_to_eof(s)
    if rest:
        log.append("unexpected %d bytes before close: %r" % (len(rest), rest[:60]))
    log.append("%s (%s)" % (what, how))
    s.close()


def guarded(fn):
    """Run fn(log, ...) and always return the log."""
    def wrapper(*args, **kwargs):
        log = []
        try:
            fn(log, *args, **kwargs)
        except Exception as e:  # noqa: BLE001 -- the log says what happened
            log.append("peer error: %s: %s" % (type(e).__name__, e))
        return log
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


# --- echo ---------------------------------------------------------------------

ECHO_SESSIONS = [
    [b"hello", b"x", b"a somewhat longer message with spaces", b"0123456789" * 90,
     b"bye"],
    [b"second connection", b"\x00\x01\x02 binary \xff", b"last"],
]


@guarded
def echo_client(log, port, sessions=ECHO_SESSIONS):
    """One connection per entry of `sessions`, one after another; each
    message is sent and its echo awaited before the next."""
    for k, messages in enumerate(sessions, 1):
        s = connect(port)
        log.append("connection %d" % k)
        for m in messages:
            s.sendall(m)
            got = recv_exact(s, len(m))
            log.append("%s %d bytes" % ("echo ok" if got == m else "echo MISMATCH", len(m)))
        close_and_wait(s, log)


# --- lines --------------------------------------------------------------------

@guarded
def line_client(log, port):
    s = connect(port)
    buf = b""

    def expect(n):
        nonlocal buf
        for _ in range(n):
            line, buf = recv_until(s, b"\n", buf)
            log.append("reply %r" % line.decode())

    s.sendall(b"hello\n")
    expect(1)
    s.sendall(b"two\nlines\n")          # two lines in one segment
    expect(2)
    s.sendall(b"split ")                # one line in two segments
    time.sleep(0.05)
    s.sendall(b"line\n")
    expect(1)
    s.sendall(b"Mixed Case 123\n")
    expect(1)
    s.sendall(b"quit\n")
    expect(1)
    rest, how = read_to_eof(s, buf)
    log.append("server closed (%s)%s" % (how, " after %r" % rest if rest else ""))
    s.close()


# --- HTTP ---------------------------------------------------------------------

def read_http_message(s, buf):
    """(start line, {lower-case header: value}, body, rest of buf)."""
    head, buf = recv_until(s, b"\r\n\r\n", buf)
    lines = head.decode("latin-1").split("\r\n")[:-2]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    n = int(headers.get("content-length", "0"))
    while len(buf) < n:
        chunk = s.recv(65536)
        if not chunk:
            raise PeerError("connection closed inside a body")
        buf += chunk
    return lines[0], headers, buf[:n], buf[n:]


def log_headers(log, headers, names):
    for name in names:
        if name in headers:
            log.append("  %s: %s" % (name, headers[name]))


@guarded
def http_client(log, port):
    """Three requests on one keep-alive connection (the last asks to
    close), then a connection that the client closes after one request."""
    s = connect(port)
    buf = b""
    log.append("connection 1")
    requests = [("/", "keep-alive"), ("/missing", "keep-alive"), ("/last", "close")]
    for target, connection in requests:
        s.sendall(("GET %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: peer\r\n"
                   "Connection: %s\r\n\r\n" % (target, connection)).encode())
        status, headers, body, buf = read_http_message(s, buf)
        log.append("GET %s -> %s" % (target, status))
        log_headers(log, headers, ["connection", "content-length", "content-type", "server"])
        log.append("  body %r" % body.decode("latin-1"))
    rest, how = read_to_eof(s, buf)
    log.append("server closed (%s)%s" % (how, " after %r" % rest if rest else ""))
    s.close()

    s = connect(port)
    log.append("connection 2")
    s.sendall(b"GET /only HTTP/1.1\r\nHost: localhost\r\n\r\n")
    status, headers, body, buf = read_http_message(s, b"")
    log.append("GET /only -> %s" % status)
    log.append("  body %r" % body.decode("latin-1"))
    close_and_wait(s, log)


CANNED_RESPONSE = (b"HTTP/1.1 200 OK\r\n"
                   b"Server: peer\r\n"
                   b"Content-Type: text/plain\r\n"
                   b"Content-Length: 13\r\n"
                   b"\r\n"
                   b"Hello, world!")


def accept_one(listener):
    listener.settimeout(TIMEOUT)
    s, _ = listener.accept()
    s.settimeout(TIMEOUT)
    return s


@guarded
def http_server(log, listener):
    """Serve one request with a canned response, then wait for the client
    to close."""
    s = accept_one(listener)
    log.append("accepted")
    start, headers, body, buf = read_http_message(s, b"")
    log.append("request %r" % start)
    log_headers(log, headers, ["host", "user-agent", "connection", "content-length"])
    s.sendall(CANNED_RESPONSE)
    log.append("response sent")
    rest, how = read_to_eof(s, buf)
    log.append("client closed (%s)%s" % (how, " after %r" % rest if rest else ""))
    s.close()


# --- WebSocket (RFC 6455, just enough) -------------------------------------------

OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 1, 2, 8, 9, 10
OP_NAMES = {0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong"}


def ws_accept_key(key):
    return base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()


def ws_frame(opcode, payload, mask):
    head = bytes([0x80 | opcode])
    n = len(payload)
    mbit = 0x80 if mask else 0
    if n < 126:
        head += bytes([mbit | n])
    elif n < 65536:
        head += bytes([mbit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([mbit | 127]) + struct.pack(">Q", n)
    if mask:
        key = b"\x12\x34\x56\x78"       # fixed: runs are repeatable
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        head += key
    return head + payload


class FrameReader:
    def __init__(self, s, buf=b""):
        self.s, self.buf = s, buf

    def _need(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                raise PeerError("connection closed inside a frame")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read(self):
        """(fin, opcode, masked, payload)."""
        b0, b1 = self._need(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._need(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._need(8))[0]
        if n > MAX_BYTES:
            raise PeerError("frame of %d bytes" % n)
        key = self._need(4) if b1 & 0x80 else None
        payload = self._need(n)
        if key:
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        return bool(b0 & 0x80), b0 & 0x0F, key is not None, payload


def close_payload(payload):
    if len(payload) >= 2:
        return "code %d%s" % (struct.unpack(">H", payload[:2])[0],
                              " reason %r" % payload[2:].decode() if payload[2:] else "")
    return "no code"


WS_MESSAGES = ["hello", "second message", "a" * 200]


@guarded
def ws_client(log, port, messages=WS_MESSAGES):
    """Handshake, send each message as a masked text frame and await its
    echo, then close with code 1000 and wait for the server's close."""
    s = connect(port)
    key = base64.b64encode(b"awaitify-key-123").decode()
    s.sendall(("GET /chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n" % key).encode())
    status, headers, _, buf = read_http_message(s, b"")
    log.append("handshake %s" % status)
    log_headers(log, headers, ["upgrade", "server"])
    if headers.get("sec-websocket-accept") != ws_accept_key(key):
        log.append("bad Sec-WebSocket-Accept %r" % headers.get("sec-websocket-accept"))
        return
    reader = FrameReader(s, buf)
    for m in messages:
        s.sendall(ws_frame(OP_TEXT, m.encode(), mask=True))
        fin, op, masked, payload = reader.read()
        log.append("%s %s%s %d bytes: %s" % (
            OP_NAMES.get(op, op), "final" if fin else "partial",
            " masked" if masked else "", len(payload),
            "echo ok" if payload == m.encode() else "MISMATCH %r" % payload[:60]))
    s.sendall(ws_frame(OP_CLOSE, struct.pack(">H", 1000), mask=True))
    fin, op, masked, payload = reader.read()
    log.append("%s from server: %s" % (OP_NAMES.get(op, op), close_payload(payload)))
    close_and_wait(s, log)


@guarded
def ws_server(log, listener, max_frames=100):
    """Accept one WebSocket client, echo its text frames, answer its close."""
    s = accept_one(listener)
    log.append("accepted")
    start, headers, _, buf = read_http_message(s, b"")
    log.append("request %r" % start)
    log_headers(log, headers, ["upgrade", "user-agent", "sec-websocket-version"])
    key = headers.get("sec-websocket-key", "")
    s.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n"
               % ws_accept_key(key)).encode())
    reader = FrameReader(s, buf)
    for _ in range(max_frames):
        fin, op, masked, payload = reader.read()
        if not masked:
            log.append("unmasked frame from a client")
        if op == OP_CLOSE:
            log.append("close from client: %s" % close_payload(payload))
            s.sendall(ws_frame(OP_CLOSE, payload[:2], mask=False))
            break
        log.append("%s %r" % (OP_NAMES.get(op, op), payload.decode("latin-1")))
        s.sendall(ws_frame(op, payload, mask=False))
    else:
        log.append("too many frames")
    # The server closes the TCP connection first (RFC 6455, 7.1.1).
    if reader.buf:
        log.append("unexpected %d bytes after close" % len(reader.buf))
    close_and_wait(s, log, "client closed")


# --- heartbeats -------------------------------------------------------------------

HEARTBEAT_LINES = ["line 1", "line 2", "line 3"]


@guarded
def heartbeat_server(log, listener, lines=HEARTBEAT_LINES):
    """Accept one client; answer each of its first heartbeats ("\\n") with
    one line, then go silent: read its further heartbeats without logging
    them (how many arrive depends on timing) until it closes the
    connection, which its read deadline makes it do."""
    s = accept_one(listener)
    log.append("accepted")
    buf = b""
    for i, line in enumerate(lines, 1):
        got, buf = recv_until(s, b"\n", buf)
        if got != b"\n":
            log.append("unexpected %r before heartbeat %d" % (got[:60], i))
        log.append("heartbeat %d" % i)
        s.sendall(line.encode() + b"\n")
    log.append("silent")
    rest, how = read_to_eof(s, buf)
    if rest.strip(b"\n"):
        log.append("unexpected data %r" % rest.strip(b"\n")[:60])
    log.append("client closed (%s)" % how)
    s.close()


# --- closed port ----------------------------------------------------------------

def closed_port():
    """A socket bound to a port the OS chose, not listening: a connection to
    it is refused, and no one else can take the port while it is held.
    Returns (socket to keep open, port)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((HOST, 0))
    return s, s.getsockname()[1]


@guarded
def nobody(log, listener):
    """Server peer for the closed-port case: the socket is never listened
    on, so there is nothing to do; a connection would have been refused."""
    log.append("nothing listening")


def listening_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((HOST, 0))
    s.listen(8)
    return s


CLIENT_PEERS = {"echo-client": echo_client, "line-client": line_client,
                "http-client": http_client, "ws-client": ws_client}
SERVER_PEERS = {"http-server": http_server, "ws-server": ws_server,
                "heartbeat-server": heartbeat_server, "closed-port": nobody}


def main(argv):
    if len(argv) >= 2 and argv[0] in CLIENT_PEERS:
        log = CLIENT_PEERS[argv[0]](int(argv[1]))
    elif len(argv) == 1 and argv[0] in SERVER_PEERS:
        if argv[0] == "closed-port":
            sock, port = closed_port()
        else:
            sock = listening_socket()
            port = sock.getsockname()[1]
        print("port %d" % port, file=sys.stderr, flush=True)
        log = SERVER_PEERS[argv[0]](sock)
        if argv[0] == "closed-port":
            time.sleep(TIMEOUT)
        sock.close()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print("\n".join(log))
    return 1 if any(line.startswith("peer error") for line in log) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
