/*
 * The floor of observe: a C program that reads a tree the way sysfs is read, once, and nothing
 * else. Every directory is listed, every regular file opened and read (one read(2) of at most
 * 4096 bytes, as the native helper does), every symlink's target read. Prints what it saw as JSON
 * (the bench checks it saw the whole tree). Built by bench/floor.ts with the system's cc.
 *
 *   floor DIR
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long dirs, files, links, bytes;

static void walk(int parent, const char *name) {
  int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  dirs++;
  DIR *d = fdopendir(fd);
  if (!d) { close(fd); return; }
  struct dirent *e;
  char buf[4096];
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && (e->d_name[1] == 0 || (e->d_name[1] == '.' && e->d_name[2] == 0))) continue;
    unsigned char t = e->d_type;
    if (t == DT_UNKNOWN) {
      struct stat st;
      if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (t == DT_DIR) {
      walk(fd, e->d_name);
    } else if (t == DT_LNK) {
      if (readlinkat(fd, e->d_name, buf, sizeof buf) >= 0) links++;
    } else if (t == DT_REG) {
      int f = openat(fd, e->d_name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
      if (f < 0) continue;
      ssize_t n = read(f, buf, sizeof buf);
      if (n > 0) bytes += n;
      close(f);
      files++;
    }
  }
  closedir(d);
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: floor DIR\n"); return 2; }
  walk(AT_FDCWD, argv[1]);
  printf("{\"dirs\":%ld,\"files\":%ld,\"links\":%ld,\"bytes\":%ld}\n", dirs, files, links, bytes);
  return dirs > 0 ? 0 : 1;
}
