/*
 * softnic_ndis.h — the NDIS IPsec Offload Version 2 definitions softnic consumes, in the exact
 * 64-bit Windows (x64, LLP64) layout a miniport receives in InformationBuffer.
 *
 * These are this driver's own copies of the WDK declarations (ntddndis.h, ndis.h), written with
 * fixed-width types: on Linux `unsigned long` is 8 bytes while the Windows ULONG is 4, and a
 * pointer-sized member (Next, OffloadHandle) is carried as a uint64_t. Every offset and size is
 * pinned by a static assertion against the tables of the IPsecOV2 engineering reference
 * (the x64 layouts of the IPsecOV2 structures), so a layout mistake fails the build instead of a customer.
 *
 * The structures are never overlaid on the request buffer: the OID code copies the bytes it has
 * bounds-checked into a local structure (netdevsim style: validate a private copy, then commit),
 * which avoids unaligned access and aliasing questions entirely.
 */
#ifndef SOFTNIC_NDIS_H
#define SOFTNIC_NDIS_H

#include <stddef.h>
#include <stdint.h>

/* ---- 2.1 OIDs ------------------------------------------------------------------------------ */
#define OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA 0xFC030202u
#define OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA 0xFC030203u
#define OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA 0xFC030204u
#define OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX 0xFC030205u

/* ---- 2.2 Object header ----------------------------------------------------------------------- */
#define NDIS_OBJECT_TYPE_DEFAULT 0x80u
#define NDIS_IPSEC_OFFLOAD_V2_REVISION_1 1u /* the same value for all four SA structures */

/* NDIS_SIZEOF_..._REVISION_1 = RTL_SIZEOF_THROUGH_FIELD (x64), the smallest Header.Size a
 * producer may write (OQ-01: accept anything at least this large). */
#define NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 169u
#define NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 170u
#define NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1 24u
#define NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1 28u

/* ---- 2.3 Flags ------------------------------------------------------------------------------- */
#define IPSEC_OFFLOAD_V2_INBOUND 0x00000001u
#define IPSEC_OFFLOAD_V2_IPv6 0x00000010u
#define IPSEC_OFFLOAD_V2_ADD_SA_KNOWN_FLAGS (IPSEC_OFFLOAD_V2_INBOUND | IPSEC_OFFLOAD_V2_IPv6)
#define IPSEC_OFFLOAD_V2_ESN_SA 0x00000001u

/* ---- 2.4 Operation --------------------------------------------------------------------------- */
#define IPsecOffloadV2Ah 1u
#define IPsecOffloadV2Esp 2u

/* ---- 2.5 Algorithm identifiers (single bits; also capability masks) -------------------------- */
#define IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5 0x00000001u
#define IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1 0x00000002u
#define IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256 0x00000004u
#define IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128 0x00000008u
#define IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192 0x00000010u
#define IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256 0x00000020u
#define IPSEC_OFFLOAD_V2_AUTHENTICATION_DEFINED 0x0000003Fu

#define IPSEC_OFFLOAD_V2_ENCRYPTION_NONE 0x00000001u
#define IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC 0x00000002u
#define IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC 0x00000004u
#define IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 0x00000008u
#define IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192 0x00000010u
#define IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256 0x00000020u
#define IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128 0x00000040u
#define IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192 0x00000080u
#define IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256 0x00000100u
#define IPSEC_OFFLOAD_V2_ENCRYPTION_DEFINED 0x000001FFu

/* ---- 2.6 UDP-ESP encapsulation types --------------------------------------------------------- */
#define IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE 0x00000000u
#define IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT 0x00000001u
#define IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL 0x00000002u
#define IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL 0x00000004u
#define IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL 0x00000008u
#define IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_DEFINED 0x0000000Fu
#define IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS 2u

/* ---- 2.7 Encapsulation ----------------------------------------------------------------------- */
#define NDIS_ENCAPSULATION_IEEE_802_3 0x00000002u

/* ---- 2.9 CryptoStatus ------------------------------------------------------------------------ */
#define CRYPTO_SUCCESS 0u
#define CRYPTO_GENERIC_ERROR 1u
#define CRYPTO_TRANSPORT_AH_AUTH_FAILED 2u
#define CRYPTO_TRANSPORT_ESP_AUTH_FAILED 3u
#define CRYPTO_TUNNEL_AH_AUTH_FAILED 4u
#define CRYPTO_TUNNEL_ESP_AUTH_FAILED 5u
#define CRYPTO_INVALID_PACKET_SYNTAX 6u
#define CRYPTO_INVALID_PROTOCOL 7u

/* ---- 2.10 NDIS_STATUS values (ndis/status.h; not the facility-0x23 NTSTATUS look-alikes) ---- */
#define NDIS_STATUS_SUCCESS 0x00000000u
#define NDIS_STATUS_FAILURE 0xC0000001u
#define NDIS_STATUS_INVALID_PARAMETER 0xC000000Du
#define NDIS_STATUS_RESOURCES 0xC000009Au
#define NDIS_STATUS_NOT_SUPPORTED 0xC00000BBu
#define NDIS_STATUS_INVALID_LENGTH 0xC0010014u
#define NDIS_STATUS_INVALID_DATA 0xC0010015u
#define NDIS_STATUS_INVALID_OID 0xC0010017u

/* ---- 3.10 Per-packet OOB words ----------------------------------------------------------------- */
/* Slot 1, receive view. */
#define NBL_IPSEC_RECV_SA_DELETE_REQ 0x00000001u
#define NBL_IPSEC_RECV_CRYPTO_DONE 0x00000002u
#define NBL_IPSEC_RECV_NEXT_CRYPTO_DONE 0x00000004u
#define NBL_IPSEC_RECV_CRYPTO_STATUS_SHIFT 16u
/* Slot 12, transmit view: offsets in units of 4 bytes from the start of the IP header. */
#define NBL_HDR_SEND_AH_OFFSET_SHIFT 16u
#define NBL_HDR_SEND_ESP_OFFSET_SHIFT 24u
/* Slot 12, receive view. */
#define NBL_HDR_RECV_PAD_LENGTH_SHIFT 8u
#define NBL_HDR_RECV_HEADER_INFO_SET 0x00010000u

/* ---- 3.1 NDIS_OBJECT_HEADER (4 bytes) -------------------------------------------------------- */
typedef struct NDIS_OBJECT_HEADER {
  uint8_t Type;
  uint8_t Revision;
  uint16_t Size;
} NDIS_OBJECT_HEADER;

/* ---- 3.2 NDIS_IPSEC_OFFLOAD_V2 (32 bytes) ---------------------------------------------------- */
typedef struct NDIS_IPSEC_OFFLOAD_V2 {
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
  uint8_t Padding15; /* compiler padding in the WDK layout; always written as zero */
  uint32_t UdpEsp;
  uint32_t AuthenticationAlgorithms;
  uint32_t EncryptionAlgorithms;
  uint32_t SaOffloadCapacity;
} NDIS_IPSEC_OFFLOAD_V2;

/* ---- 3.4 IPSEC_OFFLOAD_V2_ALGORITHM_INFO (16 bytes) ------------------------------------------ */
typedef struct IPSEC_OFFLOAD_V2_ALGORITHM_INFO {
  uint32_t Identifier;
  uint32_t KeyLength;
  uint32_t KeyOffsetBytes;
  uint32_t AdditionalInfo; /* AES-GCM: ICV length in bytes */
} IPSEC_OFFLOAD_V2_ALGORITHM_INFO;

/* ---- 3.5 IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION (48 bytes) ------------------------------------ */
typedef struct IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION {
  uint32_t Flags;
  uint32_t Operation; /* IPSEC_OFFLOAD_V2_OPERATION: an MSVC enum is int-sized */
  uint32_t Spi;       /* the SPI as a number (OQ-13) */
  IPSEC_OFFLOAD_V2_ALGORITHM_INFO AuthenticationAlgorithm;
  IPSEC_OFFLOAD_V2_ALGORITHM_INFO EncryptionAlgorithm;
  uint32_t SequenceNumberHighOrder;
} IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION;

/* The 32-byte endpoint union. IPAddr is interchangeable with in_addr: network byte order in
 * memory (OQ-13), so the bytes can be compared with the packet's address bytes directly. */
typedef union IPSEC_OFFLOAD_V2_ENDPOINTS {
  struct {
    uint8_t SrcAddr[4];
    uint8_t DestAddr[4];
  } IPv4Endpoints;
  struct {
    uint8_t SrcAddr[16];
    uint8_t DestAddr[16];
  } IPv6Endpoints;
} IPSEC_OFFLOAD_V2_ENDPOINTS;

/* ---- 3.6 IPSEC_OFFLOAD_V2_ADD_SA (x64) -------------------------------------------------------- */
typedef struct IPSEC_OFFLOAD_V2_ADD_SA {
  NDIS_OBJECT_HEADER Header;
  uint32_t Padding4;
  uint64_t Next; /* PIPSEC_OFFLOAD_V2_ADD_SA: a live pointer, NULL ends the list */
  uint32_t NumExtHdrs;
  uint32_t Flags;
  IPSEC_OFFLOAD_V2_ENDPOINTS Endpoints;
  uint64_t OffloadHandle; /* written back by the miniport */
  uint32_t UdpEspEncapsulation;
  IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION SecAssoc[IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS];
  uint32_t KeyLength;
  uint8_t KeyData[1]; /* KeyLength bytes, continuing past the declared array */
} IPSEC_OFFLOAD_V2_ADD_SA;

/* ---- 3.7 IPSEC_OFFLOAD_V2_ADD_SA_EX (x64) ----------------------------------------------------- */
typedef struct IPSEC_OFFLOAD_V2_ADD_SA_EX {
  NDIS_OBJECT_HEADER Header;
  uint32_t NumExtHdrs;
  uint32_t Flags;
  IPSEC_OFFLOAD_V2_ENDPOINTS Endpoints;
  uint64_t OffloadHandle;
  uint32_t UdpEspEncapsulation;
  IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION SecAssoc[IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS];
  uint32_t KeyLength;
  uint32_t KeyOffset; /* bytes from the start of this structure to the key block */
  uint32_t SourceSwitchPortId;
  uint16_t VlanId;
} IPSEC_OFFLOAD_V2_ADD_SA_EX;

/* ---- 3.8 IPSEC_OFFLOAD_V2_DELETE_SA (x64) ----------------------------------------------------- */
typedef struct IPSEC_OFFLOAD_V2_DELETE_SA {
  NDIS_OBJECT_HEADER Header;
  uint32_t Padding4;
  uint64_t Next;
  uint64_t OffloadHandle;
} IPSEC_OFFLOAD_V2_DELETE_SA;

/* ---- 3.9 IPSEC_OFFLOAD_V2_UPDATE_SA (x64) ----------------------------------------------------- */
typedef struct IPSEC_OFFLOAD_V2_UPDATE_SA {
  NDIS_OBJECT_HEADER Header;
  uint32_t Padding4;
  uint64_t OffloadHandle;
  uint32_t Operation;
  uint32_t Spi;
  uint32_t SequenceNumberHighOrder;
} IPSEC_OFFLOAD_V2_UPDATE_SA;

/* Bytes through the last field, i.e. RTL_SIZEOF_THROUGH_FIELD. */
#define SOFTNIC_SIZEOF_THROUGH(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* ---- Layout checks: every number below is from the spec tables (x64 column) ------------------ */
_Static_assert(sizeof(NDIS_OBJECT_HEADER) == 4, "3.1 NDIS_OBJECT_HEADER");
_Static_assert(sizeof(NDIS_IPSEC_OFFLOAD_V2) == 32, "3.2 size");
_Static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, IPv6Supported) == 4, "3.2 IPv6Supported");
_Static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, Esp) == 8, "3.2 Esp");
_Static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, Tunnel) == 11, "3.2 Tunnel");
_Static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, ExtendedSequenceNumbers) == 14, "3.2 ESN");
_Static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, UdpEsp) == 16, "3.2 UdpEsp");
_Static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, AuthenticationAlgorithms) == 20, "3.2 Auth");
_Static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, EncryptionAlgorithms) == 24, "3.2 Enc");
_Static_assert(offsetof(NDIS_IPSEC_OFFLOAD_V2, SaOffloadCapacity) == 28, "3.2 Capacity");

_Static_assert(sizeof(IPSEC_OFFLOAD_V2_ALGORITHM_INFO) == 16, "3.4 size");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ALGORITHM_INFO, AdditionalInfo) == 12, "3.4");

_Static_assert(sizeof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION) == 48, "3.5 size");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, Operation) == 4, "3.5");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, Spi) == 8, "3.5");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, AuthenticationAlgorithm) == 12,
               "3.5");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, EncryptionAlgorithm) == 28, "3.5");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, SequenceNumberHighOrder) == 44,
               "3.5");

_Static_assert(sizeof(IPSEC_OFFLOAD_V2_ENDPOINTS) == 32, "3.6 endpoint union");

_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Next) == 8, "3.6 Next");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, NumExtHdrs) == 16, "3.6 NumExtHdrs");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Flags) == 20, "3.6 Flags");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Endpoints) == 24, "3.6 endpoints");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Endpoints.IPv4Endpoints.DestAddr) == 28, "3.6");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Endpoints.IPv6Endpoints.DestAddr) == 40, "3.6");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, OffloadHandle) == 56, "3.6 OffloadHandle");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, UdpEspEncapsulation) == 64, "3.6 UdpEsp");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, SecAssoc) == 68, "3.6 SecAssoc[0]");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, SecAssoc[1]) == 116, "3.6 SecAssoc[1]");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyLength) == 164, "3.6 KeyLength");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyData) == 168, "3.6 KeyData");
_Static_assert(sizeof(IPSEC_OFFLOAD_V2_ADD_SA) == 176, "3.6 sizeof");
_Static_assert(SOFTNIC_SIZEOF_THROUGH(IPSEC_OFFLOAD_V2_ADD_SA, KeyData) ==
                   NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1,
               "3.6 NDIS_SIZEOF");

_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, NumExtHdrs) == 4, "3.7 NumExtHdrs");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, Flags) == 8, "3.7 Flags");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, Endpoints) == 12, "3.7 endpoints");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, Endpoints.IPv6Endpoints.DestAddr) == 28, "3.7");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, OffloadHandle) == 48, "3.7 OffloadHandle");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, UdpEspEncapsulation) == 56, "3.7 UdpEsp");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SecAssoc) == 60, "3.7 SecAssoc[0]");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SecAssoc[1]) == 108, "3.7 SecAssoc[1]");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, KeyLength) == 156, "3.7 KeyLength");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, KeyOffset) == 160, "3.7 KeyOffset");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SourceSwitchPortId) == 164, "3.7");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, VlanId) == 168, "3.7 VlanId");
_Static_assert(sizeof(IPSEC_OFFLOAD_V2_ADD_SA_EX) == 176, "3.7 sizeof");
_Static_assert(SOFTNIC_SIZEOF_THROUGH(IPSEC_OFFLOAD_V2_ADD_SA_EX, VlanId) ==
                   NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1,
               "3.7 NDIS_SIZEOF");

_Static_assert(offsetof(IPSEC_OFFLOAD_V2_DELETE_SA, Next) == 8, "3.8 Next");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_DELETE_SA, OffloadHandle) == 16, "3.8 OffloadHandle");
_Static_assert(sizeof(IPSEC_OFFLOAD_V2_DELETE_SA) == 24, "3.8 sizeof");
_Static_assert(SOFTNIC_SIZEOF_THROUGH(IPSEC_OFFLOAD_V2_DELETE_SA, OffloadHandle) ==
                   NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1,
               "3.8 NDIS_SIZEOF");

_Static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, OffloadHandle) == 8, "3.9 OffloadHandle");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, Operation) == 16, "3.9 Operation");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, Spi) == 20, "3.9 Spi");
_Static_assert(offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, SequenceNumberHighOrder) == 24, "3.9");
_Static_assert(sizeof(IPSEC_OFFLOAD_V2_UPDATE_SA) == 32, "3.9 sizeof");
_Static_assert(SOFTNIC_SIZEOF_THROUGH(IPSEC_OFFLOAD_V2_UPDATE_SA, SequenceNumberHighOrder) ==
                   NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1,
               "3.9 NDIS_SIZEOF");

#endif /* SOFTNIC_NDIS_H */
