/*
 * Where things live (kindlogd(1) FILES) and the checks that make a per-user
 * directory safe to hold a socket, tmux-style.
 */
#ifndef KINDLOG_PATHS_H
#define KINDLOG_PATHS_H

#include <sys/types.h>

#include "error.h"

/* Longest socket path that fits in sockaddr_un.sun_path. */
#define PATHS_SOCKET_MAX 107

/*
 * The socket to use: option if given, else $KINDLOG_SOCKET, else
 * $XDG_RUNTIME_DIR/kindlog/kindlogd.sock, else
 * ${TMPDIR:-/tmp}/kindlog-$UID/kindlogd.sock. Caller frees.
 */
char *paths_socket(const char *option);
/* $XDG_DATA_HOME/kindlog (default ~/.local/share/kindlog). Caller frees. */
char *paths_data_dir(void);
/* $XDG_CONFIG_HOME/kindlog/kindlog.conf (default ~/.config/...). */
char *paths_config_file(void);
/* $XDG_STATE_HOME/kindlog (default ~/.local/state/kindlog). */
char *paths_state_dir(void);
/* The directory part of path. Caller frees. */
char *paths_dirname(const char *path);

/* Create dir and missing parents; new directories get mode. */
int paths_mkdir_p(const char *dir, mode_t mode, struct kl_error *err);
/*
 * Make sure dir exists (created 0700 if missing) and is safe for a
 * socket: a real directory (not a symlink), owned by us, with no group or
 * other permission bits. Returns -1 with a message saying what is wrong.
 */
int paths_secure_dir(const char *dir, struct kl_error *err);

#endif
