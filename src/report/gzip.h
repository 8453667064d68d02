// GZIP (RFC 1952) for report attachments, via zlib. In-memory only.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace alignd {

std::string gzip_compress(std::string_view data);
// nullopt on a corrupt stream (tests and verification only).
std::optional<std::string> gzip_decompress(std::string_view data);

}  // namespace alignd
