/* Where kindlog keeps its socket, data, config and log (kindlogd(1) FILES). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "xmalloc.h"

/*
 * A path below an XDG base directory: $var if it is absolute, else
 * $HOME/fallback (the spec says relative values are to be ignored), with
 * "/kindlog" and the rest appended.
 */
static char *
paths_xdg(const char *var, const char *fallback, const char *rest)
{
	const char	*value = getenv(var);
	const char	*home = getenv("HOME");

	if (value != NULL && value[0] == '/')
		return xasprintf("%s/kindlog%s", value, rest);
	if (home == NULL || home[0] == '\0')
		home = "";
	return xasprintf("%s/%s/kindlog%s", home, fallback, rest);
}

char *
paths_socket(const char *option)
{
	const char	*env = getenv("KINDLOG_SOCKET");
	const char	*runtime = getenv("XDG_RUNTIME_DIR");
	const char	*tmpdir = getenv("TMPDIR");

	if (option != NULL && option[0] != '\0')
		return xstrdup(option);
	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	if (runtime != NULL && runtime[0] == '/')
		return xasprintf("%s/kindlog/kindlogd.sock", runtime);
	if (tmpdir == NULL || tmpdir[0] != '/')
		tmpdir = "/tmp";
	return xasprintf("%s/kindlog-%ld/kindlogd.sock", tmpdir,
	    (long)getuid());
}

char *
paths_data_dir(void)
{
	return paths_xdg("XDG_DATA_HOME", ".local/share", "");
}

char *
paths_config_file(void)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config", "/kindlog.conf");
}

char *
paths_state_dir(void)
{
	return paths_xdg("XDG_STATE_HOME", ".local/state", "");
}

char *
paths_dirname(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int
paths_mkdir_p(const char *dir, mode_t mode, struct kl_error *err)
{
	char		*copy, *p;
	struct stat	 sb;
	size_t		 len = strlen(dir);
	int		 rc = 0;

	if (len == 0)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "cannot create a directory with an empty name");
	/* Without trailing slashes the last mkdir is the one given mode. */
	while (len > 1 && dir[len - 1] == '/')
		len--;
	copy = xstrndup(dir, len);
	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, saved == '\0' ? mode : 0700) != 0 &&
		    errno != EEXIST) {
			rc = kl_error_set(err, KL_ERR_STORAGE,
			    "cannot create %s: %s", copy, strerror(errno));
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	if (rc == 0 && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)))
		rc = kl_error_set(err, KL_ERR_STORAGE,
		    "%s is not a directory", dir);
	free(copy);
	return rc;
}

int
paths_secure_dir(const char *dir, struct kl_error *err)
{
	struct stat	sb;
	char		*parent;
	int		rc;

	if (mkdir(dir, 0700) != 0 && errno == ENOENT) {
		parent = paths_dirname(dir);
		rc = paths_mkdir_p(parent, 0700, err);
		free(parent);
		if (rc != 0)
			return -1;
		mkdir(dir, 0700);
	}
	if (lstat(dir, &sb) != 0)
		return kl_error_set(err, KL_ERR_STORAGE, "cannot use %s: %s",
		    dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return kl_error_set(err, KL_ERR_STORAGE,
		    "%s is not a directory", dir);
	if (sb.st_uid != getuid())
		return kl_error_set(err, KL_ERR_STORAGE,
		    "%s is owned by uid %ld, not by us (uid %ld)", dir,
		    (long)sb.st_uid, (long)getuid());
	if ((sb.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "%s has unsafe permissions %03o (want 0700)", dir,
		    (unsigned)(sb.st_mode & 07777));
	return 0;
}
