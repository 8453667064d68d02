// See log_stamp.h.
#include "app/log_stamp.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace alignd {

bool stderr_wants_timestamps() {
  if (isatty(STDERR_FILENO)) return true;
  const char* js = std::getenv("JOURNAL_STREAM");
  if (!js || !*js) return true;
  // systemd.exec(5): compare the device and inode with stderr's own.
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(js, "%llu:%llu", &dev, &ino) != 2) return true;
  struct stat st {};
  if (fstat(STDERR_FILENO, &st) != 0) return true;
  return !(static_cast<unsigned long long>(st.st_dev) == dev &&
           static_cast<unsigned long long>(st.st_ino) == ino);
}

}  // namespace alignd
