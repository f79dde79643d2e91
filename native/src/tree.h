// Tree walk of a sysfs-like subtree: the part of readTree that runs on the thread pool.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sanform {

/** Entry kinds in the packed result; native/index.ts decodes the same numbers. */
enum Kind : uint32_t {
  kDir = 1,        // payload empty
  kFile = 2,       // payload = content
  kLink = 3,       // payload = link target
  kFileError = 4,  // payload = errno number (decimal)
  kDirError = 5,   // directory that could not be opened; payload = errno number
  kFileExtra = 6,  // content holds a NUL byte: payload = index into extras
  kFileUnread = 7, // a file matched by skipContent: never opened, payload empty
};

/** Set in a meta word whose permission bits were not read (SkipRules.noModes). */
constexpr uint32_t kNoMode = 0x8000;

/**
 * What the walk leaves unread (ReadTreeOptions in types.ts): names matched at any depth, and
 * anchored patterns split into segments, where "*" matches any one name.
 */
struct SkipRules {
  std::vector<std::string> dirNames, fileNames;
  std::vector<std::vector<std::string>> dirPaths, filePaths;
  /** the caller does not look at permission bits: no stat call made only for them (d_type tells the kind). */
  bool noModes = false;
  bool empty() const { return dirNames.empty() && fileNames.empty() && dirPaths.empty() && filePaths.empty(); }
};

/** Adds one pattern of skipDirs (`dir`) or skipContent to the rules. */
void AddSkipPattern(SkipRules& rules, const std::string& pattern, bool dir);

/**
 * The whole walk, packed to keep the hand-over to JavaScript cheap: `text` holds two
 * NUL-terminated strings per entry (path, payload) and `meta` one word per entry
 * (kind << 16 | permission bits, or kNoMode).
 */
struct PackedTree {
  std::string text;
  std::vector<uint32_t> meta;
  std::vector<std::string> extras;
};

/** Walks `root`; returns 0, or the errno that made the root itself unreadable. */
int WalkTree(const std::string& root, const SkipRules& skip, PackedTree& out);

}  // namespace sanform
