// DutAdapter over the C plugin ABI (include/ipsec_cts/dut.h), in-process.
//
// The adapter treats the plugin as untrusted: it checks the ABI version and table size, turns
// Next offsets into live pointers before oid_set and back after (a device that alters a Next
// member is refused), surrounds every output buffer with guard bytes, checks every count and
// length the device returns against the buffers it was given, retries with bigger buffers on
// IPSEC_CTS_ERR_BUFFER_TOO_SMALL, and turns every non-OK result into a DutError carrying
// last_error(). What it cannot do in-process is survive a crash or interrupt a hang: for that,
// DutOptions::isolate hosts the same plugin in a child agent.
#pragma once

#include <memory>
#include <string>

#include "ipsec_cts/dut.h"
#include "runner/dut/dut_adapter.h"

namespace cts::dut {

// Checks a table returned by ipsec_cts_dut_entry: abi_version, struct_size and every mandatory
// function present. `origin` names the library in the message.
DutStatus check_vtable(const ipsec_cts_dut_vtable* vtable, const std::string& origin);

// dlopen()s `path`, resolves ipsec_cts_dut_entry, checks the table and opens an instance with
// `config_json` ("" means "{}"). device_error on any failure, naming the step.
DutResult<std::unique_ptr<DutAdapter>> open_plugin(const std::string& path,
                                                   const std::string& config_json);

// The same over a table linked into the program (softnic-agent). `description` is reported by
// DutAdapter::description().
DutResult<std::unique_ptr<DutAdapter>> open_plugin_vtable(const ipsec_cts_dut_vtable* vtable,
                                                          const std::string& config_json,
                                                          const std::string& description);

}  // namespace cts::dut
