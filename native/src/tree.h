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
};

/**
 * The whole walk, packed to keep the hand-over to JavaScript cheap: `text` holds two
 * NUL-terminated strings per entry (path, payload) and `meta` one word per entry
 * (kind << 16 | permission bits).
 */
struct PackedTree {
  std::string text;
  std::vector<uint32_t> meta;
  std::vector<std::string> extras;
};

/** Walks `root`; returns 0, or the errno that made the root itself unreadable. */
int WalkTree(const std::string& root, PackedTree& out);

}  // namespace sanform
