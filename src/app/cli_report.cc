// alignd report — under construction (see the open issues).
#include <cstdio>

#include "app/cli.h"

namespace alignd {

int cmd_report(int, char**) {
  std::fputs("alignd report: not built yet\n", stderr);
  return 2;
}

}  // namespace alignd
