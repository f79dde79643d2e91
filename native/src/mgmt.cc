// One write(2) of the whole command; on EAGAIN, polls the result file (fresh open + pread at 0)
// until it stops answering EAGAIN, then maps "0" to success and "-N" to errno N.
#include "mgmt.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace sanform {
namespace {

long NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void SleepMs(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
  }
}

/** Parses the signed decimal of last_sysfs_mgmt_res; anything else is EIO. */
int ParseResult(const char* buf, ssize_t n) {
  std::string s(buf, n);
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return EIO;
  s = s.substr(b, e - b + 1);
  char* end = nullptr;
  errno = 0;
  long v = strtol(s.c_str(), &end, 10);
  if (errno != 0 || end == s.c_str() || *end != '\0' || v > 0) return EIO;
  return static_cast<int>(-v);
}

/** One poll of the result file: EAGAIN while work is pending, else the parsed result. */
MgmtResult ReadResultOnce(const std::string& file) {
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {errno, "result"};
  char buf[64];
  ssize_t n = pread(fd, buf, sizeof buf, 0);
  int err = errno;
  close(fd);
  if (n < 0) return {err, "result"};
  int r = ParseResult(buf, n);
  return {r, r == 0 ? "" : (r == EIO ? "result" : "command")};
}

}  // namespace

MgmtResult RunMgmt(const MgmtRequest& req) {
  long deadline = NowMs() + req.timeoutMs;
  int fd = open(req.path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return {errno, "open"};
  ssize_t n = write(fd, req.command.data(), req.command.size());
  int err = errno;
  close(fd);
  if (n >= 0) return n == static_cast<ssize_t>(req.command.size()) ? MgmtResult{} : MgmtResult{EIO, "write"};
  if (err != EAGAIN || req.resultFile.empty()) return {err, "write"};
  for (;;) {
    MgmtResult r = ReadResultOnce(req.resultFile);
    if (r.err != EAGAIN || std::strcmp(r.stage, "result") != 0) return r;
    long left = deadline - NowMs();
    if (left <= 0) return {ETIMEDOUT, "timeout"};
    SleepMs(left < req.pollMs ? left : req.pollMs);
  }
}

}  // namespace sanform
