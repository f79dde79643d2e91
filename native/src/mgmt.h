// SCST's management write protocol (scst-sysfs.md §4.1), run on the thread pool.
#pragma once
#include <string>

namespace sanform {

struct MgmtRequest {
  std::string path;
  std::string command;
  std::string resultFile;  // empty: an EAGAIN from the write is reported as is
  long timeoutMs;
  long pollMs;
};

/** Where a failure happened: the open, the write, reading the result file, or the deadline. */
struct MgmtResult {
  int err = 0;  // 0 on success, else a positive errno (ETIMEDOUT for the deadline)
  const char* stage = "";
};

MgmtResult RunMgmt(const MgmtRequest& req);

}  // namespace sanform
