// libFuzzer target: arbitrary text as a device profile (duts/profiles/*.json, --oracle-profile).
// The loader must refuse naming the origin, or accept a profile that round-trips through
// profile_to_json unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "runner/dut/profile_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const cts::ProfileResult r = cts::load_profile_json(text, "fuzz.json");
  if (const auto* e = std::get_if<cts::ProfileError>(&r)) {
    if (e->where.rfind("fuzz.json", 0) != 0 || e->message.empty()) std::abort();
    return 0;
  }
  const auto& profile = std::get<cts::sa::DeviceProfile>(r);
  const cts::ProfileResult again = cts::load_profile_json(cts::profile_to_json(profile), "again");
  if (!std::holds_alternative<cts::sa::DeviceProfile>(again)) std::abort();
  if (cts::profile_to_json(std::get<cts::sa::DeviceProfile>(again)) != cts::profile_to_json(profile)) {
    std::abort();
  }
  return 0;
}
