// Pcap writer over libpcap (classic pcap, microsecond time stamps). Vectors are written with
// link type Ethernet; raw IP is available for tools that want it. Output is a pure function of
// the records given (the file header carries no time or host data), so generated vectors are
// reproducible bit for bit.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "runner/vectors/pcap_reader.h"

namespace cts::vectors {

class PcapWriter {
 public:
  // Creates (truncates) `path`. `link` must be kEthernet, kRawIp, kIpv4 or kIpv6. On failure
  // returns null and sets `error` to "FILE: reason".
  static std::unique_ptr<PcapWriter> create(const std::string& path, LinkType link,
                                            std::string& error, uint32_t snaplen = 262144);
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  // Appends one record, captured whole (caplen = len = frame size). Fails when the frame is
  // larger than the snap length or the stream reports an error.
  bool write(std::span<const uint8_t> frame, int64_t ts_sec, int64_t ts_usec, std::string& error);
  // Flushes and closes; reports a write error that stdio kept until now. Idempotent.
  bool close(std::string& error);

  uint64_t records_written() const { return written_; }

 private:
  PcapWriter() = default;
  struct Handle;
  Handle* handle_ = nullptr;
  std::string path_;
  uint32_t snaplen_ = 0;
  uint64_t written_ = 0;
};

}  // namespace cts::vectors
