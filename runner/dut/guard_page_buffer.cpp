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
void on_fault_entry(int sig, siginfo_t* info, void* context);
struct sigaction g_previous_segv;
struct sigaction g_previous_bus;
// Whether on_fault is the process's SIGSEGV and SIGBUS handler. It is installed by the first
// guarded call and stays (four sigaction calls and a mask save around each of a million OIDs of
// a capacity run cost more than the plugin's own work); a fault outside a guarded call finds
// it, puts the previous handlers back and faults again under them.
bool g_installed = false;

void install_handler() {
  if (g_installed) return;
  struct sigaction action {};
  action.sa_sigaction = on_fault_entry;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, &g_previous_segv);
  sigaction(SIGBUS, &action, &g_previous_bus);
  g_installed = true;
}

void on_fault_entry(int sig, siginfo_t* info, void* context) {
  const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  // A fault the kernel raised (si_code > 0) carries an address; one sent by kill or raise not.
  const bool faulted = info->si_code > 0;
  if (faulted && t_jump != nullptr && addr >= t_guard_begin && addr < t_guard_end) {
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
  // Not ours: put the previous handlers back and let the access fault again under them; a
  // signal that was sent is sent again (it is blocked here, so it arrives when this returns).
  sigaction(SIGSEGV, &g_previous_segv, nullptr);
  sigaction(SIGBUS, &g_previous_bus, nullptr);
  g_installed = false;
  if (!faulted) raise(sig);
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
  install_handler();
  sigjmp_buf jump;
  std::optional<GuardFault> fault;
  // The mask is not saved (a syscall per call); a fault leaves the handler by siglongjmp with
  // SIGSEGV and SIGBUS still blocked, so that path unblocks them.
  if (sigsetjmp(jump, 0) == 0) {
    t_guard_begin = reinterpret_cast<uintptr_t>(guard_);
    t_guard_end = t_guard_begin + page;
    t_jump = &jump;
    call();
  } else {
    sigset_t faults;
    sigemptyset(&faults);
    sigaddset(&faults, SIGSEGV);
    sigaddset(&faults, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &faults, nullptr);
    fault = GuardFault{static_cast<size_t>(t_fault - reinterpret_cast<uintptr_t>(data_)), t_write};
  }
  t_jump = nullptr;
  return fault;
}

}  // namespace cts::dut
