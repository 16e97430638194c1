#ifndef SYSTEM_SHIM_H
#define SYSTEM_SHIM_H

/// Atomically swaps two paths (Linux renameat2 with RENAME_EXCHANGE): both exist before and after, so a reader never
/// finds either missing. Returns 0, or -1 with errno set (ENOSYS where the platform or file system cannot do it).
int cm_exchange_paths(const char *first, const char *second);
#endif
