// zlib deflate with a gzip wrapper (windowBits 15 + 16), RAII around z_stream.
#include "report/gzip.h"

#include <zlib.h>

#include <stdexcept>

namespace alignd {

namespace {

struct Deflater {
  z_stream z{};
  Deflater() {
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("zlib: deflateInit2 failed");
  }
  ~Deflater() { deflateEnd(&z); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
};

struct Inflater {
  z_stream z{};
  bool ok = false;
  Inflater() { ok = inflateInit2(&z, 15 + 16) == Z_OK; }
  ~Inflater() {
    if (ok) inflateEnd(&z);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
};

}  // namespace

std::string gzip_compress(std::string_view data) {
  Deflater d;
  std::string out(deflateBound(&d.z, static_cast<uLong>(data.size())) + 64, '\0');
  d.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  d.z.avail_in = static_cast<uInt>(data.size());
  d.z.next_out = reinterpret_cast<Bytef*>(out.data());
  d.z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&d.z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("zlib: deflate failed");
  out.resize(d.z.total_out);
  return out;
}

std::optional<std::string> gzip_decompress(std::string_view data) {
  Inflater in;
  if (!in.ok) return std::nullopt;
  in.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  in.z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  for (;;) {
    in.z.next_out = reinterpret_cast<Bytef*>(buf);
    in.z.avail_out = sizeof buf;
    int rc = inflate(&in.z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - in.z.avail_out);
    if (rc == Z_STREAM_END) return out;
    if (rc != Z_OK) return std::nullopt;
    if (in.z.avail_in == 0 && in.z.avail_out != 0) return std::nullopt;  // truncated
  }
}

}  // namespace alignd
