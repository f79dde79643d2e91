// readTree's walk: openat/fdopendir/fstat/read/readlinkat relative to directory descriptors, so
// each entry costs only the syscalls that sysfs needs (no path re-resolution from the root).
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace sanform {
namespace {

constexpr size_t kMaxRead = 4096;  // sysfs answers at most one page per read
constexpr int kOpenFile = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
constexpr int kOpenDir = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

struct Child {
  std::string name;
  unsigned char type;
};

class Walker {
 public:
  explicit Walker(PackedTree& out) : out_(out) {}

  void Add(Kind kind, unsigned mode, const char* payload, size_t len) {
    out_.meta.push_back((static_cast<uint32_t>(kind) << 16) | (mode & 07777));
    out_.text.append(path_).push_back('\0');
    out_.text.append(payload, len).push_back('\0');
  }

  void AddErrno(Kind kind, unsigned mode, int err) {
    std::string n = std::to_string(err);
    Add(kind, mode, n.data(), n.size());
  }

  /** Reads one page once, like a sysfs client; records the content or the errno. */
  void AddFileContent(int fd, unsigned mode) {
    ssize_t n = read(fd, buf_, kMaxRead);
    if (n < 0) return AddErrno(kFileError, mode, errno);
    if (memchr(buf_, '\0', n) == nullptr) return Add(kFile, mode, buf_, n);
    out_.extras.emplace_back(buf_, n);
    std::string idx = std::to_string(out_.extras.size() - 1);
    Add(kFileExtra, mode, idx.data(), idx.size());
  }

  /** Lists a directory (sorted by name) and visits each entry; takes ownership of dfd. */
  void WalkDir(int dfd) {
    DIR* d = fdopendir(dfd);
    if (d == nullptr) {
      close(dfd);
      return;
    }
    std::vector<Child> children;
    while (struct dirent* e = readdir(d)) {
      const char* n = e->d_name;
      if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'))) continue;
      children.push_back({n, e->d_type});
    }
    std::sort(children.begin(), children.end(),
              [](const Child& a, const Child& b) { return a.name < b.name; });
    for (const Child& c : children) {
      size_t base = path_.size();
      if (base > 0) path_.push_back('/');
      path_.append(c.name);
      Visit(dirfd(d), c.name.c_str(), c.type);
      path_.resize(base);
    }
    closedir(d);
  }

  /** One entry; entries that vanish while we walk (ENOENT) are left out. */
  void Visit(int dfd, const char* name, unsigned char type) {
    struct stat st;
    if (type == DT_UNKNOWN) {
      if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return;
      type = IFTODT(st.st_mode);
    }
    if (type == DT_REG) return VisitFile(dfd, name);
    if (type == DT_DIR) return VisitDir(dfd, name);
    if (type == DT_LNK) return VisitLink(dfd, name);
    // FIFOs, sockets and device nodes are not part of a sysfs tree: never opened.
  }

  void VisitFile(int dfd, const char* name) {
    struct stat st;
    int fd = openat(dfd, name, kOpenFile);
    if (fd < 0) {
      int err = errno;
      if (err == ENOENT || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return;
      if (!S_ISREG(st.st_mode)) return Visit(dfd, name, IFTODT(st.st_mode));
      return AddErrno(kFileError, st.st_mode, err);
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) AddFileContent(fd, st.st_mode);
    close(fd);
  }

  void VisitDir(int dfd, const char* name) {
    struct stat st;
    int fd = openat(dfd, name, kOpenDir);
    if (fd < 0) {
      int err = errno;
      if (err == ENOENT || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return;
      if (!S_ISDIR(st.st_mode)) return Visit(dfd, name, IFTODT(st.st_mode));
      return AddErrno(kDirError, st.st_mode, err);
    }
    if (fstat(fd, &st) < 0) {
      close(fd);
      return;
    }
    Add(kDir, st.st_mode, "", 0);
    WalkDir(fd);
  }

  void VisitLink(int dfd, const char* name) {
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return;
    if (!S_ISLNK(st.st_mode)) return Visit(dfd, name, IFTODT(st.st_mode));
    ssize_t n = readlinkat(dfd, name, buf_, kMaxRead);
    if (n < 0) return;
    Add(kLink, st.st_mode, buf_, n);
  }

  /** The root follows symlinks (the caller chose it); a root that is a file is one entry. */
  int Root(const std::string& root) {
    int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0) {
      if (fstat(fd, &st) < 0) {
        int err = errno;
        close(fd);
        return err;
      }
      Add(kDir, st.st_mode, "", 0);
      WalkDir(fd);
      return 0;
    }
    if (errno != ENOTDIR) return errno;
    fd = open(root.c_str(), kOpenFile & ~O_NOFOLLOW);
    if (fd < 0) return errno;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) AddFileContent(fd, st.st_mode);
    close(fd);
    return 0;
  }

 private:
  PackedTree& out_;
  std::string path_;
  char buf_[kMaxRead];
};

}  // namespace

int WalkTree(const std::string& root, PackedTree& out) {
  Walker w(out);
  return w.Root(root);
}

}  // namespace sanform
