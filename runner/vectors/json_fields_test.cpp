// Hex text of the data files: numbers as printf("0x%0*llx") writes them, and hex octets and
// numbers read back with the JSON path of a bad field.
#include "runner/vectors/json_fields.h"

#include <gtest/gtest.h>

namespace cts::vectors {
namespace {

TEST(JsonFields, HexNumbersAreZeroPaddedAndNeverCut) {
  EXPECT_EQ(hex_number_string(0x4242, 8), "0x00004242");
  EXPECT_EQ(hex_number_string(0, 16), "0x0000000000000000");
  EXPECT_EQ(hex_number_string(0x1FFFFFFFEull, 8), "0x1fffffffe") << "a wider value keeps its digits";
  EXPECT_EQ(hex_number_string(~0ull, 4), "0xffffffffffffffff");
  std::string line = "spi=";
  append_hex_number(line, 0xDEADBEEF, 8);
  EXPECT_EQ(line, "spi=0xdeadbeef");
}

TEST(JsonFields, HexReadersNameThePath) {
  EXPECT_EQ(parse_hex_bytes("00a1FF", "$.k"), (std::vector<uint8_t>{0x00, 0xA1, 0xFF}));
  EXPECT_EQ(parse_hex_number("0x00001001", 0xFFFFFFFF, "$.spi"), 0x1001u);
  try {
    parse_hex_bytes("0g", "$.sas[0].encryption_key");
    FAIL() << "a non-hex digit must be refused";
  } catch (const JsonFieldError& e) {
    EXPECT_NE(e.to_string().find("$.sas[0].encryption_key"), std::string::npos) << e.to_string();
  }
  EXPECT_THROW(parse_hex_number("0x100000000", 0xFFFFFFFF, "$.spi"), JsonFieldError);
}

}  // namespace
}  // namespace cts::vectors
