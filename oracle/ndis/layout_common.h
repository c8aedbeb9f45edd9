// C++ mirrors of the NDIS IPsecOV2 structures whose layout is the same on 64-bit and 32-bit
// Windows (no pointer members): NDIS_OBJECT_HEADER, NDIS_IPSEC_OFFLOAD_V2, ALGORITHM_INFO, SECURITY_ASSOCIATION, the NDIS_OFFLOAD prefix and the offload parameters
// (NDIS_OFFLOAD_PARAMETERS prefix) and 3.10 (the header info slot).
//
// Rules that make these byte-exact on any little-endian host compiler (the NDIS type model):
//  - fixed-width integer types only (ULONG is uint32_t; `unsigned long` would be 8 bytes here);
//  - every compiler-inserted pad of the MSVC layout is an explicit `padN` member, so the host
//    compiler never has to insert one itself;
//  - MSVC ULONG bit-field groups are one little-endian 32-bit word, kept as a uint32_t with the
//    masks of constants.h.
// Every offset and size below is asserted against the number typed from the spec tables, so a
// change that moves a byte fails the build. These structs document the ABI; the codec accesses
// buffers byte-wise at the offsets they define (codec.cpp), never by casting a buffer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cts::ndis::layout {

// RTL_SIZEOF_THROUGH_FIELD(T, F): the NDIS_SIZEOF_*_REVISION_n definition (the NDIS type model).
#define CTS_NDIS_SIZEOF_THROUGH_FIELD(T, F) (offsetof(T, F) + sizeof(T::F))

// 3.1
struct NDIS_OBJECT_HEADER {
  uint8_t Type;
  uint8_t Revision;
  uint16_t Size;
};
static_assert(sizeof(NDIS_OBJECT_HEADER) == 4);
static_assert(offsetof(NDIS_OBJECT_HEADER, Type) == 0);
static_assert(offsetof(NDIS_OBJECT_HEADER, Revision) == 1);
static_assert(offsetof(NDIS_OBJECT_HEADER, Size) == 2);

// 3.2 NDIS_IPSEC_OFFLOAD_V2. BOOLEAN is one byte (TRUE = 1).
struct NDIS_IPSEC_OFFLOAD_V2 {
  uint32_t Encapsulation;
  uint8_t IPv6Supported;
  uint8_t IPv4Options;
  uint8_t IPv6NonIPsecExtensionHeaders;
  uint8_t Ah;
  uint8_t Esp;
  uint8_t AhEspCombined;
  uint8_t Transport;
  uint8_t Tunnel;
  uint8_t TransportTunnelCombined;
  uint8_t LsoSupported;
  uint8_t ExtendedSequenceNumbers;
  uint8_t pad15;
  uint32_t UdpEsp;
  uint32_t AuthenticationAlgorithms;
  uint32_t EncryptionAlgorithms;
  uint32_t SaOffloadCapacity;
};
static_assert(sizeof(NDIS_IPSEC_OFFLOAD_V2) == 32);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, Encapsulation) == 0);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, IPv6Supported) == 4);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, IPv4Options) == 5);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, IPv6NonIPsecExtensionHeaders) == 6);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, Ah) == 7);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, Esp) == 8);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, AhEspCombined) == 9);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, Transport) == 10);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, Tunnel) == 11);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, TransportTunnelCombined) == 12);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, LsoSupported) == 13);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, ExtendedSequenceNumbers) == 14);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, pad15) == 15);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, UdpEsp) == 16);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, AuthenticationAlgorithms) == 20);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, EncryptionAlgorithms) == 24);
static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, SaOffloadCapacity) == 28);

// 3.4
struct IPSEC_OFFLOAD_V2_ALGORITHM_INFO {
  uint32_t Identifier;
  uint32_t KeyLength;
  uint32_t KeyOffsetBytes;
  uint32_t AdditionalInfo;
};
static_assert(sizeof(IPSEC_OFFLOAD_V2_ALGORITHM_INFO) == 16);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ALGORITHM_INFO, Identifier) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ALGORITHM_INFO, KeyLength) == 4);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ALGORITHM_INFO, KeyOffsetBytes) == 8);
static_assert(offsetof(IPSEC_OFFLOAD_V2_ALGORITHM_INFO, AdditionalInfo) == 12);

// 3.5. Operation is IPSEC_OFFLOAD_V2_OPERATION, a 4-byte MSVC enum; Spi is a ULONG.
struct IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION {
  uint32_t Flags;
  uint32_t Operation;
  uint32_t Spi;
  IPSEC_OFFLOAD_V2_ALGORITHM_INFO AuthenticationAlgorithm;
  IPSEC_OFFLOAD_V2_ALGORITHM_INFO EncryptionAlgorithm;
  uint32_t SequenceNumberHighOrder;
};
static_assert(sizeof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION) == 48);
static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, Flags) == 0);
static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, Operation) == 4);
static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, Spi) == 8);
static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, AuthenticationAlgorithm) == 12);
static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, EncryptionAlgorithm) == 28);
static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, SequenceNumberHighOrder) == 44);

// The endpoint union of ADD_SA / ADD_SA_EX (32 bytes). IPAddr is a ULONG holding the address in
// network order in memory (OQ-13); the IPv6 arrays are wire order.
struct IPV4_ENDPOINTS {
  uint32_t SrcAddr;
  uint32_t DestAddr;
};
struct IPV6_ENDPOINTS {
  uint8_t SrcAddr[16];
  uint8_t DestAddr[16];
};
union IPSEC_OFFLOAD_V2_ENDPOINTS {
  IPV4_ENDPOINTS IPv4Endpoints;
  IPV6_ENDPOINTS IPv6Endpoints;
};
static_assert(sizeof(IPSEC_OFFLOAD_V2_ENDPOINTS) == 32);
static_assert(alignof(IPSEC_OFFLOAD_V2_ENDPOINTS) == 4);
static_assert(offsetof(IPV4_ENDPOINTS, DestAddr) == 4);
static_assert(offsetof(IPV6_ENDPOINTS, DestAddr) == 16);

// 3.3 NDIS_OFFLOAD through revision 3 (same offsets on x86 and x64). The members IPsecOV2 does
// not interpret are kept as opaque ULONG arrays of their exact size and alignment.
struct NDIS_TCP_RECV_SEG_COALESCE_OFFLOAD {
  uint8_t IPv4Enabled;  // IPv4.Enabled (BOOLEAN)
  uint8_t IPv6Enabled;  // IPv6.Enabled (BOOLEAN)
};
struct NDIS_OFFLOAD {
  NDIS_OBJECT_HEADER Header;
  uint32_t Checksum[8];  // NDIS_TCP_IP_CHECKSUM_OFFLOAD
  uint32_t LsoV1[4];     // NDIS_TCP_LARGE_SEND_OFFLOAD_V1
  uint32_t IPsecV1[7];   // NDIS_IPSEC_OFFLOAD_V1
  uint32_t LsoV2[7];     // NDIS_TCP_LARGE_SEND_OFFLOAD_V2
  uint32_t Flags;
  NDIS_IPSEC_OFFLOAD_V2 IPsecV2;
  NDIS_TCP_RECV_SEG_COALESCE_OFFLOAD Rsc;
  uint8_t pad146[2];
  uint32_t EncapsulatedPacketTaskOffloadGre[2];  // NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD
};
static_assert(offsetof(NDIS_OFFLOAD, Header) == 0);
static_assert(offsetof(NDIS_OFFLOAD, Checksum) == 4);
static_assert(offsetof(NDIS_OFFLOAD, LsoV1) == 36);
static_assert(offsetof(NDIS_OFFLOAD, IPsecV1) == 52);
static_assert(offsetof(NDIS_OFFLOAD, LsoV2) == 80);
static_assert(offsetof(NDIS_OFFLOAD, Flags) == 108);
static_assert(offsetof(NDIS_OFFLOAD, IPsecV2) == 112);
static_assert(offsetof(NDIS_OFFLOAD, Rsc) == 144);
static_assert(offsetof(NDIS_OFFLOAD, pad146) == 146);
static_assert(offsetof(NDIS_OFFLOAD, EncapsulatedPacketTaskOffloadGre) == 148);
static_assert(sizeof(NDIS_OFFLOAD) == 156);  // this prefix ends with revision 3
inline constexpr uint16_t NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(NDIS_OFFLOAD, Flags);
inline constexpr uint16_t NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(NDIS_OFFLOAD, IPsecV2);
inline constexpr uint16_t NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_3 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(NDIS_OFFLOAD, EncapsulatedPacketTaskOffloadGre);
static_assert(NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_1 == 112);
static_assert(NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2 == 144);
static_assert(NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_3 == 156);

// 2.7 NDIS_OFFLOAD_PARAMETERS through revision 2 (same offsets on x86 and x64).
struct NDIS_OFFLOAD_PARAMETERS {
  NDIS_OBJECT_HEADER Header;
  uint8_t IPv4Checksum;
  uint8_t TCPIPv4Checksum;
  uint8_t UDPIPv4Checksum;
  uint8_t TCPIPv6Checksum;
  uint8_t UDPIPv6Checksum;
  uint8_t LsoV1;
  uint8_t IPsecV1;
  uint8_t LsoV2IPv4;
  uint8_t LsoV2IPv6;
  uint8_t TcpConnectionIPv4;
  uint8_t TcpConnectionIPv6;
  uint8_t pad15;
  uint32_t Flags;
  uint8_t IPsecV2;
  uint8_t IPsecV2IPv4;
  uint8_t pad22[2];
};
static_assert(offsetof(NDIS_OFFLOAD_PARAMETERS, IPv4Checksum) == 4);
static_assert(offsetof(NDIS_OFFLOAD_PARAMETERS, TcpConnectionIPv6) == 14);
static_assert(offsetof(NDIS_OFFLOAD_PARAMETERS, Flags) == 16);
static_assert(offsetof(NDIS_OFFLOAD_PARAMETERS, IPsecV2) == 20);
static_assert(offsetof(NDIS_OFFLOAD_PARAMETERS, IPsecV2IPv4) == 21);
static_assert(sizeof(NDIS_OFFLOAD_PARAMETERS) == 24);
inline constexpr uint16_t NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_1 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(NDIS_OFFLOAD_PARAMETERS, Flags);
inline constexpr uint16_t NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_2 =
    CTS_NDIS_SIZEOF_THROUGH_FIELD(NDIS_OFFLOAD_PARAMETERS, IPsecV2IPv4);
static_assert(NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_1 == 20);
static_assert(NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_2 == 22);

// 3.10 NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO: one ULONG of bit-fields (transmit:
// NextHeader, PadLength, AhHeaderOffset, EspHeaderOffset; receive: NextHeader, PadLength,
// HeaderInfoSet), 4 bytes on both ABIs, in a pointer-sized slot.
struct NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO {
  uint32_t Bits;
};
static_assert(sizeof(NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO) == 4);

}  // namespace cts::ndis::layout
