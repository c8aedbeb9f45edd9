// libFuzzer target: arbitrary octets as a capture file through PcapReader, the reader `vectors
// verify` uses: libpcap judges the header (pcap or pcapng), a classic pcap file is then walked in
// place from its mapping and handed back to libpcap at the first record the walk declines. The
// input is a memory file opened by path, so both paths run exactly as on a file on disk. Every
// record handed out must lie within the snapshot length, and an error must name the record.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runner/vectors/pcap_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int fd = ::memfd_create("capture", MFD_CLOEXEC);
  if (fd < 0) return 0;
  size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd, data + written, size - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  std::string error;
  auto reader = cts::vectors::PcapReader::open(path, error);
  if (!reader) {
    if (error.empty()) std::abort();
  } else {
    cts::vectors::PcapRecord rec;
    cts::vectors::ReadStatus st;
    uint64_t expected_index = 0;
    uint64_t sum = 0;
    while ((st = reader->next(rec)) == cts::vectors::ReadStatus::kRecord) {
      if (rec.index != expected_index++) std::abort();
      for (uint8_t b : rec.data) sum += b;  // every octet handed out must be readable
    }
    if (st == cts::vectors::ReadStatus::kError && reader->error().find("packet ") == std::string::npos) {
      std::abort();
    }
    (void)sum;
  }
  ::close(fd);
  return 0;
}
