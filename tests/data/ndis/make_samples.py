#!/usr/bin/env python3
"""Writes the sample OID buffers of tests/data/ndis/ (run from any directory; output beside this
script). Every offset below is typed from the documented layouts (NDIS_IPSEC_OFFLOAD_V2,
3.6-3.9), independently of the C++ layout code, so the CLI decode tests compare the codec
against the spec rather than against itself. Next members hold offsets from the start of the
file (0 ends a list), as `ipsec-cts decode` expects. Standard library only."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# ADD_SA / ADD_SA_EX / DELETE_SA / UPDATE_SA offsets per ABI.
ADD_SA = {
    "x64": dict(Next=8, ptr=8, NumExtHdrs=16, Flags=20, Endpoints=24, OffloadHandle=56,
                UdpEspEncapsulation=64, SecAssoc=(68, 116), KeyLength=164, KeyData=168,
                sizeof_rev1=169, sizeof=176, align=8),
    "x86": dict(Next=4, ptr=4, NumExtHdrs=8, Flags=12, Endpoints=16, OffloadHandle=48,
                UdpEspEncapsulation=52, SecAssoc=(56, 104), KeyLength=152, KeyData=156,
                sizeof_rev1=157, sizeof=160, align=4),
}
ADD_SA_EX = {
    "x64": dict(ptr=8, NumExtHdrs=4, Flags=8, Endpoints=12, OffloadHandle=48,
                UdpEspEncapsulation=56, SecAssoc=(60, 108), KeyLength=156, KeyOffset=160,
                SourceSwitchPortId=164, VlanId=168, sizeof_rev1=170, sizeof=176),
    "x86": dict(ptr=4, NumExtHdrs=4, Flags=8, Endpoints=12, OffloadHandle=44,
                UdpEspEncapsulation=48, SecAssoc=(52, 100), KeyLength=148, KeyOffset=152,
                SourceSwitchPortId=156, VlanId=160, sizeof_rev1=162, sizeof=164),
}
DELETE_SA = {"x64": dict(Next=8, OffloadHandle=16, ptr=8, size=24),
             "x86": dict(Next=4, OffloadHandle=8, ptr=4, size=12)}
UPDATE_SA = {"x64": dict(OffloadHandle=8, ptr=8, Operation=16, Spi=20, SNHO=24, rev1=28, size=32),
             "x86": dict(OffloadHandle=4, ptr=4, Operation=8, Spi=12, SNHO=16, rev1=20, size=20)}

# Flag, operation, algorithm and UDP-ESP constants.
INBOUND, IPV6, ESN_SA = 0x1, 0x10, 0x1
AH, ESP = 1, 2
AUTH_SHA_1, AUTH_SHA_256 = 0x2, 0x4
ENC_GCM_128, ENC_CBC_128, ENC_CBC_256 = 0x8, 0x40, 0x100


def put(buf, off, fmt, *values):
    struct.pack_into("<" + fmt, buf, off, *values)


def ptr_fmt(size):
    return "Q" if size == 8 else "I"


def sec_assoc(buf, off, flags, op, spi, auth, enc, snho):
    """auth/enc: (Identifier, KeyLength, KeyOffsetBytes, AdditionalInfo); ALGORITHM_INFO / SECURITY_ASSOCIATION."""
    put(buf, off + 0, "III", flags, op, spi)
    put(buf, off + 12, "IIII", *auth)
    put(buf, off + 28, "IIII", *enc)
    put(buf, off + 44, "I", snho)


def add_sa_element(buf, base, lay, nxt, flags, endpoints, sas, keys, size_field=None,
                   type_=0x80, handle=0):
    put(buf, base + 0, "BBH", type_, 1, size_field or lay["sizeof_rev1"])
    put(buf, base + lay["Next"], ptr_fmt(lay["ptr"]), nxt)
    put(buf, base + lay["NumExtHdrs"], "I", len(sas))
    put(buf, base + lay["Flags"], "I", flags)
    buf[base + lay["Endpoints"]:base + lay["Endpoints"] + len(endpoints)] = endpoints
    put(buf, base + lay["OffloadHandle"], ptr_fmt(lay["ptr"]), handle)
    put(buf, base + lay["UdpEspEncapsulation"], "I", 0)
    for i, sa in enumerate(sas):
        sec_assoc(buf, base + lay["SecAssoc"][i], *sa)
    put(buf, base + lay["KeyLength"], "I", len(keys))
    buf[base + lay["KeyData"]:base + lay["KeyData"] + len(keys)] = keys


IPV4_EP = bytes([10, 0, 0, 1, 10, 0, 0, 2])  # 10.0.0.1 -> 10.0.0.2, network order (OQ-13)
IPV6_EP = bytes.fromhex("20010db8000000000000000000000001" "20010db8000000000000000000000002")
CBC_KEY = bytes(range(0x00, 0x10))             # AES-128 key, 16 bytes
SHA1_KEY = bytes(range(0x20, 0x34))            # HMAC-SHA-1 key, 20 bytes
GCM_KEY = bytes(range(0x40, 0x54))             # AES-128 key || 4-byte salt (OQ-07)
CBC256_KEY = bytes(range(0x60, 0x80))          # AES-256 key, 32 bytes
SHA256_KEY = bytes(range(0x80, 0xA0))          # HMAC-SHA-256 key, 32 bytes

# Element 0: outbound IPv4 ESP AES-CBC-128 + HMAC-SHA-1, SPI 0x12345678.
ESP_CBC_SHA1 = (0, ESP, 0x12345678, (AUTH_SHA_1, 20, 16, 0), (ENC_CBC_128, 16, 0, 0), 0)
# Element 1: inbound IPv6 ESP AES-GCM-128 (ICV 16), ESN, high half 5, SPI 0x87654321.
ESP_GCM = (ESN_SA, ESP, 0x87654321, (0, 0, 0, 0), (ENC_GCM_128, 20, 0, 16), 5)


def add_sa_two(abi, loop=False, spi0=False):
    lay = ADD_SA[abi]
    first_extent = lay["KeyData"] + 36
    second = (first_extent + lay["align"] - 1) // lay["align"] * lay["align"]
    buf = bytearray(second + lay["KeyData"] + 20)
    sa0 = ESP_CBC_SHA1 if not spi0 else (0, ESP, 0) + ESP_CBC_SHA1[3:]
    add_sa_element(buf, 0, lay, second, 0, IPV4_EP, [sa0], CBC_KEY + SHA1_KEY)
    add_sa_element(buf, second, lay, second if loop else 0, INBOUND | IPV6, IPV6_EP, [ESP_GCM],
                   GCM_KEY, size_field=lay["sizeof"])
    return buf


def add_sa_ex(abi, key_offset=None):
    lay = ADD_SA_EX[abi]
    ko = lay["sizeof"] if key_offset is None else key_offset
    keys = CBC256_KEY + SHA256_KEY
    buf = bytearray(max(lay["sizeof"], ko + len(keys)))
    put(buf, 0, "BBH", 0x80, 1, lay["sizeof_rev1"])
    put(buf, lay["NumExtHdrs"], "I", 2)
    put(buf, lay["Flags"], "I", INBOUND)
    buf[lay["Endpoints"]:lay["Endpoints"] + 8] = bytes([192, 168, 1, 10, 192, 168, 1, 20])
    # ESP encryption only (AES-CBC-256) followed by AH HMAC-SHA-256 (ADD-011).
    sec_assoc(buf, lay["SecAssoc"][0], 0, ESP, 0x00000101, (0, 0, 0, 0), (ENC_CBC_256, 32, 0, 0), 0)
    sec_assoc(buf, lay["SecAssoc"][1], 0, AH, 0x00000202, (AUTH_SHA_256, 32, 32, 0), (0, 0, 0, 0), 0)
    put(buf, lay["KeyLength"], "I", len(keys))
    put(buf, lay["KeyOffset"], "I", ko)
    put(buf, lay["SourceSwitchPortId"], "I", 7)
    put(buf, lay["VlanId"], "H", 42)
    if ko >= lay["sizeof_rev1"]:
        buf[ko:ko + len(keys)] = keys
    return buf


def delete_sa(abi):
    lay = DELETE_SA[abi]
    handles = [0x1111, 0, 0x3333]
    buf = bytearray(lay["size"] * len(handles))
    for i, h in enumerate(handles):
        base = i * lay["size"]
        put(buf, base, "BBH", 0x80, 1, lay["size"])
        nxt = base + lay["size"] if i + 1 < len(handles) else 0
        put(buf, base + lay["Next"], ptr_fmt(lay["ptr"]), nxt)
        put(buf, base + lay["OffloadHandle"], ptr_fmt(lay["ptr"]), h)
    return buf


def update_sa(abi):
    lay = UPDATE_SA[abi]
    buf = bytearray(lay["size"])
    put(buf, 0, "BBH", 0x80, 1, lay["rev1"])
    put(buf, lay["OffloadHandle"], ptr_fmt(lay["ptr"]), 0xABCD)
    put(buf, lay["Operation"], "I", ESP)
    put(buf, lay["Spi"], "I", 0x87654321)
    put(buf, lay["SNHO"], "I", 6)
    return buf


def capabilities():
    """NDIS_IPSEC_OFFLOAD_V2: 32 bytes on both ABIs."""
    buf = bytearray(32)
    put(buf, 0, "I", 0x2)  # NDIS_ENCAPSULATION_IEEE_802_3
    buf[4:15] = bytes([1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1])  # IPv6Supported ... ExtendedSequenceNumbers
    put(buf, 16, "IIII", 0x1, 0x7, 0x1C9, 1024)
    return buf


def main():
    samples = {
        "add_sa_x64.bin": add_sa_two("x64"),
        "add_sa_x86.bin": add_sa_two("x86"),
        "add_sa_x64_loop.bin": add_sa_two("x64", loop=True),
        "add_sa_x64_truncated.bin": add_sa_two("x64")[:-10],
        "add_sa_x64_spi0.bin": add_sa_two("x64", spi0=True),
        "add_sa_ex_x64.bin": add_sa_ex("x64"),
        "add_sa_ex_x86.bin": add_sa_ex("x86"),
        "add_sa_ex_x64_keyoffset_inside.bin": add_sa_ex("x64", key_offset=100),
        "delete_sa_x64.bin": delete_sa("x64"),
        "delete_sa_x86.bin": delete_sa("x86"),
        "update_sa_x64.bin": update_sa("x64"),
        "update_sa_x86.bin": update_sa("x86"),
        "update_sa_x64_short.bin": update_sa("x64")[:20],
        "capabilities.bin": capabilities(),
    }
    bad_header = add_sa_two("x64")
    bad_header[0] = 0x81
    samples["add_sa_x64_bad_type.bin"] = bad_header
    for name, data in samples.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(bytes(data))


if __name__ == "__main__":
    main()
