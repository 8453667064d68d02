// Subcommand dispatch (serve, eval, keygen, config check, report send).
#pragma once

namespace alignd {

int cli_main(int argc, char** argv);

// One function per subcommand, each in its own cli_<name>.cc. argv[0] is the
// subcommand name ("serve", "eval", "keygen", "config", "report").
int cmd_serve(int argc, char** argv);
int cmd_eval(int argc, char** argv);
int cmd_keygen(int argc, char** argv);
int cmd_config(int argc, char** argv);
int cmd_report(int argc, char** argv);
int cmd_simulate(int argc, char** argv);      // cli_simulate.cc
int cmd_check_domain(int argc, char** argv);  // cli_check_domain.cc

}  // namespace alignd
