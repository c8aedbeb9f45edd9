#include "runner/dut/guard_page_buffer.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstring>

namespace cts::dut {
namespace {

constexpr uint8_t kCanary = 0xA5;

// State of the one guarded call in progress on this thread (the handler reads it).
thread_local sigjmp_buf* t_jump = nullptr;
thread_local uintptr_t t_guard_begin = 0;
thread_local uintptr_t t_guard_end = 0;
thread_local uintptr_t t_fault = 0;
thread_local bool t_write = false;
struct sigaction g_previous_segv;
struct sigaction g_previous_bus;

void on_fault(int sig, siginfo_t* info, void* context) {
  const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  if (t_jump != nullptr && addr >= t_guard_begin && addr < t_guard_end) {
    t_fault = addr;
#if defined(__x86_64__)
    // Page-fault error code bit 1: the access was a write.
    const auto* uc = static_cast<const ucontext_t*>(context);
    t_write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#else
    (void)context;
    t_write = false;
#endif
    siglongjmp(*t_jump, 1);
  }
  // Not ours: put the previous handler back and let the access fault again under it.
  sigaction(sig, sig == SIGSEGV ? &g_previous_segv : &g_previous_bus, nullptr);
}

}  // namespace

GuardPageBuffer::~GuardPageBuffer() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
}

uint8_t* GuardPageBuffer::prepare(size_t size) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t rounded = (size + 7) / 8 * 8;
  const size_t needed = (rounded + page - 1) / page * page + page;
  if (needed > map_size_) {
    if (map_ != nullptr) ::munmap(map_, map_size_);
    void* m = ::mmap(nullptr, needed, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
      map_ = nullptr;
      map_size_ = 0;
      return nullptr;
    }
    map_ = static_cast<uint8_t*>(m);
    map_size_ = needed;
    guard_ = map_ + needed - page;
    if (::mprotect(guard_, page, PROT_NONE) != 0) {
      ::munmap(map_, map_size_);
      map_ = nullptr;
      map_size_ = 0;
      return nullptr;
    }
  }
  data_ = guard_ - rounded;
  size_ = size;
  std::memset(data_, 0, size);
  std::memset(data_ + size, kCanary, rounded - size);
  return data_;
}

long GuardPageBuffer::first_damaged_canary() const {
  for (const uint8_t* p = data_ + size_; p < guard_; ++p) {
    if (*p != kCanary) return static_cast<long>(p - data_);
  }
  return -1;
}

std::optional<GuardFault> GuardPageBuffer::run(const std::function<void()>& call) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  struct sigaction action {};
  action.sa_sigaction = on_fault;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, &g_previous_segv);
  sigaction(SIGBUS, &action, &g_previous_bus);
  sigjmp_buf jump;
  std::optional<GuardFault> fault;
  if (sigsetjmp(jump, 1) == 0) {
    t_guard_begin = reinterpret_cast<uintptr_t>(guard_);
    t_guard_end = t_guard_begin + page;
    t_jump = &jump;
    call();
  } else {
    fault = GuardFault{static_cast<size_t>(t_fault - reinterpret_cast<uintptr_t>(data_)), t_write};
  }
  t_jump = nullptr;
  sigaction(SIGSEGV, &g_previous_segv, nullptr);
  sigaction(SIGBUS, &g_previous_bus, nullptr);
  return fault;
}

}  // namespace cts::dut
