// File names for `report send --dry-run --out DIR` built from data that came
// from DNS (policy domain, rua= mailbox): one path component, no "/", no "..",
// no leading ".", no control or shell-special byte, at most 200 bytes. Pure.
#pragma once
#include <string>
#include <string_view>

namespace alignd {

// Letters, digits and . - _ + = @ ! are kept; every other byte becomes "_";
// ".." becomes "._", a leading "." becomes "_"; "" becomes "_".
std::string safe_file_name(std::string_view name);

}  // namespace alignd
