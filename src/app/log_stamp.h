// Whether stderr lines need a timestamp of ours: yes on a terminal, and when
// stderr is not journald's stream (journald stamps its own; systemd sets
// JOURNAL_STREAM=device:inode of that stream, systemd.exec(5)).
#pragma once

namespace alignd {

bool stderr_wants_timestamps();

}  // namespace alignd
