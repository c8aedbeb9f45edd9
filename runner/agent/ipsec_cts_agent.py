#!/usr/bin/env python3
"""ipsec-cts reference agent in Python: serves a device plugin over the process protocol.

A vendor's first agent can start from this file. It holds the whole protocol handling of
docs/process-protocol.md in one place, with the standard library only: the plugin (a shared
library implementing runner/dut/include/ipsec_cts/dut.h, such as softnic) is loaded with ctypes,
and each request line is answered by one call into it.

    ipsec_cts_agent.py --plugin PATH [--listen [HOST:]PORT [--allow-remote]] [--config JSON] [--sessions N]

Without --listen it serves one session on stdin/stdout (run it with
`ipsec-cts run --dut cmd:'exec python3 ipsec_cts_agent.py --plugin PATH'`). With --listen it
binds (127.0.0.1 unless HOST is given; port 0 picks a free one), prints
"listening on HOST:PORT", and serves one connection after another, each a session with a fresh
device instance. A Windows agent replaces the ctypes calls by calls into its driver; the rest
stays as it is.
"""
import argparse
import ctypes as C
import ipaddress
import json
import os
import re
import socket
import sys

PROTOCOL_VERSION = 1
ABI_VERSION = 1
MAX_LINE = 64 << 20          # longest request line accepted (bytes)
MAX_OUTPUT = 64 << 20        # largest frame / dump buffer offered to the device
MAX_FRAMES = 65536           # most frames one send may produce
OID_ADD_SA, OID_DELETE_SA = 0xFC030202, 0xFC030203
NEXT_AT, MAX_WALK = 8, 65536  # the Next member: offset 8 of every list element (x64)
GUARD = 64                   # bytes behind every buffer handed to the device, checked afterwards

# ipsec_cts_result codes and the error kinds of the protocol they become.
OK, ERR_UNSUPPORTED, ERR_INVALID_ARGUMENT, ERR_BUFFER_TOO_SMALL, ERR_DEVICE = range(5)
RESULT_NAMES = {1: "IPSEC_CTS_ERR_UNSUPPORTED", 2: "IPSEC_CTS_ERR_INVALID_ARGUMENT",
                3: "IPSEC_CTS_ERR_BUFFER_TOO_SMALL", 4: "IPSEC_CTS_ERR_DEVICE"}
RESULT_KINDS = {1: "unsupported", 2: "invalid_argument", 4: "device_error"}


# ---- the C ABI (dut.h), mirrored with ctypes ----------------------------------------------------

class Capabilities(C.Structure):
    _fields_ = [("struct_size", C.c_uint32), ("ipsec_offload_v2", C.c_uint8 * 32),
                ("inbound_bundle_capacity", C.c_uint32), ("outbound_bundle_capacity", C.c_uint32),
                ("inbound_dest_address_capacity", C.c_uint32), ("spi_min", C.c_uint32),
                ("spi_max", C.c_uint32), ("gcm_key_includes_salt", C.c_uint32),
                ("reserved", C.c_uint32 * 8)]


class SendOob(C.Structure):
    _fields_ = [("offload_handle", C.c_uint64), ("tunnel_handle", C.c_uint64),
                ("header_info", C.c_uint32), ("lso_mss", C.c_uint32)]


class FrameList(C.Structure):
    _fields_ = [("data", C.c_void_p), ("data_capacity", C.c_size_t),
                ("frame_lengths", C.POINTER(C.c_size_t)), ("max_frames", C.c_uint32),
                ("frame_count", C.c_uint32)]


class ReceiveResult(C.Structure):
    _fields_ = [("indicated", C.c_uint32), ("ipsec_info", C.c_uint64),
                ("header_info", C.c_uint32)]


P, U32, SZ = C.c_void_p, C.c_uint32, C.c_size_t
PU32, PSZ = C.POINTER(C.c_uint32), C.POINTER(C.c_size_t)


class VTable(C.Structure):
    _fields_ = [
        ("abi_version", C.c_uint32), ("struct_size", C.c_uint32), ("name", C.c_char_p),
        ("open", C.CFUNCTYPE(C.c_int, C.c_char_p, C.POINTER(P), P, SZ)),
        ("query_capabilities", C.CFUNCTYPE(C.c_int, P, C.POINTER(Capabilities))),
        ("oid_set", C.CFUNCTYPE(C.c_int, P, U32, P, U32, PU32, PU32, PU32)),
        ("send", C.CFUNCTYPE(C.c_int, P, P, SZ, C.POINTER(SendOob), C.POINTER(FrameList), PU32)),
        ("receive", C.CFUNCTYPE(C.c_int, P, P, SZ, P, SZ, PSZ, C.POINTER(ReceiveResult))),
        ("dump", C.CFUNCTYPE(C.c_int, P, P, SZ, PSZ)),
        ("request_sa_delete", C.CFUNCTYPE(C.c_int, P, U32)),
        ("reset", C.CFUNCTYPE(C.c_int, P)),
        ("close", C.CFUNCTYPE(None, P)),
        ("last_error", C.CFUNCTYPE(C.c_char_p, P)),
    ]


class ProtocolError(Exception):
    """An error answer: kind and message (and the device's own text in raw)."""

    def __init__(self, kind, message, raw=""):
        super().__init__(message)
        self.kind, self.message, self.raw = kind, message, raw


def guarded(data, size):
    """A buffer of `size` bytes holding `data`, followed by GUARD bytes of 0xA5."""
    buf = C.create_string_buffer(size + GUARD)
    C.memmove(buf, data, len(data))
    C.memset(C.addressof(buf) + size, 0xA5, GUARD)
    return buf


def check_guard(buf, size, what):
    if buf.raw[size:size + GUARD] != b"\xa5" * GUARD:
        raise ProtocolError("protocol_error", f"{what}: the device wrote past the end of the "
                            f"buffer it was given ({size} bytes)")


def next_slots(buf, length, oid):
    """The Next members of an ADD_SA / DELETE_SA list, walked from offset 0 as the runner walks
    them: follow a link only when it lands inside the buffer on an element not yet visited."""
    if oid not in (OID_ADD_SA, OID_DELETE_SA):
        return []
    slots, seen, element = [], set(), 0
    while element + NEXT_AT + 8 <= length and len(slots) < MAX_WALK:
        seen.add(element)
        link = int.from_bytes(buf[element + NEXT_AT:element + NEXT_AT + 8], "little")
        slots.append((element + NEXT_AT, link))
        if link == 0 or link > length - NEXT_AT - 8 or link in seen:
            break
        element = link
    return slots


class Device:
    """One open instance of the plugin."""

    def __init__(self, vt, config):
        self.vt, self.handle = vt, P()
        err = C.create_string_buffer(1024)
        r = vt.open(config.encode(), C.byref(self.handle), err, len(err))
        if r != OK or not self.handle:
            raise ProtocolError("device_error", f"open: {RESULT_NAMES.get(r, r)} with config "
                                f"{config[:200]}", err.value.decode(errors="replace"))

    def close(self):
        if self.handle:
            self.vt.close(self.handle)
            self.handle = P()

    def failed(self, op, r):
        text = self.vt.last_error(self.handle) or b""
        kind = RESULT_KINDS.get(r, "protocol_error")
        return ProtocolError(kind, f"{op}: {RESULT_NAMES.get(r, f'result {r}')}",
                             text.decode(errors="replace")[:4096])

    def query_capabilities(self):
        caps = Capabilities(struct_size=C.sizeof(Capabilities))
        r = self.vt.query_capabilities(self.handle, C.byref(caps))
        if r != OK:
            raise self.failed("query_capabilities", r)
        return {"ipsec_offload_v2": bytes(caps.ipsec_offload_v2).hex(),
                "inbound_bundle_capacity": caps.inbound_bundle_capacity,
                "outbound_bundle_capacity": caps.outbound_bundle_capacity,
                "inbound_dest_address_capacity": caps.inbound_dest_address_capacity,
                "spi_min": caps.spi_min, "spi_max": caps.spi_max,
                "gcm_key_includes_salt": caps.gcm_key_includes_salt == 1}

    def oid_set(self, oid, request):
        n = len(request)
        buf = guarded(request, n)
        base = C.addressof(buf)
        # Offsets -> live pointers, as a miniport receives InformationBuffer (dut.h).
        slots = next_slots(request, n, oid)
        for pos, link in slots:
            if link:
                C.memmove(base + pos, ((link + base) % 2**64).to_bytes(8, "little"), 8)
        status, read, needed = C.c_uint32(0xFFFFFFFF), C.c_uint32(0), C.c_uint32(0)
        r = self.vt.oid_set(self.handle, oid, buf, n, C.byref(status), C.byref(read),
                            C.byref(needed))
        check_guard(buf, n, "oid_set")
        if r != OK:
            raise self.failed("oid_set", r)
        answer = bytearray(buf.raw[:n])
        for pos, link in slots:  # the device must leave every Next as it was; then offsets again
            live = (link + base) % 2**64 if link else 0
            if int.from_bytes(answer[pos:pos + 8], "little") != live:
                raise ProtocolError("protocol_error", "oid_set: the device modified the "
                                    f"request's Next member at offset {pos}")
            answer[pos:pos + 8] = link.to_bytes(8, "little")
        return {"status": status.value, "bytes_read": read.value, "bytes_needed": needed.value,
                "buffer": answer.hex()}

    def send(self, frame, oob):
        capacity = max(4 * len(frame) + 4096, 16384)
        max_frames = 64 if not oob.lso_mss else min(MAX_FRAMES, len(frame) // oob.lso_mss + 64)
        while True:
            data = C.create_string_buffer(capacity)
            lengths = (C.c_size_t * max_frames)()
            out = FrameList(C.cast(data, P), capacity, lengths, max_frames, 0)
            status = C.c_uint32(0xFFFFFFFF)
            r = self.vt.send(self.handle, frame, len(frame), C.byref(oob), C.byref(out),
                             C.byref(status))
            if r == ERR_BUFFER_TOO_SMALL and capacity < MAX_OUTPUT:
                capacity, max_frames = min(MAX_OUTPUT, capacity * 4), min(MAX_FRAMES, max_frames * 4)
                continue
            if r != OK:
                raise self.failed("send", r)
            if out.frame_count > max_frames:
                raise ProtocolError("protocol_error", f"send: frame_count {out.frame_count} "
                                    f"exceeds max_frames {max_frames}")
            frames, used = [], 0
            for i in range(out.frame_count):
                if lengths[i] > capacity - used:
                    raise ProtocolError("protocol_error", f"send: frame {i} ends past "
                                        f"data_capacity {capacity}")
                frames.append(data.raw[used:used + lengths[i]].hex())
                used += lengths[i]
            return {"completion_status": status.value, "frames": frames}

    def receive(self, frame):
        capacity = max(len(frame) + 1024, 2048)
        while True:
            out = guarded(b"", capacity)
            out_length, result = C.c_size_t(0), ReceiveResult()
            r = self.vt.receive(self.handle, frame, len(frame), out, capacity,
                                C.byref(out_length), C.byref(result))
            check_guard(out, capacity, "receive")
            if r == ERR_BUFFER_TOO_SMALL and capacity < MAX_OUTPUT:
                capacity = min(MAX_OUTPUT, max(out_length.value, capacity * 4))
                continue
            if r != OK:
                raise self.failed("receive", r)
            if result.indicated and out_length.value > capacity:
                raise ProtocolError("protocol_error", f"receive: out_length {out_length.value} "
                                    f"exceeds out_capacity {capacity}")
            indicated = result.indicated == 1
            shown = out.raw[:out_length.value].hex() if indicated else ""
            return {"indicated": indicated, "frame": shown,
                    "ipsec_info": f"0x{result.ipsec_info:x}", "header_info": result.header_info}

    def dump(self):
        if not self.vt.dump:
            raise ProtocolError("unsupported", "dump: the device does not offer this operation")
        capacity = 65536
        while True:
            text, needed = C.create_string_buffer(capacity), C.c_size_t(0)
            r = self.vt.dump(self.handle, text, capacity, C.byref(needed))
            if r == ERR_BUFFER_TOO_SMALL and capacity < MAX_OUTPUT:
                capacity = min(MAX_OUTPUT, max(needed.value + 1, capacity * 4))
                continue
            if r != OK:
                raise self.failed("dump", r)
            try:
                table = json.loads(text.value.decode())
            except (UnicodeDecodeError, ValueError) as e:
                raise ProtocolError("protocol_error", f"dump: not JSON: {e}") from None
            if not isinstance(table, dict):
                raise ProtocolError("protocol_error", "dump: not a JSON object")
            return {"table": table}

    def request_sa_delete(self, spi):
        if not self.vt.request_sa_delete:
            raise ProtocolError("unsupported",
                                "request_sa_delete: the device does not offer this operation")
        r = self.vt.request_sa_delete(self.handle, spi)
        if r != OK:
            raise self.failed("request_sa_delete", r)
        return {}

    def reset(self):
        r = self.vt.reset(self.handle)
        if r != OK:
            raise self.failed("reset", r)
        return {}


# ---- reading request members (every listed member is required, §3) ----------------------------

HEX64 = re.compile(r"0[xX][0-9a-fA-F]{1,16}")
HEX = re.compile(r"[0-9a-fA-F]*")


def member(obj, name, where):
    if not isinstance(obj, dict) or name not in obj:
        raise ProtocolError("protocol_error", f"{where}.{name}: missing")
    return obj[name]


def get_u32(obj, name, where):
    v = member(obj, name, where)
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 0xFFFFFFFF:
        raise ProtocolError("protocol_error", f"{where}.{name}: must be an unsigned 32-bit "
                            f"integer, got {json.dumps(v)[:80]}")
    return v


def get_u64(obj, name, where):
    v = member(obj, name, where)
    if not isinstance(v, str) or not HEX64.fullmatch(v):
        raise ProtocolError("protocol_error", f"{where}.{name}: must be \"0x\" and 1 to 16 hex "
                            f"digits, got {json.dumps(v)[:80]}")
    return int(v, 16)


def get_hex(obj, name, where):
    v = member(obj, name, where)
    if not isinstance(v, str) or len(v) % 2 or not HEX.fullmatch(v):
        raise ProtocolError("protocol_error", f"{where}.{name}: not an even-length hex string")
    return bytes.fromhex(v)


# ---- one session ---------------------------------------------------------------------------

class Session:
    def __init__(self, vt, default_config):
        self.vt, self.default_config, self.device = vt, default_config, None

    def end(self):
        if self.device:
            self.device.close()
            self.device = None

    def handle(self, request):
        """The answer to one parsed request, and whether the session ends after it."""
        rid = request.get("id")
        op = request.get("op")
        try:
            if not isinstance(op, str):
                raise ProtocolError("protocol_error", "request member 'op' missing or not a "
                                    "string")
            if not usable_id(rid):
                raise ProtocolError("protocol_error", f"{op}: request member 'id' missing or not "
                                    "an unsigned integer")
            if op == "close":
                self.end()
                return {"id": rid, "ok": True, "result": {}}, True
            result = self.hello(request) if op == "hello" else self.dispatch(op, request)
            return {"id": rid, "ok": True, "result": result}, False
        except ProtocolError as e:
            error = {"kind": e.kind, "message": e.message}
            if e.raw:
                error["raw"] = e.raw
            bad_id = rid if usable_id(rid) else None
            return {"id": bad_id, "ok": False, "error": error}, False

    def hello(self, request):
        version = get_u32(request, "protocol", "hello")
        if version != PROTOCOL_VERSION:
            raise ProtocolError("unsupported", f"hello: protocol version {version} requested; "
                                f"this agent speaks version {PROTOCOL_VERSION}")
        config = request.get("config")
        if config is not None and not isinstance(config, dict):
            raise ProtocolError("protocol_error", "hello.config: must be a JSON object")
        self.end()  # a second hello starts over with a fresh instance
        self.device = Device(self.vt, json.dumps(config) if config is not None
                             else self.default_config)
        operations = ["query_capabilities", "oid_set", "send", "receive", "reset", "close"]
        if self.vt.dump:
            operations.append("dump")
        if self.vt.request_sa_delete:
            operations.append("request_sa_delete")
        name = (self.vt.name or b"").decode(errors="replace")[:256] or "plugin"
        return {"protocol": PROTOCOL_VERSION, "device": name, "operations": operations}

    def dispatch(self, op, request):
        if not self.device:
            raise ProtocolError("protocol_error", f"{op}: no device is open; send hello first")
        d = self.device
        if op == "query_capabilities":
            return d.query_capabilities()
        if op == "oid_set":
            return d.oid_set(get_u32(request, "oid", "oid_set"),
                             get_hex(request, "buffer", "oid_set"))
        if op == "send":
            frame = get_hex(request, "frame", "send")
            o = member(request, "oob", "send")
            oob = SendOob(get_u64(o, "offload_handle", "send.oob"),
                          get_u64(o, "tunnel_handle", "send.oob"),
                          get_u32(o, "header_info", "send.oob"), get_u32(o, "lso_mss", "send.oob"))
            return d.send(frame, oob)
        if op == "receive":
            return d.receive(get_hex(request, "frame", "receive"))
        if op == "dump":
            return d.dump()
        if op == "request_sa_delete":
            return d.request_sa_delete(get_u32(request, "spi", "request_sa_delete"))
        if op == "reset":
            return d.reset()
        raise ProtocolError("unsupported", f"unknown operation '{op}'")


def usable_id(rid):
    """An id the answer may repeat: a JSON integer in [0, 2^64 - 1] (process-protocol.md §3)."""
    return isinstance(rid, int) and not isinstance(rid, bool) and 0 <= rid <= 0xFFFFFFFFFFFFFFFF


def serve(vt, default_config, reader, writer):
    """One session: request lines from `reader`, answer lines to `writer` (binary files).
    Returns 0 after close or end of input, 1 after an over-long request line."""
    session = Session(vt, default_config)
    try:
        while True:
            line = reader.readline(MAX_LINE + 1)
            if not line:
                return 0
            if len(line) > MAX_LINE and not line.endswith(b"\n"):
                answer = {"id": None, "ok": False, "error": {
                    "kind": "protocol_error", "message": f"request line longer than {MAX_LINE} bytes"}}
                writer.write(json.dumps(answer).encode() + b"\n")
                writer.flush()
                return 1
            line = line.strip()
            if not line:
                continue
            try:
                request = json.loads(line)
            except ValueError:
                request = None
            if isinstance(request, dict):
                answer, end = session.handle(request)
            else:
                answer, end = {"id": None, "ok": False, "error": {
                    "kind": "protocol_error", "message": "request is not a JSON object"}}, False
            writer.write(json.dumps(answer, separators=(",", ":")).encode() + b"\n")
            writer.flush()
            if end:
                return 0
    finally:
        session.end()


def load_plugin(path):
    lib = C.CDLL(os.path.abspath(path))
    entry = lib.ipsec_cts_dut_entry
    entry.restype, entry.argtypes = C.POINTER(VTable), [C.c_uint32]
    table = entry(ABI_VERSION)
    if not table:
        raise SystemExit(f"{path}: ipsec_cts_dut_entry({ABI_VERSION}) returned NULL")
    vt = table.contents
    if vt.abi_version != ABI_VERSION or vt.struct_size < C.sizeof(VTable):
        raise SystemExit(f"{path}: vtable ABI {vt.abi_version}, size {vt.struct_size}; "
                         f"expected ABI {ABI_VERSION}, size {C.sizeof(VTable)}")
    for required in ("open", "query_capabilities", "oid_set", "send", "receive", "reset",
                     "close", "last_error"):
        if not getattr(vt, required):
            raise SystemExit(f"{path}: the vtable has no {required}")
    return lib, vt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", required=True, help="path of the plugin shared library")
    parser.add_argument("--listen", help="serve TCP on [HOST:]PORT instead of stdin/stdout")
    parser.add_argument("--allow-remote", action="store_true",
                        help="let --listen bind a non-loopback address: anyone who reaches it can "
                        "drive the device and read the SA keys sent in clear")
    parser.add_argument("--config", default="", help="JSON object for open() when hello has none")
    parser.add_argument("--sessions", type=int, default=0,
                        help="with --listen: exit after this many connections (0 = never)")
    args = parser.parse_args()
    if args.config:
        try:
            if not isinstance(json.loads(args.config), dict):
                raise ValueError
        except ValueError:
            parser.exit(2, f"--config: not a JSON object: {args.config}\n")
    lib, vt = load_plugin(args.plugin)  # `lib` keeps the library loaded
    default_config = args.config or "{}"

    if not args.listen:
        # The protocol gets its own copy of stdout; fd 1 then points at stderr, so a device that
        # prints cannot corrupt the stream.
        protocol_out = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
        return serve(vt, default_config, sys.stdin.buffer, protocol_out)

    host, _, port = args.listen.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    if not args.allow_remote:
        try:
            addresses = {a[4][0] for a in socket.getaddrinfo(host, None, family, socket.SOCK_STREAM)}
        except OSError as e:
            parser.exit(2, f"--listen {args.listen}: {e}\n")
        remote = sorted(a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_loopback)
        if remote:
            parser.exit(2, f"--listen {args.listen}: {remote[0]} is not a loopback address; the "
                        "process protocol is unauthenticated and carries SA keys in clear, so "
                        "listening beyond this machine needs --allow-remote\n")
    with socket.socket(family, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            server.bind((host, int(port)))
        except (OSError, ValueError) as e:
            parser.exit(2, f"--listen {args.listen}: {e}\n")
        server.listen(1)
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        print(f"listening on {shown}:{server.getsockname()[1]}", flush=True)
        served = 0
        while args.sessions == 0 or served < args.sessions:
            connection, _ = server.accept()
            with connection, connection.makefile("rb") as reader, \
                    connection.makefile("wb") as writer:
                try:
                    serve(vt, default_config, reader, writer)
                except (BrokenPipeError, ConnectionResetError):
                    pass
            served += 1
    del lib
    return 0


if __name__ == "__main__":
    sys.exit(main())
