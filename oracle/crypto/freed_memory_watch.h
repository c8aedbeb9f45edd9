// Test support: an allocator that looks at every block as it is freed and counts the blocks that
// still hold a watched byte pattern (a key), and that can search every block still allocated for
// one (a key left in a table slot that outlives its SA is not freed, so only this finds it). A test executable that includes this header in ONE
// translation unit and defines CTS_FREED_MEMORY_WATCH_MAIN there replaces the global operator
// new/delete; install_openssl_watch() routes OpenSSL's allocations (EVP contexts, key schedules,
// HMAC state) through it too. So "keys cleansed when an SA is deleted or the device closed" is
// observed, not assumed: a key copy freed without OPENSSL_cleanse/explicit_bzero is a hit.
#pragma once

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace cts::freed_memory_watch {

constexpr size_t kMaxPatterns = 8;
constexpr size_t kMaxPatternLength = 64;

struct Pattern {
  std::array<uint8_t, kMaxPatternLength> bytes{};
  size_t length = 0;
};

struct State {
  std::array<Pattern, kMaxPatterns> patterns{};
  std::atomic<size_t> count{0};
  std::atomic<size_t> hits{0};
  std::atomic<size_t> freed{0};
  std::atomic<bool> armed{false};
};

inline State& state() {
  static State s;  // constant-initialized: usable before main and from inside operator new
  return s;
}

// Watch `bytes` (at most kMaxPatternLength). Also watches the per-32-bit-word byte-reversed form,
// which is how a table-based AES keeps round key 0 (the key itself) on a little-endian host.
inline void watch(const uint8_t* bytes, size_t length) {
  State& s = state();
  length = std::min(length, kMaxPatternLength);
  for (int reversed = 0; reversed < 2; ++reversed) {
    const size_t i = s.count.load();
    if (i >= kMaxPatterns) return;
    Pattern& p = s.patterns[i];
    p.length = length;
    for (size_t k = 0; k < length; ++k) {
      p.bytes[k] = reversed != 0 && (length % 4 == 0) ? bytes[(k & ~size_t{3}) + 3 - (k & 3)] : bytes[k];
    }
    s.count.store(i + 1);
  }
}

inline void arm() {
  state().hits = 0;
  state().freed = 0;
  state().armed = true;
}
inline void disarm() { state().armed = false; }
inline size_t hits() { return state().hits.load(); }
inline size_t freed_blocks() { return state().freed.load(); }

inline bool holds_pattern(const uint8_t* data, size_t size) {
  State& s = state();
  const size_t n = s.count.load();
  for (size_t i = 0; i < n; ++i) {
    const Pattern& p = s.patterns[i];
    if (p.length == 0 || size < p.length) continue;
    for (size_t at = 0; at + p.length <= size; ++at) {
      if (data[at] == p.bytes[0] && std::memcmp(data + at, p.bytes.data(), p.length) == 0) return true;
    }
  }
  return false;
}

inline void scan(const uint8_t* data, size_t size) {
  State& s = state();
  if (!s.armed.load(std::memory_order_relaxed)) return;
  s.freed.fetch_add(1, std::memory_order_relaxed);
  if (holds_pattern(data, size)) s.hits.fetch_add(1);
}

// Every block carries {raw pointer, size, its neighbours in the list of live blocks} just before
// the user pointer. allocate() and release() stay out of line: inlined into a sized operator
// delete, g++ takes the header read below the user pointer for an access outside the object and
// -Warray-bounds fails the build.
struct Header {
  void* raw;
  size_t size;
  Header* prev;
  Header* next;
};

// The live blocks, one list under a spin lock (the lock allocates nothing).
struct LiveList {
  Header* head = nullptr;
  std::atomic_flag busy = ATOMIC_FLAG_INIT;
  void lock() {
    while (busy.test_and_set(std::memory_order_acquire)) {
    }
  }
  void unlock() { busy.clear(std::memory_order_release); }
};
inline LiveList& live_list() {
  static LiveList l;
  return l;
}

// Blocks still allocated that hold a watched pattern.
inline size_t live_blocks_holding_watched() {
  LiveList& l = live_list();
  l.lock();
  size_t n = 0;
  for (Header* h = l.head; h != nullptr; h = h->next)
    if (holds_pattern(reinterpret_cast<const uint8_t*>(h + 1), h->size)) ++n;
  l.unlock();
  return n;
}

[[gnu::noinline]] inline void* allocate(size_t size, size_t align) {
  align = std::max(align, alignof(std::max_align_t));
  void* raw = std::malloc(size + align + sizeof(Header));
  if (raw == nullptr) return nullptr;
  auto at = reinterpret_cast<uintptr_t>(raw) + sizeof(Header);
  at = (at + align - 1) & ~(uintptr_t{align} - 1);
  auto* header = reinterpret_cast<Header*>(at) - 1;
  header->raw = raw;
  header->size = size;
  LiveList& l = live_list();
  l.lock();
  header->prev = nullptr;
  header->next = l.head;
  if (l.head != nullptr) l.head->prev = header;
  l.head = header;
  l.unlock();
  return reinterpret_cast<void*>(at);
}

[[gnu::noinline]] inline void release(void* user) {
  if (user == nullptr) return;
  Header* header = reinterpret_cast<Header*>(user) - 1;
  LiveList& l = live_list();
  l.lock();
  if (header->prev != nullptr) header->prev->next = header->next;
  else l.head = header->next;
  if (header->next != nullptr) header->next->prev = header->prev;
  l.unlock();
  scan(static_cast<const uint8_t*>(user), header->size);
  std::free(header->raw);
}

inline void* reallocate(void* user, size_t size) {
  if (user == nullptr) return allocate(size, 0);
  void* fresh = allocate(size, 0);
  if (fresh == nullptr) return nullptr;
  const Header* header = reinterpret_cast<Header*>(user) - 1;
  std::memcpy(fresh, user, std::min(size, header->size));
  release(user);
  return fresh;
}

inline void* openssl_malloc(size_t n, const char*, int) { return allocate(n, 0); }
inline void* openssl_realloc(void* p, size_t n, const char*, int) { return reallocate(p, n); }
inline void openssl_free(void* p, const char*, int) { release(p); }

// Must run before OpenSSL allocates anything; false when it is too late.
inline bool install_openssl_watch() {
  return CRYPTO_set_mem_functions(openssl_malloc, openssl_realloc, openssl_free) == 1;
}

}  // namespace cts::freed_memory_watch

#ifdef CTS_FREED_MEMORY_WATCH_MAIN
void* operator new(size_t n) {
  if (void* p = cts::freed_memory_watch::allocate(n, 0)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) { return operator new(n); }
void* operator new(size_t n, std::align_val_t a) {
  if (void* p = cts::freed_memory_watch::allocate(n, static_cast<size_t>(a))) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n, std::align_val_t a) { return operator new(n, a); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return cts::freed_memory_watch::allocate(n, 0); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return cts::freed_memory_watch::allocate(n, 0); }
void operator delete(void* p) noexcept { cts::freed_memory_watch::release(p); }
void operator delete[](void* p) noexcept { cts::freed_memory_watch::release(p); }
void operator delete(void* p, size_t) noexcept { cts::freed_memory_watch::release(p); }
void operator delete[](void* p, size_t) noexcept { cts::freed_memory_watch::release(p); }
void operator delete(void* p, std::align_val_t) noexcept { cts::freed_memory_watch::release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { cts::freed_memory_watch::release(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { cts::freed_memory_watch::release(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { cts::freed_memory_watch::release(p); }

// Before main: OpenSSL must not have allocated yet.
static const bool cts_openssl_watch_installed = cts::freed_memory_watch::install_openssl_watch();
#endif
