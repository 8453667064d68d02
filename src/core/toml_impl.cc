// The one translation unit that compiles toml++ (TOML_HEADER_ONLY=0 elsewhere),
// so the many files that include it build fast.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
