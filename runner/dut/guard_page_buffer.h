// The OID buffer a plugin receives, placed against an inaccessible page, so that a device which
// reads or writes past the end of InformationBuffer is caught at the first byte it touches there
// and the fault is reported as that device's (docs/dut-abi.md), instead of silently corrupting the
// runner or killing it.
//
// Layout: [ buffer (8-byte aligned start) | canary up to the next multiple of 8 | guard page ].
// The canary catches the few bytes between the end and the page; the page catches the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

namespace cts::dut {

struct GuardFault {
  size_t offset = 0;   // from the start of the buffer
  bool write = false;  // known on x86-64; false when the processor did not say
};

class GuardPageBuffer {
 public:
  GuardPageBuffer() = default;
  ~GuardPageBuffer();
  GuardPageBuffer(const GuardPageBuffer&) = delete;
  GuardPageBuffer& operator=(const GuardPageBuffer&) = delete;

  // A zeroed buffer of `size` bytes; nullptr when no memory could be mapped.
  uint8_t* prepare(size_t size);
  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

  // Offset of the first canary byte that changed, or -1.
  long first_damaged_canary() const;

  // Runs `call` (which hands the buffer to the device). A fault on the guard page ends the call
  // at once and comes back as the offset touched; any other fault goes to the handler that was
  // installed before (a crash stays a crash). Not reentrant; one thread at a time.
  std::optional<GuardFault> run(const std::function<void()>& call);

 private:
  uint8_t* map_ = nullptr;
  size_t map_size_ = 0;
  uint8_t* guard_ = nullptr;  // first byte of the inaccessible page
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace cts::dut
