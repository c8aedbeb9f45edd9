#include "runner/vectors/mapping_guard.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

namespace cts::vectors {
namespace {

// Lock-free slots the handler can read: begin == 0 marks a free slot.
struct Slot {
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
  std::atomic<bool> hit{false};
};
Slot g_slots[MappingGuard::kSlots];
std::mutex g_install;
bool g_installed = false;
struct sigaction g_previous;

void on_sigbus(int sig, siginfo_t* info, void* context) {
  const auto addr = reinterpret_cast<uintptr_t>(info->si_addr);
  for (Slot& s : g_slots) {
    const uintptr_t b = s.begin.load(std::memory_order_acquire);
    if (b == 0 || addr < b || addr >= s.end.load(std::memory_order_acquire)) continue;
    // The file ends before this page: zeros take its place (mmap is a plain system call on
    // Linux), the access is retried, and the reader learns of it through truncated().
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    void* at = reinterpret_cast<void*>(addr & ~(page - 1));
    if (::mmap(at, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      s.hit.store(true, std::memory_order_release);
      return;
    }
    break;
  }
  // Not a guarded mapping: the previous handler, or the default action, takes it.
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction != nullptr) return g_previous.sa_sigaction(sig, info, context);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    return g_previous.sa_handler(sig);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

MappingGuard::MappingGuard(const void* begin, size_t size) {
  std::lock_guard<std::mutex> lock(g_install);
  if (!g_installed) {
    struct sigaction action {};
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    if (::sigaction(SIGBUS, &action, &g_previous) != 0) return;
    g_installed = true;
  }
  for (int i = 0; i < kSlots; ++i) {
    if (g_slots[i].begin.load() != 0) continue;
    const auto b = reinterpret_cast<uintptr_t>(begin);
    g_slots[i].hit.store(false);
    g_slots[i].end.store(b + size);
    g_slots[i].begin.store(b, std::memory_order_release);
    slot_ = i;
    return;
  }
}

MappingGuard::~MappingGuard() {
  if (slot_ < 0) return;
  std::lock_guard<std::mutex> lock(g_install);
  g_slots[slot_].begin.store(0, std::memory_order_release);
  g_slots[slot_].end.store(0);
}

bool MappingGuard::truncated() const {
  return slot_ >= 0 && g_slots[slot_].hit.load(std::memory_order_acquire);
}

}  // namespace cts::vectors
