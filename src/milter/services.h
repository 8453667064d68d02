// Services: the process-wide parts that outlive configuration reloads — the
// DKIM library handle, the evaluation writer, the public suffix list.
// Created once by `serve` / `eval`; every Runtime points at the same Services.
#pragma once

namespace alignd {

class Services {
 public:
  Services() = default;
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;
};

}  // namespace alignd
