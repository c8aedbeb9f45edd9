// The 32-bit Windows (x86) layout of the pointer-carrying IPsecOV2 structures:
// NDIS_OFFLOAD, ADD_SA, ADD_SA_EX, DELETE_SA, UPDATE_SA and the OOB slots,
// x86 column. Pointers and NDIS_HANDLEs are 4-byte little-endian integers.
// Conventions and the structures without pointers: layout_common.h.
#pragma once

#include "oracle/ndis/layout_common.h"

namespace cts::ndis::x86 {

using layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION;
using layout::IPV4_ENDPOINTS;
using layout::IPV6_ENDPOINTS;
using layout::NDIS_OBJECT_HEADER;

using POINTER = uint32_t;  // PVOID, NDIS_HANDLE, PIPSEC_OFFLOAD_V2_ADD_SA, ...
inline constexpr size_t kPointerSize = 4;

// 3.6 IPSEC_OFFLOAD_V2_ADD_SA
struct IPSEC_OFFLOAD_V2_ADD_SA {
  NDIS_OBJECT_HEADER Header;
  POINTER Next;
  uint32_t NumExtHdrs;
  uint32_t Flags;
  union {
    IPV4_ENDPOINTS IPv4Endpoints;
    IPV6_ENDPOINTS IPv6Endpoints;
  };
  POINTER OffloadHandle;
  uint32_t UdpEspEncapsulation;
  IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION SecAssoc[2];
  uint32_t KeyLength;
  uint8_t KeyData[1];
  uint8_t pad157[3];
};
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Header) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Next) == 4);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, NumExtHdrs) == 8);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Flags) == 12);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, IPv4Endpoints.SrcAddr) == 16);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, IPv4Endpoints.DestAddr) == 20);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, IPv6Endpoints.SrcAddr) == 16);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, IPv6Endpoints.DestAddr) == 32);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, OffloadHandle) == 48);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, UdpEspEncapsulation) == 52);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, SecAssoc[0]) == 56);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, SecAssoc[1]) == 104);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyLength) == 152);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyData) == 156);
static_assert(sizeof(IPSEC_OFFLOAD_V2_ADD_SA) == 160);
static_assert(alignof(IPSEC_OFFLOAD_V2_ADD_SA) == 4);
inline constexpr uint16_t NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(IPSEC_OFFLOAD_V2_ADD_SA, KeyData);
static_assert(NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 == 157);

// 3.7 IPSEC_OFFLOAD_V2_ADD_SA_EX
struct IPSEC_OFFLOAD_V2_ADD_SA_EX {
  NDIS_OBJECT_HEADER Header;
  uint32_t NumExtHdrs;
  uint32_t Flags;
  union {
    IPV4_ENDPOINTS IPv4Endpoints;
    IPV6_ENDPOINTS IPv6Endpoints;
  };
  POINTER OffloadHandle;
  uint32_t UdpEspEncapsulation;
  IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION SecAssoc[2];
  uint32_t KeyLength;
  uint32_t KeyOffset;
  uint32_t SourceSwitchPortId;  // NDIS_SWITCH_PORT_ID
  uint16_t VlanId;
  uint8_t pad162[2];
};
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, Header) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, NumExtHdrs) == 4);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, Flags) == 8);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, IPv4Endpoints.SrcAddr) == 12);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, IPv4Endpoints.DestAddr) == 16);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, IPv6Endpoints.SrcAddr) == 12);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, IPv6Endpoints.DestAddr) == 28);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, OffloadHandle) == 44);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, UdpEspEncapsulation) == 48);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SecAssoc[0]) == 52);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SecAssoc[1]) == 100);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, KeyLength) == 148);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, KeyOffset) == 152);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SourceSwitchPortId) == 156);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, VlanId) == 160);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, pad162) == 162);
static_assert(sizeof(IPSEC_OFFLOAD_V2_ADD_SA_EX) == 164);
inline constexpr uint16_t NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(IPSEC_OFFLOAD_V2_ADD_SA_EX, VlanId);
static_assert(NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 == 162);

// 3.8 IPSEC_OFFLOAD_V2_DELETE_SA
struct IPSEC_OFFLOAD_V2_DELETE_SA {
  NDIS_OBJECT_HEADER Header;
  POINTER Next;
  POINTER OffloadHandle;
};
static_assert(offsetof(IPSEC_OFFLOAD_V2_DELETE_SA, Header) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_DELETE_SA, Next) == 4);
static_assert(offsetof(IPSEC_OFFLOAD_V2_DELETE_SA, OffloadHandle) == 8);
static_assert(sizeof(IPSEC_OFFLOAD_V2_DELETE_SA) == 12);
inline constexpr uint16_t NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(IPSEC_OFFLOAD_V2_DELETE_SA, OffloadHandle);
static_assert(NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1 == 12);

// 3.9 IPSEC_OFFLOAD_V2_UPDATE_SA (no Next member, OQ-02)
struct IPSEC_OFFLOAD_V2_UPDATE_SA {
  NDIS_OBJECT_HEADER Header;
  POINTER OffloadHandle;
  uint32_t Operation;
  uint32_t Spi;
  uint32_t SequenceNumberHighOrder;
};
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, Header) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, OffloadHandle) == 4);
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, Operation) == 8);
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, Spi) == 12);
static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, SequenceNumberHighOrder) == 16);
static_assert(sizeof(IPSEC_OFFLOAD_V2_UPDATE_SA) == 20);
inline constexpr uint16_t NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(IPSEC_OFFLOAD_V2_UPDATE_SA, SequenceNumberHighOrder);
static_assert(NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1 == 20);

// 3.3 NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES
struct NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES {
  NDIS_OBJECT_HEADER Header;
  POINTER DefaultOffloadConfiguration;               // PNDIS_OFFLOAD
  POINTER HardwareOffloadCapabilities;               // PNDIS_OFFLOAD
  POINTER DefaultTcpConnectionOffloadConfiguration;  // PNDIS_TCP_CONNECTION_OFFLOAD
  POINTER TcpConnectionOffloadHardwareCapabilities;  // PNDIS_TCP_CONNECTION_OFFLOAD
};
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, Header) == 0);
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, DefaultOffloadConfiguration) == 4);
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, HardwareOffloadCapabilities) == 8);
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
                       DefaultTcpConnectionOffloadConfiguration) == 12);
static_assert(offsetof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
                       TcpConnectionOffloadHardwareCapabilities) == 16);
static_assert(sizeof(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES) == 20);
inline constexpr uint16_t NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
                                  TcpConnectionOffloadHardwareCapabilities);
static_assert(NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1 == 20);

// 3.10 NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO (slot 1): Transmit.OffloadHandle, or the
// receive bit-field word; both fill the whole 4-byte slot.
struct NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO {
  union {
    POINTER TransmitOffloadHandle;
    uint32_t ReceiveBits;
  };
};
static_assert(sizeof(NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO) == 4);

// 3.10 NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO (slot 11): Transmit.TunnelHandle.
struct NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO {
  POINTER TunnelHandle;
};
static_assert(sizeof(NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO) == 4);

using layout::NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO;  // slot 12, 4 bytes

}  // namespace cts::ndis::x86
