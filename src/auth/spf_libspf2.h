// The one place libspf2's C headers are included: they need <netinet/in.h> and
// <arpa/nameser.h> first and C linkage. Internal to src/auth (spf_* files only).
#pragma once
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>

extern "C" {
#include <spf2/spf.h>
}
