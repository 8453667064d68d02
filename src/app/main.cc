// alignd entry point: dispatches to the subcommands in src/app/cli_*.cc.
#include "app/cli.h"

int main(int argc, char** argv) { return alignd::cli_main(argc, argv); }
