// Helpers shared by the fuzz targets: FUZZ_CHECK (an invariant whose violation
// aborts, so libFuzzer and replay_main report it as a crash, NDEBUG or not) and
// FuzzInput, which cuts one fuzzer input into several strings and choices.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace alignd::fuzz {

// Splits an input the way libFuzzer's FuzzedDataProvider::ConsumeRandomLengthString
// does, so seed files stay readable: a string runs up to a backslash that is not
// followed by another backslash ("\\" is one literal backslash; "\" plus any other
// byte ends the string and drops that byte). Choices are single bytes.
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : s_(reinterpret_cast<const char*>(data), size) {}

  std::string take_string() {
    std::string out;
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '\\' && i_ < s_.size()) {
        if (s_[i_++] != '\\') break;
      }
      out += c;
    }
    return out;
  }
  // A byte (0 once the input is used up).
  uint8_t take_byte() { return i_ < s_.size() ? static_cast<uint8_t>(s_[i_++]) : 0; }
  // One of n choices, from the next byte.
  size_t take_index(size_t n) { return n == 0 ? 0 : take_byte() % n; }
  bool empty() const { return i_ >= s_.size(); }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace alignd::fuzz
