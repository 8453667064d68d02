// Counts, while the body streams past, how long its canonical form is up to the end of
// the last line with visible content, under simple and relaxed body canonicalization
// (RFC 6376 §3.4.3, §3.4.4). With a signature's l= this tells whether content was
// added after the signed part (RFC 6376 §8.2); trailing whitespace and empty lines
// do not count as content. Pure; holds no body data.
#pragma once
#include <cstddef>
#include <string_view>

namespace alignd {

class BodyContentLength {
 public:
  void feed(std::string_view chunk);
  // Canonical length through the last line holding a non-WSP byte.
  size_t content_length(bool relaxed) const;

 private:
  void byte(char c);
  void end_line();
  struct State {
    size_t total = 0, content = 0;
  };
  State simple_, relaxed_;
  size_t simple_line_ = 0, relaxed_line_ = 0;
  bool pending_space_ = false, pending_cr_ = false, line_content_ = false, line_open_ = false;
};

}  // namespace alignd
