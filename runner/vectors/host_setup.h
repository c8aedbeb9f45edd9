// Sidecar SAs -> the oracle's whole-packet host (esp::EspHost): the one place that turns the
// sidecar's description of an SA into host parameters, for verify, generate and the benchmarks.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "oracle/esp/esp_host.h"
#include "runner/vectors/sidecar.h"

namespace cts::vectors {

// Parses a textual IPv4/IPv6 address of the given version (inet_pton); false if malformed.
bool parse_ip_address(const std::string& text, uint8_t version, esp::IpAddress& out);

// Host parameters for one sidecar SA: ESP config (keys copied), mode, tunnel endpoints (outer
// source/destination), UDP encapsulation ports, destination for inbound lookup.
bool host_params(const SidecarSa& sa, esp::HostSaParams& out, std::string& error);

// Creates a host holding every SA of the sidecar as an inbound SA. `error` names the SA.
bool make_inbound_host(const Sidecar& sidecar, std::unique_ptr<esp::EspHost>& out, std::string& error,
                       crypto::RandomSource* rng = nullptr);

PacketVerdict from_host_verdict(esp::HostVerdict v);

}  // namespace cts::vectors
