// The name tables of the case model's closed sets (case_model.h): the names case files use,
// in the order error messages list them. The loader reads through these tables only, and the
// runner names a value through them, so a set's names live here and nowhere else.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runner/cases/case_model.h"
#include "runner/cases/name_table.h"

namespace cts::cases {

inline constexpr NameTable<Corruption, 12> kCorruptionNames{{{
    {Corruption::icv, "icv"},
    {Corruption::payload, "payload"},
    {Corruption::spi, "spi"},
    {Corruption::dst, "dst"},
    {Corruption::truncate, "truncate"},
    {Corruption::esp_header_only, "esp_header_only"},
    {Corruption::clear, "clear"},
    {Corruption::pad_bytes, "pad_bytes"},
    {Corruption::esp_icv, "esp_icv"},
    {Corruption::udp_ike, "udp_ike"},
    {Corruption::udp_keepalive, "udp_keepalive"},
    {Corruption::fragment, "fragment"},
}}};

// Packet shapes (PacketDef): the payload pattern, the UDP checksum of a UDP-ESP packet (true:
// computed), the IPv6 extension headers by the protocol number that names them in the chain,
// and which fragment of a larger datagram the packet is.
inline constexpr NameTable<PacketDef::Pattern, 4> kPatternNames{{{
    {PacketDef::Pattern::counter, "counter"},
    {PacketDef::Pattern::zero, "zero"},
    {PacketDef::Pattern::ones, "ones"},
    {PacketDef::Pattern::random, "random"},
}}};

inline constexpr NameTable<bool, 2> kUdpChecksumNames{{{
    {false, "zero"},
    {true, "computed"},
}}};

inline constexpr NameTable<uint8_t, 4> kIpv6ExtensionHeaderNames{{{
    {0, "hop_by_hop"},
    {43, "routing"},
    {60, "destination"},
    {44, "fragment"},
}}};

inline constexpr NameTable<PacketDef::Ipv4Option, 2> kIpv4OptionNames{{{
    {PacketDef::Ipv4Option::router_alert, "router_alert"},
    {PacketDef::Ipv4Option::experimental, "experimental"},
}}};

inline constexpr NameTable<PacketDef::Fragment, 2> kFragmentNames{{{
    {PacketDef::Fragment::first, "first"},
    {PacketDef::Fragment::last, "last"},
}}};

inline constexpr NameTable<ReceivedFrame, 2> kReceivedFrameNames{{{
    {ReceivedFrame::decrypted, "decrypted"},
    {ReceivedFrame::unchanged, "unchanged"},
}}};

inline constexpr NameTable<SendVerdict, 3> kSendVerdictNames{{{
    {SendVerdict::protected_frame, "protected"},
    {SendVerdict::clear, "clear"},
    {SendVerdict::none, "none"},
}}};

inline constexpr NameTable<CapabilityFlag, 11> kCapabilityFlagNames{{{
    {CapabilityFlag::ipv6_supported, "ipv6_supported"},
    {CapabilityFlag::ipv4_options, "ipv4_options"},
    {CapabilityFlag::ipv6_non_ipsec_extension_headers, "ipv6_non_ipsec_extension_headers"},
    {CapabilityFlag::ah, "ah"},
    {CapabilityFlag::esp, "esp"},
    {CapabilityFlag::ah_esp_combined, "ah_esp_combined"},
    {CapabilityFlag::transport, "transport"},
    {CapabilityFlag::tunnel, "tunnel"},
    {CapabilityFlag::transport_tunnel_combined, "transport_tunnel_combined"},
    {CapabilityFlag::lso_supported, "lso_supported"},
    {CapabilityFlag::extended_sequence_numbers, "extended_sequence_numbers"},
}}};

inline constexpr NameTable<Encapsulation, 5> kEncapsulationNames{{{
    {Encapsulation::ieee_802_3, "IEEE_802_3"},
    {Encapsulation::null, "NULL"},
    {Encapsulation::ieee_802_3_p_and_q, "IEEE_802_3_P_AND_Q"},
    {Encapsulation::ieee_802_3_p_and_q_in_oob, "IEEE_802_3_P_AND_Q_IN_OOB"},
    {Encapsulation::ieee_llc_snap_routed, "IEEE_LLC_SNAP_ROUTED"},
}}};

// Tokens without an argument; enc:<NAME> and auth:<NAME> take the NDIS identifier's name.
inline constexpr NameTable<CapabilityKind, 22> kCapabilityTokenNames{{{
    {CapabilityKind::esp, "esp"},
    {CapabilityKind::ah, "ah"},
    {CapabilityKind::ah_esp_combined, "ah_esp_combined"},
    {CapabilityKind::esn, "esn"},
    {CapabilityKind::ipv6, "ipv6"},
    {CapabilityKind::ipv4_options, "ipv4_options"},
    {CapabilityKind::ipv6_extension_headers, "ipv6_extension_headers"},
    {CapabilityKind::transport, "transport"},
    {CapabilityKind::tunnel, "tunnel"},
    {CapabilityKind::transport_tunnel_combined, "transport_tunnel_combined"},
    {CapabilityKind::lso, "lso"},
    {CapabilityKind::udp_esp_transport, "udp_esp:transport"},
    {CapabilityKind::udp_esp_tunnel, "udp_esp:tunnel"},
    {CapabilityKind::udp_esp_transport_over_udp_tunnel, "udp_esp:transport_over_udp_tunnel"},
    {CapabilityKind::udp_esp_udp_transport_over_tunnel, "udp_esp:udp_transport_over_tunnel"},
    {CapabilityKind::add_sa, "add_sa"},
    {CapabilityKind::add_sa_ex, "add_sa_ex"},
    {CapabilityKind::dump, "dump"},
    {CapabilityKind::request_sa_delete, "request_sa_delete"},
    {CapabilityKind::inbound_pool, "inbound_pool"},
    {CapabilityKind::outbound_pool, "outbound_pool"},
    {CapabilityKind::dest_address_pool, "dest_address_pool"},
}}};

inline std::string to_string(Corruption v) { return std::string(kCorruptionNames.name(v)); }
inline std::string to_string(ReceivedFrame v) { return std::string(kReceivedFrameNames.name(v)); }
inline std::string to_string(SendVerdict v) { return std::string(kSendVerdictNames.name(v)); }
inline std::string to_string(CapabilityFlag v) { return std::string(kCapabilityFlagNames.name(v)); }
inline std::string to_string(Encapsulation v) { return std::string(kEncapsulationNames.name(v)); }

}  // namespace cts::cases
