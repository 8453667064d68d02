// alignd serve — under construction (see the open issues).
#include <cstdio>

#include "app/cli.h"

namespace alignd {

int cmd_serve(int, char**) {
  std::fputs("alignd serve: not built yet\n", stderr);
  return 2;
}

}  // namespace alignd
