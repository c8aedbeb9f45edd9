// The 64-bit Windows (LLP64) layout of the pointer-carrying IPsecOV2 structures:
// NDIS_OFFLOAD, ADD_SA, ADD_SA_EX, DELETE_SA, UPDATE_SA and the OOB slots,
// x64 column. Pointers and NDIS_HANDLEs are 8-byte little-endian integers here
// (a buffer from a file holds offsets, an in-process buffer holds addresses; see codec.h
// NextLinks). Conventions and the structures without pointers: layout_common.h.
#pragma once

#include "oracle/ndis/layout_common.h"

namespace cts::ndis::x64 {

using layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION;
using layout::IPV4_ENDPOINTS;
using layout::IPV6_ENDPOINTS;
using layout::NDIS_OBJECT_HEADER;

using POINTER = uint64_t;  // PVOID, NDIS_HANDLE, PIPSEC_OFFLOAD_V2_ADD_SA, ...
inline constexpr size_t kPointerSize = 8;

// 3.6 IPSEC_OFFLOAD_V2_ADD_SA
struct IPSEC_OFFLOAD_V2_ADD_SA {
  NDIS_OBJECT_HEADER Header;
  uint8_t pad4[4];
  alignas(8) POINTER Next;
  uint32_t NumExtHdrs;
  uint32_t Flags;
  union {
    IPV4_ENDPOINTS IPv4Endpoints;
    IPV6_ENDPOINTS IPv6Endpoints;
  };
  alignas(8) POINTER OffloadHandle;
  uint32_t UdpEspEncapsulation;
  IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION SecAssoc[2];
  uint32_t KeyLength;
  uint8_t KeyData[1];
  uint8_t pad169[7];
};
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Header) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, pad4) == 4);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Next) == 8);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, NumExtHdrs) == 16);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Flags) == 20);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, IPv4Endpoints.SrcAddr) == 24);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, IPv4Endpoints.DestAddr) == 28);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, IPv6Endpoints.SrcAddr) == 24);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, IPv6Endpoints.DestAddr) == 40);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, OffloadHandle) == 56);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, UdpEspEncapsulation) == 64);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, SecAssoc[0]) == 68);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, SecAssoc[1]) == 116);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyLength) == 164);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyData) == 168);
static_assert(sizeof(IPSEC_OFFLOAD_V2_ADD_SA) == 176);
static_assert(alignof(IPSEC_OFFLOAD_V2_ADD_SA) == 8);
inline constexpr uint16_t NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(IPSEC_OFFLOAD_V2_ADD_SA, KeyData);
static_assert(NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 == 169);

// 3.7 IPSEC_OFFLOAD_V2_ADD_SA_EX
struct IPSEC_OFFLOAD_V2_ADD_SA_EX {
  NDIS_OBJECT_HEADER Header;
  uint32_t NumExtHdrs;
  uint32_t Flags;
  union {
    IPV4_ENDPOINTS IPv4Endpoints;
    IPV6_ENDPOINTS IPv6Endpoints;
  };
  uint8_t pad44[4];
  alignas(8) POINTER OffloadHandle;
  uint32_t UdpEspEncapsulation;
  IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION SecAssoc[2];
  uint32_t KeyLength;
  uint32_t KeyOffset;
  uint32_t SourceSwitchPortId;  // NDIS_SWITCH_PORT_ID
  uint16_t VlanId;
  uint8_t pad170[6];
};
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, Header) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, NumExtHdrs) == 4);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, Flags) == 8);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, IPv4Endpoints.SrcAddr) == 12);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, IPv4Endpoints.DestAddr) == 16);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, IPv6Endpoints.SrcAddr) == 12);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, IPv6Endpoints.DestAddr) == 28);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, pad44) == 44);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, OffloadHandle) == 48);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, UdpEspEncapsulation) == 56);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SecAssoc[0]) == 60);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SecAssoc[1]) == 108);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, KeyLength) == 156);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, KeyOffset) == 160);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SourceSwitchPortId) == 164);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, VlanId) == 168);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, pad170) == 170);
static_assert(sizeof(IPSEC_OFFLOAD_V2_ADD_SA_EX) == 176);
inline constexpr uint16_t NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(IPSEC_OFFLOAD_V2_ADD_SA_EX, VlanId);
static_assert(NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 == 170);

// 3.8 IPSEC_OFFLOAD_V2_DELETE_SA
struct IPSEC_OFFLOAD_V2_DELETE_SA {
  NDIS_OBJECT_HEADER Header;
  uint8_t pad4[4];
  alignas(8) POINTER Next;
  alignas(8) POINTER OffloadHandle;
};
static_assert(offsetof(IPSEC_OFFLOAD_V2_DELETE_SA, Header) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_DELETE_SA, Next) == 8);
static_assert(offsetof(IPSEC_OFFLOAD_V2_DELETE_SA, OffloadHandle) == 16);
static_assert(sizeof(IPSEC_OFFLOAD_V2_DELETE_SA) == 24);
inline constexpr uint16_t NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(IPSEC_OFFLOAD_V2_DELETE_SA, OffloadHandle);
static_assert(NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1 == 24);

// 3.9 IPSEC_OFFLOAD_V2_UPDATE_SA (no Next member, OQ-02)
struct IPSEC_OFFLOAD_V2_UPDATE_SA {
  NDIS_OBJECT_HEADER Header;
  uint8_t pad4[4];
  alignas(8) POINTER OffloadHandle;
  uint32_t Operation;
  uint32_t Spi;
  uint32_t SequenceNumberHighOrder;
  uint8_t pad28[4];
};
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, Header) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, OffloadHandle) == 8);
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, Operation) == 16);
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, Spi) == 20);
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, SequenceNumberHighOrder) == 24);
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, pad28) == 28);
static_assert(sizeof(IPSEC_OFFLOAD_V2_UPDATE_SA) == 32);
inline constexpr uint16_t NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(IPSEC_OFFLOAD_V2_UPDATE_SA, SequenceNumberHighOrder);
static_assert(NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1 == 28);

// 3.3 NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES
struct NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES {
  NDIS_OBJECT_HEADER Header;
  uint8_t pad4[4];
  alignas(8) POINTER DefaultOffloadConfiguration;               // PNDIS_OFFLOAD
  alignas(8) POINTER HardwareOffloadCapabilities;               // PNDIS_OFFLOAD
  alignas(8) POINTER DefaultTcpConnectionOffloadConfiguration;  // PNDIS_TCP_CONNECTION_OFFLOAD
  alignas(8) POINTER TcpConnectionOffloadHardwareCapabilities;  // PNDIS_TCP_CONNECTION_OFFLOAD
};
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, Header) == 0);
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, DefaultOffloadConfiguration) == 8);
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, HardwareOffloadCapabilities) == 16);
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
                       DefaultTcpConnectionOffloadConfiguration) == 24);
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
                       TcpConnectionOffloadHardwareCapabilities) == 32);
static_assert(sizeof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES) == 40);
inline constexpr uint16_t NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
                                  TcpConnectionOffloadHardwareCapabilities);
static_assert(NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1 == 40);

// 3.10 NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO (slot 1): Transmit.OffloadHandle, or the
// receive bit-field word (SaDeleteReq, CryptoDone, NextCryptoDone, Reserved, CryptoStatus) in
// bytes 0-3 of the 8-byte slot.
struct NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO {
  union {
    POINTER TransmitOffloadHandle;
    uint32_t ReceiveBits;
  };
};
static_assert(sizeof(NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO) == 8);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO, ReceiveBits) == 0);

// 3.10 NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO (slot 11): Transmit.TunnelHandle.
struct NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO {
  POINTER TunnelHandle;
};
static_assert(sizeof(NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO) == 8);

using layout::NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO;  // slot 12, 4 bytes

}  // namespace cts::ndis::x64
