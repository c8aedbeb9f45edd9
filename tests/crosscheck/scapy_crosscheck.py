#!/usr/bin/python3
"""Cross-check with Scapy 2.5.0 (python3-scapy), a second ESP implementation, in both directions.

A. Scapy encrypts, the oracle verifies: for every suite Scapy shares with the oracle and every
   option (transport/tunnel x IPv4/IPv6 x 32-bit/ESN x plain/UDP-encapsulated), Scapy protects a
   packet; the capture and a sidecar go through `ipsec-cts vectors verify --json`.
   Known peer defect: Scapy 2.5.0 leaves the ESN high half out of HMAC ICVs (RFC 4303 §3.3.2.1
   step 4, ESN-004). For ESN+HMAC the oracle must REJECT Scapy's packet (bad ICV), and the same
   packet with only the ICV recomputed over ... ‖ Seq_high (Python hmac) must be ACCEPTED: the high
   half is exactly the reason. Scapy treats a sequence number or high half of 0 as "not given", so
   both are set on the SA object.
B. The oracle encrypts (committed generated vectors), Scapy decrypts and checks integrity:
   a genuine ICV must verify, a corrupted one must be refused, and the decrypted Next Header must
   equal the sidecar's. ESN+HMAC: Scapy's own check must fail (same defect); the ICV is then checked
   with Python's hmac over the RFC 4303 input, and the payload decrypted with verify=False.
Disagreements fail the test and name the packet and field. No AES-GMAC in Scapy 2.5.0."""
import argparse
import collections
import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")
from scapy.all import IP, IPv6, UDP, Ether, Raw, rdpcap, wrpcap  # noqa: E402
from scapy.layers.ipsec import ESP, SecurityAssociation, IPSecIntegrityError  # noqa: E402

ENCRYPTION = {  # oracle encryption name -> (Scapy crypt_algo, key octets, salt)
    "null": ("NULL", 0, False),
    "aes-128-cbc": ("AES-CBC", 16, False), "aes-192-cbc": ("AES-CBC", 24, False),
    "aes-256-cbc": ("AES-CBC", 32, False),
    "aes-128-gcm": ("AES-GCM", 16, True), "aes-192-gcm": ("AES-GCM", 24, True), "aes-256-gcm": ("AES-GCM", 32, True),
    "3des-cbc": ("3DES", 24, False), "des-cbc": ("DES", 8, False),
}
INTEGRITY = {  # oracle integrity name -> (Scapy auth_algo, key octets, hashlib name, ICV octets)
    "hmac-md5": ("HMAC-MD5-96", 16, "md5", 12), "hmac-sha1": ("HMAC-SHA1-96", 20, "sha1", 12),
    "hmac-sha256": ("SHA2-256-128", 32, "sha256", 16), "hmac-sha384": ("SHA2-384-192", 48, "sha384", 24),
    "hmac-sha512": ("SHA2-512-256", 64, "sha512", 32),
}


def split_suite(suite):
    """'aes-128-cbc-hmac-sha1' -> ('aes-128-cbc', 'hmac-sha1', 16); gcm ICV suffix handled."""
    icv = 16
    integ = None
    for k in INTEGRITY:
        if suite.endswith("-" + k):
            integ, suite = k, suite[: -len(k) - 1]
    if "-icv" in suite:
        suite, n = suite.split("-icv")
        icv = int(n)
    return suite, integ, icv


def scapy_sa(sa, esn_high=None, seq_low=None):
    enc, integ, icv = split_suite(sa["suite"])
    if "gmac" in enc or enc not in ENCRYPTION:
        return None
    algo, _, salted = ENCRYPTION[enc]
    key = bytes.fromhex(sa.get("encryption_key", "")) + (bytes.fromhex(sa["salt"]) if salted else b"")
    kw = dict(crypt_algo=algo, crypt_key=key or None)
    if algo == "AES-GCM":
        kw["crypt_icv_size"] = icv
    if integ:
        kw["auth_algo"] = INTEGRITY[integ][0]
        kw["auth_key"] = bytes.fromhex(sa["integrity_key"])
    else:
        kw["auth_algo"] = "NULL"
    ipcls = IP if sa["ip_version"] == 4 else IPv6
    if sa["mode"] == "tunnel":
        kw["tunnel_header"] = ipcls(src=sa["source"], dst=sa["destination"])
    if sa.get("udp_encap"):
        kw["nat_t_header"] = UDP(sport=sa["udp_encap"]["source_port"], dport=sa["udp_encap"]["destination_port"])
    if sa["esn"]:
        kw["esn_en"] = True
        kw["esn"] = esn_high  # set on the object: Scapy reads 0 passed to encrypt() as "not given"
    if seq_low is not None:
        kw["seq_num"] = seq_low
    return SecurityAssociation(ESP, spi=int(sa["spi"], 16), **kw)


def hmac_icv(integ, key, esp_without_icv, esn_high):
    _, _, hname, n = INTEGRITY[integ]
    data = esp_without_icv + (struct.pack("!I", esn_high) if esn_high is not None else b"")
    return hmac.new(key, data, getattr(hashlib, hname)).digest()[:n]


def ether(pkt):
    return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / pkt


def repair(pkt, sa, integ, gcm_icv, esn):
    """Undo Scapy's defects on one packet: truncate a 16-octet GCM tag to the SA's ICV length (the
    leftmost octets, NIST SP 800-38D §5.2.1.2), recompute an ESN HMAC ICV over ... || Seq_high
    (RFC 4303 §3.3.2.1), then rewrite the IP/UDP lengths (and IPv4 checksum)."""
    e = esp_bytes(pkt)
    if gcm_icv:
        e = e[: len(e) - (16 - gcm_icv)]
    if esn and integ:
        n = INTEGRITY[integ][3]
        e = e[:-n] + hmac_icv(integ, bytes.fromhex(sa["integrity_key"]), e[:-n], 1)
    raw = bytes(pkt)
    d = bytearray(raw[: len(raw) - len(esp_bytes(pkt))] + e)
    if d[0] >> 4 == 4:
        ihl = (d[0] & 15) * 4
        struct.pack_into("!H", d, 2, len(d))
        struct.pack_into("!H", d, 10, 0)
        words = struct.unpack("!%dH" % (ihl // 2), bytes(d[:ihl]))
        c = sum(words)
        while c >> 16:
            c = (c & 0xFFFF) + (c >> 16)
        struct.pack_into("!H", d, 10, ~c & 0xFFFF)
        proto, l4 = d[9], ihl
    else:
        struct.pack_into("!H", d, 4, len(d) - 40)
        proto, l4 = d[6], 40  # no extension headers in these packets
    if proto == 17:
        struct.pack_into("!HH", d, l4 + 4, len(d) - l4, 0)  # UDP length; checksum 0 (UDPENC-003)
    return pkt.__class__(bytes(d))


def esp_bytes(pkt):
    return bytes(pkt[ESP])


def replace_icv(pkt, icv):
    raw = bytes(pkt)
    e = esp_bytes(pkt)
    start = len(raw) - len(e)
    fixed = raw[:start] + e[: len(e) - len(icv)] + icv
    return pkt.__class__(fixed)


# ----------------------------------------------------------------------------------------------
# A. Scapy encrypts, the oracle verifies

SUITES_A = ["aes-128-gcm", "aes-256-gcm-icv12", "aes-192-gcm-icv8", "aes-128-cbc-hmac-sha1",
            "aes-256-cbc-hmac-sha256", "aes-192-cbc-hmac-sha384", "aes-128-cbc-hmac-sha512",
            "aes-128-cbc-hmac-md5", "null-hmac-sha256", "null-hmac-md5", "3des-cbc-hmac-sha1", "des-cbc-hmac-sha256",
            "aes-128-cbc"]


def direction_a(cli, tmp, failures, coverage):
    sas, packets, frames = [], [], []
    spi = 0x5000
    rnd = __import__("random").Random(4303)
    for suite in SUITES_A:
        enc, integ, _ = split_suite(suite)
        for mode in ("transport", "tunnel"):
            for ipv in (4, 6):
                for esn in (False, True):
                    for udp in (False, True):
                        spi += 1
                        algo, klen, salted = ENCRYPTION[enc]
                        sa = {"id": "sa-%x" % spi, "spi": "0x%08x" % spi, "direction": "inbound", "mode": mode,
                              "ip_version": ipv,
                              "source": "192.0.2.1" if ipv == 4 else "2001:db8::1",
                              "destination": "192.0.2.2" if ipv == 4 else "2001:db8::2",
                              "udp_encap": {"source_port": 4500, "destination_port": 4500} if udp else None,
                              "suite": suite, "esn": esn,
                              "initial_sequence": "0x0000000100000004" if esn else "0x00000004",
                              "anti_replay": integ is not None or enc.startswith("aes") and "gcm" in enc,
                              "replay_window": 64}
                        if klen:
                            sa["encryption_key"] = bytes(rnd.getrandbits(8) for _ in range(klen)).hex()
                        if salted:
                            sa["salt"] = bytes(rnd.getrandbits(8) for _ in range(4)).hex()
                        if integ:
                            sa["integrity_key"] = bytes(rnd.getrandbits(8) for _ in range(INTEGRITY[integ][1])).hex()
                        sas.append(sa)
                        ipcls = IP if ipv == 4 else IPv6
                        if mode == "tunnel":
                            inner = (IP(src="10.0.1.1", dst="10.0.2.1") if ipv == 4
                                     else IPv6(src="2001:db8:1::1", dst="2001:db8:2::1"))
                        else:
                            inner = ipcls(src=sa["source"], dst=sa["destination"])
                        plain = inner / UDP(sport=1234, dport=5678) / Raw(bytes(range(48)))
                        plain = plain.__class__(bytes(plain))
                        s = scapy_sa(sa, esn_high=1 if esn else None, seq_low=5)
                        iv_len = s.crypt_algo.iv_size
                        iv = bytes(rnd.getrandbits(8) for _ in range(iv_len)) if iv_len else None
                        pkt = s.encrypt(plain, iv=iv)
                        label = "%s %s IPv%d %s%s" % (suite, mode, ipv, "ESN" if esn else "32-bit",
                                                      " UDP" if udp else "")
                        inner_proto = (4 if ipv == 4 else 41) if mode == "tunnel" else 17
                        base = {"sa": sa["id"], "sequence": "0x0000000100000005" if esn else "0x00000005",
                                "requirements": [], "flags": ["peer-scapy"]}
                        if esn:
                            base["esn_high"] = "0x00000001"
                        # Scapy 2.5.0 defects, each shown the same way: the oracle must refuse Scapy's
                        # packet for exactly that reason and accept it once only that is repaired.
                        defects = []
                        _, _, icv_len = split_suite(suite)
                        if ipv == 4 and udp:
                            defects.append(("truncated", "UDPENC-006",
                                            "IPv4 NAT-T: UDP Length written as 8 (header only)"))
                        if "gcm" in enc and icv_len != 16:
                            defects.append(("bad-icv", "GCM-006",
                                            "GCM ICV %d: crypt_icv_size ignored, 16-octet tag sent" % icv_len))
                        if esn and integ:
                            defects.append(("bad-icv", "ESN-004", "ESN+HMAC: ICV computed without Seq_high"))
                        if defects:
                            packets.append(dict(base, expect=defects[0][0], requirements=[d[1] for d in defects],
                                                comment="Scapy " + label + ": " + "; ".join(d[2] for d in defects)))
                            frames.append((ether(pkt), label + " (as Scapy sent it: " + defects[0][2] + ")"))
                            fixed = repair(pkt, sa, integ, icv_len if "gcm" in enc else None, esn)
                            packets.append(dict(base, expect="ok", inner_protocol=inner_proto,
                                                requirements=[d[1] for d in defects],
                                                comment="same packet, repaired: " + "; ".join(d[2] for d in defects)))
                            frames.append((ether(fixed), label + " (repaired)"))
                            for d in defects:
                                coverage["A: Scapy defect shown (refused, accepted once repaired): " + d[2]] += 1
                        else:
                            packets.append(dict(base, expect="ok", inner_protocol=inner_proto,
                                                comment="Scapy " + label))
                            frames.append((ether(pkt), label))
                        coverage["A: " + suite] += 1
    for i, p in enumerate(packets):
        p["index"] = i
    side = {"schema_version": 1, "name": "scapy-encrypts",
            "description": "Packets encrypted by Scapy 2.5.0, verified by the oracle",
            "provenance": {"kind": "generated", "tool": "tests/crosscheck/scapy_crosscheck.py",
                           "tool_version": "scapy-2.5.0", "seed": 4303},
            "link_type": "ethernet", "sas": sas, "packets": packets}
    side_path = os.path.join(tmp, "scapy.json")
    pcap_path = os.path.join(tmp, "scapy.pcap")
    json.dump(side, open(side_path, "w"), indent=1)
    wrpcap(pcap_path, [f for f, _ in frames])
    r = subprocess.run([cli, "vectors", "verify", pcap_path, "--sa", side_path, "--json"],
                       capture_output=True, text=True)
    if r.returncode == 2:
        failures.append("A: verify refused the input: " + r.stderr.strip())
        return len(frames)
    out = json.loads(r.stdout)
    for rep in out["packets"]:
        if rep["result"] != "pass":
            label = frames[rep["index"]][1]
            failures.append("A packet %d (%s): field %s: oracle says %s (%s), expected %s" % (
                rep["index"], label, rep.get("mismatch"), rep["verdict"], rep.get("detail", ""),
                rep.get("expected")))
    return len(frames)


# ----------------------------------------------------------------------------------------------
# B. The oracle encrypts, Scapy decrypts

def direction_b(vectors_dir, failures, coverage, limits):
    checked = 0
    for dirpath, _, names in os.walk(os.path.join(vectors_dir, "generated")):
        for n in sorted(names):
            if not n.endswith(".json"):
                continue
            side = json.load(open(os.path.join(dirpath, n)))
            frames = rdpcap(os.path.join(dirpath, n[:-5] + ".pcap"))
            sas = {s["id"]: s for s in side["sas"]}
            for p, frame in zip(side["packets"], frames):
                sa = sas[p["sa"]]
                where = "%s packet %d" % (side["name"], p["index"])
                expect = p["expect"]
                enc, integ, _ = split_suite(sa["suite"])
                if "gmac" in enc:
                    limits["AES-GMAC (not in Scapy 2.5.0)"] += 1
                    continue
                if enc not in ENCRYPTION:
                    limits[enc + " (not mapped)"] += 1
                    continue
                if expect in ("unknown-spi", "truncated"):
                    limits["unknown-SPI / truncated packets (no SA applies / nothing to decrypt)"] += 1
                    continue
                esn_high = int(p["esn_high"], 16) if "esn_high" in p else None
                if "gcm" in enc and split_suite(sa["suite"])[2] != 16:
                    limits["GCM ICV 8/12 (Scapy 2.5.0 always uses a 16-octet tag; cross-checked in A after repair)"] += 1
                    continue
                s = scapy_sa(sa, esn_high=esn_high)
                pkt = frame[IP] if frame.type == 0x0800 else frame[IPv6]
                front = pkt[ESP].underlayer.__class__.__name__  # the header ESP followed
                genuine = expect != "bad-icv"
                has_integrity = integ is not None or "gcm" in enc
                checked += 1
                esn_hmac = sa["esn"] and integ is not None
                if esn_hmac:
                    # Scapy's own HMAC check leaves Seq_high out: it must refuse even genuine packets.
                    try:
                        s.decrypt(pkt.copy(), verify=True)
                        if genuine:
                            failures.append("%s: field icv: Scapy accepted an ESN HMAC ICV it computes without "
                                            "Seq_high (the known defect disappeared?)" % where)
                    except IPSecIntegrityError:
                        pass
                    e = esp_bytes(pkt)
                    n_icv = INTEGRITY[integ][3]
                    ok_icv = hmac.compare_digest(
                        hmac_icv(integ, bytes.fromhex(sa["integrity_key"]), e[:-n_icv], esn_high), e[-n_icv:])
                    if ok_icv != genuine:
                        failures.append("%s: field icv: RFC 4303 HMAC over ... || Seq_high says %s, sidecar %s"
                                        % (where, "good" if ok_icv else "bad", expect))
                    limits["ESN+HMAC: Scapy's integrity check unusable (ICV checked with Python hmac)"] += 1
                    verify = False
                else:
                    verify = has_integrity
                try:
                    dec = s.decrypt(pkt.copy(), verify=verify)
                    if not genuine and has_integrity and not esn_hmac:
                        failures.append("%s: field icv: Scapy accepted a packet the sidecar says has a bad ICV" % where)
                        continue
                except IPSecIntegrityError:
                    if genuine:
                        failures.append("%s: field icv: Scapy refuses the ICV, sidecar %s" % (where, expect))
                    else:
                        coverage["B: corrupted ICV refused"] += 1
                    continue
                except Exception as ex:  # decryption error (e.g. padding Scapy cannot strip)
                    if genuine and expect != "bad-padding":
                        failures.append("%s: Scapy could not decrypt: %r" % (where, ex))
                    continue
                if not genuine:
                    if not has_integrity or esn_hmac:
                        coverage["B: corrupted ICV refused"] += 1 if esn_hmac else 0
                    continue
                if expect in ("replay", "outside-window"):
                    limits["anti-replay verdicts (Scapy has no window; decryption and ICV checked)"] += 1
                if expect == "bad-padding":
                    limits["pad content (Scapy strips padding without checking it; ICV checked)"] += 1
                want = p.get("inner_protocol", 59 if expect == "dummy" else None)
                if want is not None:
                    if sa["mode"] == "tunnel" and expect != "dummy":
                        got = 4 if dec.__class__.__name__ == "IP" else 41 if dec.__class__.__name__ == "IPv6" else None
                    else:
                        got = next_header_after(dec, front)
                        if sa["mode"] == "tunnel" and expect == "dummy":
                            got = 59  # Scapy hands the (empty) payload on; the dummy flag is checked below
                    if got != want:
                        failures.append("%s: field next_header: Scapy decrypted %r, sidecar %r" % (where, got, want))
                        continue
                coverage["B: %s%s" % (sa["suite"], " ESN" if sa["esn"] else "")] += 1
    return checked


def next_header_after(dec, front):
    """Next Header Scapy restored into the header that stood in front of ESP (IPv4 Protocol, the
    IPv6 fixed header's or the last kept extension header's Next Header)."""
    if dec.__class__.__name__ == "IP":
        return dec.proto
    layer = dec
    while layer is not None and layer.__class__.__name__ != front:
        layer = layer.payload if layer.payload else None
    if layer is None or front == "UDP":
        layer = dec
    return getattr(layer, "nh", None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--vectors", required=True)
    a = ap.parse_args()
    failures, coverage, limits = [], collections.Counter(), collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        na = direction_a(a.cli, tmp, failures, coverage)
    nb = direction_b(a.vectors, failures, coverage, limits)
    print("Scapy cross-check: A (Scapy encrypts, oracle verifies) %d packets; "
          "B (oracle encrypts, Scapy decrypts) %d packets" % (na, nb))
    for k, v in sorted(coverage.items()):
        print("  agreed  %-60s %d" % (k, v))
    for k, v in sorted(limits.items()):
        print("  not checkable by Scapy: %s: %d" % (k, v))
    for f in failures:
        print("DISAGREE", f)
    print("%d disagreements" % len(failures))
    return 1 if failures or na == 0 or nb == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
