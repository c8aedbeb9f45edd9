#!/usr/bin/env python3
"""A deliberately broken agent for the agent-check test: it answers every operation, but breaks
the process protocol in one specific way per operation, so `ipsec-cts agent-check` must fail and
name each breach (tests/agent/expect_findings.py lists them):

  before hello       answers ok:true instead of protocol_error
  not-JSON line      answers with id 0 instead of null
  query_capabilities ipsec_offload_v2 is 31 bytes
  oid_set (ADD_SA)   moves the second element's Next offset
  send               the result has no "frames"
  receive            answers with the wrong id
  dump               listed in hello.operations, answered unsupported
  close              answers, then keeps the session open
"""
import json
import sys

CAPS = "02000000010000000100010100000100000000000600000068000000000800"  # 31 bytes


def answer(rid, result=None, error=None):
    if error:
        return {"id": rid, "ok": False, "error": {"kind": error[0], "message": error[1]}}
    return {"id": rid, "ok": True, "result": result}


def handle(request, hello_done):
    rid, op = request.get("id"), request.get("op")
    if not isinstance(rid, int):
        return answer(None, error=("protocol_error", "no id"))
    if op == "hello":
        if request.get("protocol") != 1:
            return answer(rid, error=("unsupported", "version"))
        return answer(rid, {"protocol": 1, "device": "broken", "operations": [
            "query_capabilities", "oid_set", "send", "receive", "reset", "close", "dump"]})
    if not hello_done:
        return answer(rid, {})
    if op == "query_capabilities":
        return answer(rid, {"ipsec_offload_v2": CAPS, "inbound_bundle_capacity": 0,
                            "outbound_bundle_capacity": 0, "inbound_dest_address_capacity": 0,
                            "spi_min": 0, "spi_max": 0, "gcm_key_includes_salt": True})
    if op == "oid_set":
        buf = request.get("buffer")
        if not isinstance(buf, str) or not isinstance(request.get("oid"), int) or len(buf) % 2:
            return answer(rid, error=("protocol_error", "bad oid_set"))
        data = bytearray.fromhex(buf)
        if request["oid"] == 0xFC030202 and len(data) > 16:
            second = int.from_bytes(data[8:16], "little")
            if second and second + 16 <= len(data):
                data[second + 8:second + 16] = (second + 8).to_bytes(8, "little")
        return answer(rid, {"status": 0, "bytes_read": len(data), "bytes_needed": 0,
                            "buffer": data.hex()})
    if op == "send":
        if not isinstance(request.get("oob"), dict) or not isinstance(
                request["oob"].get("offload_handle"), str):
            return answer(rid, error=("protocol_error", "bad send"))
        return answer(rid, {"completion_status": 0})
    if op == "receive":
        return answer(rid + 1, {"indicated": False, "frame": "", "ipsec_info": "0x0",
                                "header_info": 0})
    if op == "dump":
        return answer(rid, error=("unsupported", "no dump"))
    if op in ("reset", "close"):
        return answer(rid, {})
    return answer(rid, error=("unsupported", f"unknown operation {op}"))


def main():
    hello_done = False
    for line in sys.stdin:
        try:
            request = json.loads(line)
        except ValueError:
            print(json.dumps(answer(0, error=("protocol_error", "not JSON"))), flush=True)
            continue
        if not isinstance(request, dict):
            print(json.dumps(answer(None, error=("protocol_error", "not an object"))), flush=True)
            continue
        print(json.dumps(handle(request, hello_done)), flush=True)
        hello_done = hello_done or (request.get("op") == "hello" and request.get("protocol") == 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
