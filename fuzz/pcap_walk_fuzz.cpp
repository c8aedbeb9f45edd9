// libFuzzer target: arbitrary octets as a classic pcap file through the in-place record walk. It
// must never read outside the buffer, must always advance, and every record it hands out must
// lie inside the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>

#include "runner/vectors/pcap_record_walk.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::unique_ptr<uint8_t[]> copy(new uint8_t[size ? size : 1]);  // exactly sized for ASan
  for (size_t i = 0; i < size; ++i) copy[i] = data[i];
  const std::span<const uint8_t> file(copy.get(), size);
  const uint32_t snapshot = size >= 20 ? (uint32_t{copy[16]} | uint32_t{copy[17]} << 8) + 1 : 65535;
  const auto layout = cts::vectors::classic_pcap_layout(file, snapshot);
  if (!layout) return 0;
  size_t offset = cts::vectors::kPcapFileHeaderSize;
  cts::vectors::PcapRecordView view;
  while (cts::vectors::next_ordinary_record(file, *layout, offset, view)) {
    const uint8_t* begin = copy.get();
    if (view.data.data() < begin || view.data.data() + view.data.size() > begin + size) std::abort();
    if (view.data.size() > layout->snapshot) std::abort();
  }
  return 0;
}
