// alignd keygen — under construction (see the open issues).
#include <cstdio>

#include "app/cli.h"

namespace alignd {

int cmd_keygen(int, char**) {
  std::fputs("alignd keygen: not built yet\n", stderr);
  return 2;
}

}  // namespace alignd
