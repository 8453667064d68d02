// The one DnsMetrics instance of the process.
#include "dns/metrics.h"

namespace alignd {

DnsMetrics& dns_metrics() {
  static DnsMetrics m;
  return m;
}

}  // namespace alignd
