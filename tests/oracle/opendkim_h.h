// Test oracle, private to tests/oracle: includes libopendkim's dkim.h, which spells bool `_Bool`.
#pragma once
#define _Bool bool
#include <opendkim/dkim.h>
#undef _Bool
