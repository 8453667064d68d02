// alignd config — under construction (see the open issues).
#include <cstdio>

#include "app/cli.h"

namespace alignd {

int cmd_config(int, char**) {
  std::fputs("alignd config: not built yet\n", stderr);
  return 2;
}

}  // namespace alignd
