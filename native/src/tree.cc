// readTree's walk. Every directory is one task: list it, sort the names, read its files and
// links, stat its subdirectories (each becomes a new task). A few threads take tasks from one
// stack, so a big tree is read in parallel; the results are spliced back into pre-order at the
// end. Syscalls are relative to the directory's descriptor (openat/fstatat/readlinkat).
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

namespace sanform {
namespace {

constexpr size_t kMaxRead = 4096;  // sysfs answers at most one page per read
constexpr int kOpenFile = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
constexpr int kOpenDir = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

/** An open directory, closed when the last task that still needs it (to open a child) is done. */
struct DirFd {
  int fd;
  explicit DirFd(int f) : fd(f) {}
  DirFd(const DirFd&) = delete;
  DirFd& operator=(const DirFd&) = delete;
  ~DirFd() { close(fd); }
};

/** One directory's direct children, packed in name order, and where its subdirectories go. */
struct DirTask {
  std::string rel;
  std::string name;                                  // last segment of rel, opened relative to parent
  std::shared_ptr<DirFd> parent;                     // the parent directory, open until this task opens

  size_t depth = 0;                                  // segments in rel
  std::vector<uint32_t> aliveDirs, aliveFiles;       // anchored skip patterns matching rel so far
  PackedTree chunk;
  std::vector<size_t> starts;                      // text offset of each entry of the chunk
  std::vector<std::pair<size_t, DirTask*>> subdirs;  // (entry index in the chunk, its task)
  int openErr = 0;                                   // errno when the directory could not be opened
};

/** What getdents64 returns per entry (glibc declares no type for it). */
struct Dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

struct Child {
  std::string name;
  unsigned char type;
};

bool HasName(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/** Does an alive anchored pattern end at this child (`depth` = segments of its parent)? */
bool EndsHere(const std::vector<std::vector<std::string>>& pats, const std::vector<uint32_t>& alive, size_t depth,
              const std::string& name) {
  for (uint32_t i : alive) {
    const auto& p = pats[i];
    if (p.size() == depth + 1 && (p[depth] == "*" || p[depth] == name)) return true;
  }
  return false;
}

/** The alive patterns that go on below this child. */
std::vector<uint32_t> Narrow(const std::vector<std::vector<std::string>>& pats, const std::vector<uint32_t>& alive,
                             size_t depth, const std::string& name) {
  std::vector<uint32_t> out;
  for (uint32_t i : alive) {
    const auto& p = pats[i];
    if (p.size() > depth + 1 && (p[depth] == "*" || p[depth] == name)) out.push_back(i);
  }
  return out;
}

std::vector<uint32_t> AllOf(size_t n) {
  std::vector<uint32_t> out(n);
  for (size_t i = 0; i < n; i++) out[i] = static_cast<uint32_t>(i);
  return out;
}

class Walk {
 public:
  Walk(std::string root, const SkipRules& skip) : root_(std::move(root)), skip_(skip) {}

  /** Runs the tasks on `threads` threads and splices the result into `out` after its root entry. */
  void Run(unsigned threads, PackedTree& out) {
    all_.push_back(std::make_unique<DirTask>());
    all_.back()->aliveDirs = AllOf(skip_.dirPaths.size());
    all_.back()->aliveFiles = AllOf(skip_.filePaths.size());
    pending_.push_back(all_.back().get());
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; i++) pool.emplace_back([this] { Worker(); });
    Worker();
    for (auto& t : pool) t.join();
    size_t text = out.text.size(), meta = out.meta.size();
    for (const auto& t : all_) {
      text += t->chunk.text.size();
      meta += t->chunk.meta.size();
    }
    out.text.reserve(text);  // one allocation of the final size, no doubling
    out.meta.reserve(meta);
    Emit(all_.front().get(), out);
    out.extras = std::move(extras_);
  }

 private:
  void Worker() {
    char buf[kMaxRead];
    for (;;) {
      DirTask* t;
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [this] { return !pending_.empty() || active_ == 0; });
        if (pending_.empty()) return;
        t = pending_.back();
        pending_.pop_back();
        active_++;
      }
      std::vector<std::unique_ptr<DirTask>> found;
      List(t, found, buf);
      {
        std::lock_guard<std::mutex> lk(mu_);
        for (auto& f : found) {
          pending_.push_back(f.get());
          all_.push_back(std::move(f));
        }
        active_--;
      }
      cv_.notify_all();
    }
  }

  /**
   * Appends a task's entries and, after each subdirectory's entry, that subdirectory's. A
   * subdirectory that could not be opened becomes an error entry; one that vanished or stopped
   * being a directory since it was seen is left out.
   */
  static void Emit(DirTask* t, PackedTree& out) {
    size_t k = 0, n = t->chunk.meta.size();
    for (size_t i = 0; i < n; i++) {
      size_t a = t->starts[i], b = i + 1 < n ? t->starts[i + 1] : t->chunk.text.size();
      DirTask* sub = k < t->subdirs.size() && t->subdirs[k].first == i ? t->subdirs[k++].second : nullptr;
      int err = sub ? sub->openErr : 0;
      if (err == ENOENT || err == ENOTDIR || err == ELOOP) continue;
      if (err != 0) {
        size_t end = t->chunk.text.find('\0', a);
        out.text.append(t->chunk.text, a, end - a).push_back('\0');
        out.text.append(std::to_string(err)).push_back('\0');
        out.meta.push_back((static_cast<uint32_t>(kDirError) << 16) | (t->chunk.meta[i] & (07777 | kNoMode)));
        continue;
      }
      out.text.append(t->chunk.text, a, b - a);
      out.meta.push_back(t->chunk.meta[i]);
      if (sub) Emit(sub, out);
    }
    // copied: give the memory back while the rest is spliced
    PackedTree().text.swap(t->chunk.text);
    std::vector<size_t>().swap(t->starts);
  }

  void Add(DirTask* t, const std::string& path, Kind kind, unsigned mode, const char* payload, size_t len) {
    t->starts.push_back(t->chunk.text.size());
    // `mode` is an st_mode (whose file-type bits are dropped here) or kNoMode itself
    t->chunk.meta.push_back((static_cast<uint32_t>(kind) << 16) | (mode == kNoMode ? kNoMode : mode & 07777));
    t->chunk.text.append(path).push_back('\0');
    t->chunk.text.append(payload, len).push_back('\0');
  }

  void AddErrno(DirTask* t, const std::string& path, Kind kind, unsigned mode, int err) {
    std::string n = std::to_string(err);
    Add(t, path, kind, mode, n.data(), n.size());
  }

  /** Reads one page once, like a sysfs client; records the content or the errno. */
  void AddContent(DirTask* t, const std::string& path, int fd, unsigned mode, char* buf) {
    ssize_t n = read(fd, buf, kMaxRead);
    if (n < 0) return AddErrno(t, path, kFileError, mode, errno);
    if (memchr(buf, '\0', n) == nullptr) return Add(t, path, kFile, mode, buf, n);
    size_t idx;
    {
      std::lock_guard<std::mutex> lk(extrasMu_);
      idx = extras_.size();
      extras_.emplace_back(buf, n);
    }
    std::string s = std::to_string(idx);
    Add(t, path, kFileExtra, mode, s.data(), s.size());
  }

  /**
   * Lists one directory and records its children; subdirectories become tasks in `found`. The
   * directory is opened relative to its parent's descriptor (no path walk from the root) and read
   * with getdents64 (no fdopendir: no fstat and fcntl per directory).
   */
  void List(DirTask* t, std::vector<std::unique_ptr<DirTask>>& found, char* buf) {
    int dfd;
    if (t->parent) {
      dfd = openat(t->parent->fd, t->name.c_str(), kOpenDir);
      t->parent.reset();
    } else {
      dfd = open(root_.c_str(), kOpenDir & ~O_NOFOLLOW);
    }
    if (dfd < 0) {
      t->openErr = errno;  // Emit turns the directory's entry into an error, or leaves it out
      return;
    }
    auto self = std::make_shared<DirFd>(dfd);
    std::vector<Child> children;
    alignas(8) char dents[16384];
    for (;;) {
      long n = syscall(SYS_getdents64, dfd, dents, sizeof dents);
      if (n <= 0) break;  // end, or an error: what was listed stays
      for (long off = 0; off < n;) {
        auto* e = reinterpret_cast<struct Dirent64*>(dents + off);
        off += e->d_reclen;
        const char* nm = e->d_name;
        if (nm[0] == '.' && (nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0'))) continue;
        children.push_back({nm, e->d_type});
      }
    }
    std::sort(children.begin(), children.end(), [](const Child& a, const Child& b) { return a.name < b.name; });
    for (const Child& c : children) {
      std::string path = t->rel.empty() ? c.name : t->rel + "/" + c.name;
      Visit(t, found, self, c, c.type, path, buf);
    }
  }

  bool SkipDir(const DirTask* t, const std::string& name) const {
    return HasName(skip_.dirNames, name) || EndsHere(skip_.dirPaths, t->aliveDirs, t->depth, name);
  }

  bool SkipContent(const DirTask* t, const std::string& name) const {
    return HasName(skip_.fileNames, name) || EndsHere(skip_.filePaths, t->aliveFiles, t->depth, name);
  }

  /** A directory or file the caller asked not to read: one fstatat gives its entry (none without modes). */
  void VisitUnread(DirTask* t, std::vector<std::unique_ptr<DirTask>>& found, const std::shared_ptr<DirFd>& dir,
                   const Child& c, unsigned char type, const std::string& path, char* buf) {
    int dfd = dir->fd;
    if (skip_.noModes) return Add(t, path, type == DT_DIR ? kDir : kFileUnread, kNoMode, "", 0);
    struct stat st;
    if (fstatat(dfd, c.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) return;
    if (IFTODT(st.st_mode) != type) return Visit(t, found, dir, c, IFTODT(st.st_mode), path, buf);
    Add(t, path, type == DT_DIR ? kDir : kFileUnread, st.st_mode, "", 0);
  }

  /** One entry; entries that vanish while we walk (ENOENT) are left out. */
  void Visit(DirTask* t, std::vector<std::unique_ptr<DirTask>>& found, const std::shared_ptr<DirFd>& dir,
             const Child& c, unsigned char type, const std::string& path, char* buf) {
    int dfd = dir->fd;
    const char* name = c.name.c_str();
    struct stat st;
    if (type == DT_UNKNOWN) {
      if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return;
      type = IFTODT(st.st_mode);
    }
    if ((type == DT_REG && SkipContent(t, c.name)) || (type == DT_DIR && SkipDir(t, c.name))) {
      return VisitUnread(t, found, dir, c, type, path, buf);
    }
    if (type == DT_REG) {
      int fd = openat(dfd, name, kOpenFile);
      if (fd < 0) {
        int err = errno;
        if (err == ENOENT || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return;
        if (!S_ISREG(st.st_mode)) return Visit(t, found, dir, c, IFTODT(st.st_mode), path, buf);
        return AddErrno(t, path, kFileError, st.st_mode, err);
      }
      if (skip_.noModes) AddContent(t, path, fd, kNoMode, buf);  // d_type said regular; a read of anything else fails
      else if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) AddContent(t, path, fd, st.st_mode, buf);
      close(fd);
    } else if (type == DT_DIR) {
      // one fstatat here (none without modes); the directory's own task opens it (and reports it if it cannot)
      if (skip_.noModes) {
        Add(t, path, kDir, kNoMode, "", 0);
      } else {
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return;
        if (!S_ISDIR(st.st_mode)) return Visit(t, found, dir, c, IFTODT(st.st_mode), path, buf);
        Add(t, path, kDir, st.st_mode, "", 0);
      }
      found.push_back(std::make_unique<DirTask>());
      found.back()->rel = path;
      found.back()->name = c.name;
      found.back()->parent = dir;
      found.back()->depth = t->depth + 1;
      found.back()->aliveDirs = Narrow(skip_.dirPaths, t->aliveDirs, t->depth, c.name);
      found.back()->aliveFiles = Narrow(skip_.filePaths, t->aliveFiles, t->depth, c.name);
      t->subdirs.emplace_back(t->chunk.meta.size() - 1, found.back().get());
    } else if (type == DT_LNK) {
      if (skip_.noModes) {
        ssize_t n = readlinkat(dfd, name, buf, kMaxRead);
        if (n >= 0) return Add(t, path, kLink, kNoMode, buf, n);
        if (errno == ENOENT) return;
        // no longer a link (EINVAL): stat it and visit what it is now
      }
      if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return;
      if (!S_ISLNK(st.st_mode)) return Visit(t, found, dir, c, IFTODT(st.st_mode), path, buf);
      ssize_t n = readlinkat(dfd, name, buf, kMaxRead);
      if (n >= 0) Add(t, path, kLink, st.st_mode, buf, n);
    }
    // FIFOs, sockets and device nodes are not part of a sysfs tree: never opened.
  }

  std::string root_;
  const SkipRules& skip_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<DirTask>> all_;
  std::vector<DirTask*> pending_;
  size_t active_ = 0;
  std::mutex extrasMu_;
  std::vector<std::string> extras_;
};

/** Threads for a walk: SANFORM_READTREE_THREADS, else the CPUs, at most 4. */
unsigned Threads() {
  if (const char* s = getenv("SANFORM_READTREE_THREADS")) {
    int n = atoi(s);
    if (n >= 1 && n <= 64) return static_cast<unsigned>(n);
  }
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : std::min(n, 4u);
}

void AddRootEntry(PackedTree& out, Kind kind, unsigned mode, const char* payload, size_t len) {
  out.meta.push_back((static_cast<uint32_t>(kind) << 16) | (mode & 07777));
  out.text.push_back('\0');
  out.text.append(payload, len).push_back('\0');
}

}  // namespace

void AddSkipPattern(SkipRules& rules, const std::string& pattern, bool dir) {
  std::vector<std::string> segs;
  size_t a = 0;
  for (;;) {
    size_t b = pattern.find('/', a);
    std::string seg = pattern.substr(a, b == std::string::npos ? std::string::npos : b - a);
    if (!seg.empty()) segs.push_back(seg);
    if (b == std::string::npos) break;
    a = b + 1;
  }
  if (segs.empty()) return;
  if (pattern.find('/') == std::string::npos) (dir ? rules.dirNames : rules.fileNames).push_back(segs[0]);
  else (dir ? rules.dirPaths : rules.filePaths).push_back(std::move(segs));
}

int WalkTree(const std::string& root, const SkipRules& skip, PackedTree& out) {
  struct stat st;
  int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {  // the root follows symlinks (the caller chose it)
    int ok = fstat(fd, &st);
    int err = errno;
    close(fd);
    if (ok < 0) return err;
    AddRootEntry(out, kDir, st.st_mode, "", 0);
    Walk(root, skip).Run(Threads(), out);
    return 0;
  }
  if (errno != ENOTDIR) return errno;
  fd = open(root.c_str(), kOpenFile & ~O_NOFOLLOW);  // a root that is a file is one entry
  if (fd < 0) return errno;
  char buf[kMaxRead];
  ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, buf, kMaxRead) : -2;
  int err = errno;
  close(fd);
  if (n == -2) return 0;
  if (n < 0) {
    std::string e = std::to_string(err);
    AddRootEntry(out, kFileError, st.st_mode, e.data(), e.size());
  } else if (memchr(buf, '\0', n) != nullptr) {
    out.extras.emplace_back(buf, n);
    AddRootEntry(out, kFileExtra, st.st_mode, "0", 1);
  } else {
    AddRootEntry(out, kFile, st.st_mode, buf, n);
  }
  return 0;
}

}  // namespace sanform
