// Final files (results.json, the views, merged and packaged results) are written through a
// temporary name, fsync and a rename: a reader, or a run killed meanwhile, sees the old file or
// the whole new one, never a part.
#pragma once

#include <string>

namespace cts::results {

// Writes all of `data` to `fd`, retrying short writes and EINTR; false on any other error
// (errno tells which).
bool write_all(int fd, const std::string& data);

// Errors: "<path>.tmp: cannot write: <reason>", "<path>: cannot rename into place: <reason>".
bool write_file_atomically(const std::string& path, const std::string& content, std::string& error);

}  // namespace cts::results
