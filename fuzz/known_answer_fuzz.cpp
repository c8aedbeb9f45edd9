// libFuzzer target: arbitrary text as a known-answer file (vectors/known-answers/*.json). The
// loader must refuse with a message naming the origin, or accept the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runner/vectors/known_answer_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cts::vectors::KnownAnswerFile file;
  std::string error;
  if (!cts::vectors::parse_known_answers(text, "fuzz.json", file, error) &&
      error.rfind("fuzz.json", 0) != 0) {
    std::abort();
  }
  return 0;
}
