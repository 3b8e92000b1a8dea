#!/usr/bin/env python3
"""flawserver.py: a small POP3/IMAP server with the flaws that
`plainsight probe` must see, for the integration tests.

Dovecot shows how a good server behaves, and how a permissive one does;
it cannot be made to have these flaws, so this server has them on demand
(--mode):

  good               STARTTLS offered, LOGINDISABLED / no USER before TLS,
                     bytes pipelined behind STARTTLS discarded
  dribble            good, but every byte is sent on its own (inside TLS,
                     one record per byte): lines must be put together
  inject-tls         CVE-2011-0411: a command pipelined behind STARTTLS is
                     kept in the buffer and answered inside TLS
  inject-clear       a command pipelined behind STARTTLS is answered in
                     clear, after the "go ahead", before TLS
  stray-bytes        after its "go ahead" the server sends a line in clear
                     even when nothing was pipelined
  refuse-starttls    STARTTLS offered, then refused
  no-starttls        no STARTTLS; LOGIN / USER offered in clear; the fake
                     login is refused as a bad password
  nologin-after-tls  LOGINDISABLED / no USER even inside TLS
  cram-only          offers only AUTH=CRAM-MD5 / SASL CRAM-MD5 before TLS
  exchange           Exchange's answers under -LoginType SecureLogin
  silent             accepts connections and never says a word
  trickle            greets one byte at a time, never ending the line
  long-line          greets with a line longer than any limit
  flood              answers CAPABILITY / CAPA with endless lines
  starttls-hang      says "go ahead" to STARTTLS, then never does TLS

Every LOGIN, USER and PASS it receives is printed on standard output,
so that a test can check what a client sent.

One process serves many ports, each with its protocol and mode:
  flawserver.py --listen 192.0.2.13 --cert C --key K \\
      --serve 2001:imap:inject-tls --serve 2002:pop3:inject-tls ...
--weak serves TLS 1.0 only with a NULL cipher (give a weak key with
--cert/--key); --implicit speaks TLS from the first byte (993/995).
It serves until killed.  Only for tests: it listens where it is told,
which lib.sh makes an address inside a test namespace.
"""
import argparse
import select
import socket
import ssl
import sys
import threading
import time

LINE_MAX = 65536


class Conn:
    def __init__(self, sock, args, ctx):
        self.sock = sock
        self.args = args
        self.ctx = ctx
        self.buf = b""
        self.tls = False
        self.open = True

    def send(self, text):
        data = text.encode("ascii")
        if self.args.mode != "dribble":
            self.sock.sendall(data)
            return
        for i in range(len(data)):
            self.sock.sendall(data[i:i + 1])

    def line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data or len(self.buf) > LINE_MAX:
                return None
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        return line.rstrip(b"\r").decode("latin-1")

    def drain(self):
        """What a buffered server holds right after reading a command:
        whatever the client sent in the same write."""
        ready, _, _ = select.select([self.sock], [], [], 0.2)
        if ready:
            self.buf += self.sock.recv(4096)

    def start_tls(self):
        self.sock = self.ctx.wrap_socket(self.sock, server_side=True)
        self.tls = True


class Imap:
    name = "imap"

    def greeting(self, c):
        return "* OK flawserver IMAP ready\r\n"

    def caps(self, c):
        mode = c.args.mode
        caps = ["IMAP4rev1"]
        if c.tls:
            caps += ["LOGINDISABLED"] if mode == "nologin-after-tls" \
                else ["AUTH=PLAIN"]
        elif mode == "no-starttls":
            caps += ["AUTH=PLAIN"]
        else:
            caps += ["STARTTLS", "LOGINDISABLED"]
            if mode == "cram-only":
                caps += ["AUTH=CRAM-MD5"]
        return caps

    def go_ahead(self, tag):
        return f"{tag} OK Begin TLS negotiation now.\r\n"

    def command(self, c, line):
        tag, _, rest = line.partition(" ")
        cmd = rest.split(" ")[0].upper()
        mode = c.args.mode
        if cmd == "CAPABILITY":
            c.send("* CAPABILITY " + " ".join(self.caps(c)) + "\r\n")
            if mode == "flood":
                while True:
                    c.send("* OK flood\r\n")
            c.send(f"{tag} OK CAPABILITY completed.\r\n")
        elif cmd == "NOOP":
            c.send(f"{tag} OK NOOP completed.\r\n")
        elif cmd == "LOGIN":
            heard(line)
            if c.tls or mode == "no-starttls":
                c.send(f"{tag} NO [AUTHENTICATIONFAILED] "
                       "Authentication failed.\r\n")
            elif mode == "exchange":
                c.send(f"{tag} BAD Command received in Invalid state.\r\n")
            else:
                c.send(f"{tag} NO [PRIVACYREQUIRED] TLS required.\r\n")
        elif cmd == "LOGOUT":
            c.send(f"* BYE bye\r\n{tag} OK LOGOUT completed.\r\n")
            c.open = False
        elif cmd == "STARTTLS":
            starttls(self, c, tag)
        else:
            c.send(f"{tag} BAD Unknown command.\r\n")


class Pop3:
    name = "pop3"

    def greeting(self, c):
        return "+OK flawserver POP3 ready\r\n"

    def caps(self, c):
        mode = c.args.mode
        if c.tls:
            return ["SASL"] if mode == "nologin-after-tls" \
                else ["SASL PLAIN", "USER"]
        if mode == "no-starttls":
            return ["USER", "SASL PLAIN"]
        if mode == "cram-only":
            return ["STLS", "SASL CRAM-MD5"]
        return ["STLS", "SASL"]

    def go_ahead(self, tag):
        return "+OK Begin TLS negotiation now.\r\n"

    def command(self, c, line):
        cmd = line.split(" ")[0].upper()
        mode = c.args.mode
        if cmd == "CAPA":
            c.send("+OK\r\n" + "".join(x + "\r\n" for x in self.caps(c)))
            if mode == "flood":
                while True:
                    c.send("X-FLOOD\r\n")
            c.send(".\r\n")
        elif cmd == "USER":
            heard(line)
            if c.tls or mode == "no-starttls":
                c.send("+OK\r\n")
            elif mode == "exchange":
                c.send("-ERR Command is not valid in this state.\r\n")
            else:
                c.send("-ERR [AUTH] Plaintext authentication disallowed "
                       "on non-secure (SSL/TLS) connections.\r\n")
        elif cmd == "PASS":
            heard(line)
            c.send("-ERR [AUTH] Authentication failed.\r\n")
        elif cmd == "QUIT":
            c.send("+OK bye\r\n")
            c.open = False
        elif cmd == "STLS":
            starttls(self, c, None)
        else:
            c.send("-ERR Unknown command.\r\n")


LOCK = threading.Lock()


def heard(line):
    """What a client sent as credentials, for the test to check."""
    with LOCK:
        print("heard:", line, flush=True)


def starttls(proto, c, tag):
    mode = c.args.mode
    if c.tls:
        c.send(f"{tag} BAD TLS is active.\r\n" if tag
               else "-ERR TLS is active.\r\n")
        return
    if mode == "refuse-starttls":
        c.send(f"{tag} NO STARTTLS is not available.\r\n" if tag
               else "-ERR STLS is not available.\r\n")
        return
    c.drain()
    c.send(proto.go_ahead(tag))
    if mode == "starttls-hang":
        while c.sock.recv(4096):
            pass
        c.open = False
        return
    if mode == "stray-bytes":
        c.send("* OK stray\r\n" if tag else "+OK stray\r\n")
    if mode == "inject-clear":
        while b"\n" in c.buf and c.open:
            proto.command(c, c.line())
    elif mode != "inject-tls":
        c.buf = b""             # the fix: nothing from before TLS
    # inject-tls keeps c.buf: those commands run inside TLS (the flaw).
    c.start_tls()


def serve(sock, args, ctx, proto):
    c = Conn(sock, args, ctx)
    try:
        if args.mode == "silent":
            while sock.recv(4096):
                pass
            return
        if args.implicit:
            c.start_tls()
        if args.mode == "trickle":
            c.send("* OK ")
            while True:
                time.sleep(0.3)
                c.send("x")
        if args.mode == "long-line":
            c.send("* OK " + "x" * 20000)
            while c.sock.recv(4096):
                pass
            return
        c.send(proto.greeting(c))
        while c.open:
            line = c.line()
            if line is None:
                return
            proto.command(c, line)
    except (OSError, ssl.SSLError, UnicodeError):
        pass
    finally:
        try:
            c.sock.close()
        except OSError:
            pass


def tls_context(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if args.weak:
        # A server left with TLS 1.0 and a cipher that does not encrypt
        # (OpenSSL 3 has no weaker one that still encrypts, 3DES is gone).
        # Security level 0 first, or OpenSSL refuses the weak key.
        ctx.set_ciphers("ECDHE-RSA-NULL-SHA:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1
    ctx.load_cert_chain(args.cert, args.key)
    return ctx


MODES = ["good", "dribble", "inject-tls", "inject-clear", "stray-bytes",
         "refuse-starttls", "no-starttls", "nologin-after-tls", "cram-only",
         "exchange", "silent", "trickle", "long-line", "flood",
         "starttls-hang"]


def listener(args, spec):
    """One --serve PORT:PROTO:MODE: a socket and its accept loop."""
    try:
        port, proto, mode = spec.split(":")
        port = int(port)
    except ValueError:
        sys.exit(f"--serve {spec}: not PORT:PROTO:MODE")
    if proto not in ("imap", "pop3") or mode not in MODES:
        sys.exit(f"--serve {spec}: protocol imap or pop3, mode one of "
                 + ", ".join(MODES))
    port_args = argparse.Namespace(**vars(args))
    port_args.mode = mode
    family = socket.AF_INET6 if ":" in args.listen else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.listen, port))
    srv.listen(16)
    return srv, port_args, Imap() if proto == "imap" else Pop3()


def accept_loop(srv, args, ctx, proto):
    while True:
        sock, _ = srv.accept()
        sock.settimeout(30)     # no test connection lives this long
        # Small writes leave as they are written (dribble).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve, args=(sock, args, ctx, proto),
                         daemon=True).start()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen", required=True, help="the address")
    ap.add_argument("--serve", action="append", required=True,
                    metavar="PORT:PROTO:MODE",
                    help="a port to serve (repeat for more)")
    ap.add_argument("--implicit", action="store_true",
                    help="TLS from the first byte, on every port")
    ap.add_argument("--weak", action="store_true",
                    help="TLS 1.0 and a NULL cipher, on every port")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    args = ap.parse_args()
    ctx = tls_context(args)
    # Every socket is bound before the first accept: when the first port
    # listens, they all do.
    listeners = [listener(args, spec) for spec in args.serve]
    for srv, port_args, proto in listeners:
        threading.Thread(target=accept_loop,
                         args=(srv, port_args, ctx, proto),
                         daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
