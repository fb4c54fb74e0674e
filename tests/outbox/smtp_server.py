"""A small real SMTP server on loopback for the delivery tests (a thread in the test process).

It speaks enough SMTP for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps every
message it accepted, and can be told to hang before answering QUIT: the window in which a worker
killed *after* the server accepted the data used to leave the row in flight (and so send it twice).
"""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        server: SMTPServer = self.server.owner
        self.reply("220 test.invalid ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 test.invalid")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk == b".\r\n":
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                server.accepted.append(message_from_bytes(data))
                server.accepted_event.set()
                self.reply("250 OK: queued")
            elif command == "QUIT":
                server.quit_seen.set()
                if server.hang_on_quit:
                    server.release.wait(60)  # the client waits here; the test kills it meanwhile
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _ThreadingServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SMTPServer:
    def __init__(self, *, hang_on_quit: bool = False) -> None:
        self.hang_on_quit = hang_on_quit
        self.accepted: list = []
        self.accepted_event = threading.Event()
        self.quit_seen = threading.Event()
        self.release = threading.Event()
        self._server = _ThreadingServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]

    def __enter__(self) -> SMTPServer:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.accepted]
