// alignd eval — under construction (see the open issues).
#include <cstdio>

#include "app/cli.h"

namespace alignd {

int cmd_eval(int, char**) {
  std::fputs("alignd eval: not built yet\n", stderr);
  return 2;
}

}  // namespace alignd
