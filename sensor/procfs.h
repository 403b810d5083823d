/* Facts about processes read from /proc: the initial process list and details that the
 * BPF side does not collect (cwd, exe path, fd limit, cgroups). */
#ifndef PROCFS_H
#define PROCFS_H
#include <stddef.h>
#include <stdint.h>

/* Writes one process-list block with every thread on the host. Returns the number of entries. */
int procfs_write_proclist(void);
/* The main threads of the last process list written (fd lists are written for these). */
size_t procfs_listed_pids(const uint32_t **pids);
/* Copies /proc/<pid>/cwd (or "" when gone) into out. */
void procfs_cwd(uint32_t pid, char *out, size_t n);
/* Copies /proc/<pid>/exe target into out. */
void procfs_exe(uint32_t pid, char *out, size_t n);
/* Copies /proc/<pid>/cgroup as scap's NUL-separated "subsys=path" list; returns its length. */
size_t procfs_cgroups(uint32_t pid, char *out, size_t n);
/* Copies /proc/<pid>/environ (NUL-separated); returns its length. */
size_t procfs_environ(uint32_t pid, char *out, size_t n);
uint64_t procfs_boot_time_ns(void);
/* Writes one fd-list block (V2) per process: files, directories, pipes, sockets with their
 * addresses from /proc/<pid>/net/{tcp,tcp6,udp,udp6,unix}. Returns the number of fds written. */
int procfs_write_fdlists(void);
/* Writes a user list block from the host's /etc/passwd and /etc/group. */
void procfs_write_userlist(void);
#endif
