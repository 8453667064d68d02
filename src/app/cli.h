// Subcommand dispatch (serve, eval, keygen, config check, report send).
#pragma once

namespace alignd {

int cli_main(int argc, char** argv);

}  // namespace alignd
