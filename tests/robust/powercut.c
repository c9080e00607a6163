/*
 * A power cut for kindlogd, as an LD_PRELOAD shim (tests only; driven by
 * tests/robust/powercut.py).
 *
 * The shim watches the I/O that SQLite 3.40 makes on the database, its
 * -wal and -journal (strace: open64, pwrite64, ftruncate64, fdatasync,
 * unlink, close; plus fdatasync of an fd opened on the directory) and
 * keeps a shadow of what a disk would have made durable. At the cut it
 * writes the disk as it could look after the power came back, then kills
 * the process with SIGKILL. The real files get every write as usual; the
 * process reads them, as it would read its page cache.
 *
 * Environment:
 *   POWERCUT_DB    the database path (absolute); the shim tracks it, its
 *                  -wal and -journal, and their directory. Unset: the shim
 *                  does nothing.
 *   POWERCUT_DIR   an existing directory for the shadow files; the crash
 *                  image goes to POWERCUT_DIR/crash/ (a file per name that
 *                  exists on the disk after the cut, and "cut", a summary
 *                  written last).
 *   POWERCUT_AT    "sync:N": cut before the Nth fsync/fdatasync of a tracked
 *                  file or of the directory; "sync:N:NAME": the Nth counted
 *                  from the first sync of tracked file NAME (the database
 *                  file is synced in checkpoints only, so "sync:1:DB" cuts
 *                  in the first checkpoint, "sync:3:DB" maybe as the WAL
 *                  restarts). Unset: never cut.
 *   POWERCUT_SEED  seeds the choices made at the cut.
 *
 * The model of the disk:
 *   - Everything a file held when the process first opened it is durable
 *     (the test starts each daemon on a disk image that was at rest), and
 *     so is its directory entry.
 *   - Each file's shadow (POWERCUT_DIR/<name>) is its durable content. The
 *     writes and truncates since its last sync are kept, in order. A
 *     successful fsync or fdatasync of the file applies them to the shadow.
 *   - A file's unsynced operations reach the disk sector by sector (512
 *     bytes). At the cut every sector they touched holds, independently,
 *     the state after some prefix of the operations that touched it: none
 *     of them (its durable content), all of them, or anything between; a
 *     sector is never torn inside. So an unsynced write lands as any subset
 *     of its sectors, the empty one included, and a later write to the same
 *     sector can be lost while an earlier one landed. Bytes a truncate cut
 *     off read as zeros if the file grows over them again.
 *   - The size after the cut is, independently, the size after some prefix
 *     of the unsynced operations: the durable size, or grown by a write
 *     whose data did not land (zeros, or the old bytes there), or cut by a
 *     truncate. fdatasync makes the size durable with the data.
 *   - Creating and unlinking a tracked name are directory operations: they
 *     become durable at an fsync/fdatasync of the directory. Unsynced ones
 *     land per name as a prefix too: a new file can be missing after the
 *     cut although its data was synced, an unlinked one can be back with
 *     its durable content. Re-creating a name whose unlink is not yet
 *     durable, and renames of tracked names, are not modelled: the shim
 *     aborts rather than guess (SQLite does neither in WAL mode).
 *   - -shm is not tracked (SQLite maps it and rebuilds it from the WAL):
 *     the test deletes it, as if it had been lost with the page cache.
 *   - The cut comes before the chosen sync: it never happens, and no
 *     other I/O after it either. The process dies by SIGKILL.
 *   - Not modelled, because kindlogd and SQLite do not do it here: paths
 *     relative to a directory fd, writes through mmap (kindlogd sets
 *     mmap_size = 0), sync_file_range, O_SYNC.
 *   - How much lands is chosen per cut: a probability p in [0, 1); each
 *     sector, size and name keeps its durable state with probability 1 - p
 *     and otherwise one of its later states, uniformly.
 */
#undef _FILE_OFFSET_BITS	/* define both open and open64 below */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PC_SECTOR	512
#define PC_MAXDIROPS	8

/* What an fd refers to: untracked, the directory, or pc.files[n - 1]. */
#define PC_FD_NONE	0
#define PC_FD_DIR	(-1)

static const char *const pc_suffixes[] = { "", "-wal", "-journal" };
#define PC_NFILES	(sizeof pc_suffixes / sizeof pc_suffixes[0])

/* One unsynced operation: a write (data != NULL) or a truncate to off. */
struct pc_op {
	off64_t		 off;
	size_t		 len;
	unsigned char	*data;
};

/*
 * A tracked name: its durable content is in shadow, and what happened to
 * it since its last sync in ops; dirops are its unsynced creates (true)
 * and unlinks (false), linked whether its entry is durably there.
 */
struct pc_file {
	char		 path[PATH_MAX];
	char		 name[NAME_MAX + 1];
	char		 shadow[PATH_MAX];
	bool		 known;		/* met by this process */
	bool		 linked;
	bool		 dirops[PC_MAXDIROPS];
	int		 ndirops;
	struct pc_op	*ops;
	size_t		 nops, opscap;
};

static struct {
	bool		 on;
	char		 dir[PATH_MAX];	/* the database's */
	char		 shadowdir[PATH_MAX];
	struct pc_file	 files[PC_NFILES];
	int		*fds;		/* fd -> PC_FD_* */
	int		 nfds;
	long		 at;		/* cut before this sync, or never */
	struct pc_file	*from;		/* count from its first sync */
	long		 syncs, counted, writes;
	uint64_t	 rng;
	double		 p;		/* how much lands */
	pthread_mutex_t	 lock;
} pc = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int	(*real_open)(const char *, int, ...);
static int	(*real_open64)(const char *, int, ...);
static int	(*real_openat)(int, const char *, int, ...);
static int	(*real_openat64)(int, const char *, int, ...);
static int	(*real_close)(int);
static ssize_t	(*real_write)(int, const void *, size_t);
static ssize_t	(*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t	(*real_pwrite64)(int, const void *, size_t, off64_t);
static int	(*real_ftruncate)(int, off_t);
static int	(*real_ftruncate64)(int, off64_t);
static int	(*real_fsync)(int);
static int	(*real_fdatasync)(int);
static int	(*real_unlink)(const char *);
static int	(*real_rename)(const char *, const char *);

/* Say what went wrong on stderr and abort: the test sees no crash image. */
static void __attribute__((format(printf, 1, 2), noreturn))
pc_fatal(const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;
	int	n;

	n = snprintf(msg, sizeof msg, "powercut: ");
	va_start(ap, fmt);
	n += vsnprintf(msg + n, sizeof msg - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if ((size_t)n > sizeof msg - 2)
		n = sizeof msg - 2;
	msg[n++] = '\n';
	/* Around our own write(), which may be holding the lock. */
	if (syscall(SYS_write, 2, msg, (size_t)n) < 0)
		abort();
	abort();
}

/* The next definition of SYM (the C library's, or a sanitizer's). */
static void *
pc_sym(const char *sym)
{
	void	*p = dlsym(RTLD_NEXT, sym);

	if (p == NULL)
		pc_fatal("dlsym %s: %s", sym, dlerror());
	return p;
}

/* Find the real calls, once; before pc_init if someone calls us first. */
static void
pc_syms(void)
{
	if (real_rename != NULL)
		return;
	real_open = pc_sym("open");
	real_open64 = pc_sym("open64");
	real_openat = pc_sym("openat");
	real_openat64 = pc_sym("openat64");
	real_close = pc_sym("close");
	real_write = pc_sym("write");
	real_pwrite = pc_sym("pwrite");
	real_pwrite64 = pc_sym("pwrite64");
	real_ftruncate = pc_sym("ftruncate");
	real_ftruncate64 = pc_sym("ftruncate64");
	real_fsync = pc_sym("fsync");
	real_fdatasync = pc_sym("fdatasync");
	real_unlink = pc_sym("unlink");
	real_rename = pc_sym("rename");
}

/* splitmix64: small, and the same choices for the same seed. */
static uint64_t
pc_random(void)
{
	uint64_t	z = (pc.rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
pc_uniform(void)
{
	return (double)(pc_random() >> 11) / 9007199254740992.0;
}

/* 0 (the durable state) with probability 1 - p, else one of 1..n. */
static size_t
pc_pick(size_t n)
{
	if (n == 0 || pc_uniform() >= pc.p)
		return 0;
	return 1 + (size_t)(pc_random() % n);
}

/* DIR/NAME in OUT (PATH_MAX bytes), or a fatal error if too long. */
static void
pc_path(char *out, const char *dir, const char *name)
{
	int	n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || n >= PATH_MAX)
		pc_fatal("%s/%s: path too long", dir, name);
}

/* Write LEN bytes of BUF to PATH, replacing it. */
static void
pc_spill(const char *path, const void *buf, size_t len)
{
	int	fd;

	fd = real_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || (len > 0 && real_write(fd, buf, len) != (ssize_t)len))
		pc_fatal("%s: %s", path, strerror(errno));
	real_close(fd);
}

/*
 * All of PATH (SIZE bytes) in a zeroed buffer with room for at least
 * EXTENT bytes, rounded up to whole sectors.
 */
static unsigned char *
pc_slurp(const char *path, size_t *size, size_t extent)
{
	struct stat	 st;
	unsigned char	*buf;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	if ((fd = real_open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1)
		pc_fatal("%s: %s", path, strerror(errno));
	*size = (size_t)st.st_size;
	if (extent < *size)
		extent = *size;
	extent = (extent + PC_SECTOR - 1) / PC_SECTOR * PC_SECTOR;
	if ((buf = calloc(1, extent + PC_SECTOR)) == NULL)
		pc_fatal("out of memory");
	while (got < *size && (n = pread(fd, buf + got, *size - got,
	    (off_t)got)) > 0)
		got += (size_t)n;
	if (got != *size)
		pc_fatal("%s: short read", path);
	real_close(fd);
	return buf;
}

/* The tracked file PATH names, or NULL; by its last component if NAME. */
static struct pc_file *
pc_file_named(const char *path, bool name)
{
	size_t	i;

	for (i = 0; i < PC_NFILES; i++)
		if (strcmp(path, name ? pc.files[i].name :
		    pc.files[i].path) == 0)
			return &pc.files[i];
	return NULL;
}

__attribute__((constructor))
static void
pc_init(void)
{
	const char	*db = getenv("POWERCUT_DB");
	const char	*dir = getenv("POWERCUT_DIR");
	const char	*at = getenv("POWERCUT_AT");
	const char	*seed = getenv("POWERCUT_SEED");
	const char	*slash;
	char		*end;
	struct pc_file	*f;
	size_t		 i;

	pc_syms();
	if (db == NULL || *db == '\0')
		return;
	if (db[0] != '/' || dir == NULL || *dir == '\0')
		pc_fatal("POWERCUT_DB must be absolute and POWERCUT_DIR set");
	slash = strrchr(db, '/');
	snprintf(pc.dir, sizeof pc.dir, "%.*s", (int)(slash - db), db);
	if (pc.dir[0] == '\0')
		strcpy(pc.dir, "/");
	snprintf(pc.shadowdir, sizeof pc.shadowdir, "%s", dir);
	for (i = 0; i < PC_NFILES; i++) {
		f = &pc.files[i];
		snprintf(f->path, sizeof f->path, "%s%s", db, pc_suffixes[i]);
		snprintf(f->name, sizeof f->name, "%s%s", slash + 1,
		    pc_suffixes[i]);
		pc_path(f->shadow, dir, f->name);
	}
	if (at != NULL && strncmp(at, "sync:", 5) == 0) {
		pc.at = strtol(at + 5, &end, 10);
		if (*end == ':' &&
		    (pc.from = pc_file_named(end + 1, true)) == NULL)
			pc_fatal("POWERCUT_AT=%s: %s is not tracked", at,
			    end + 1);
	} else if (at != NULL && *at != '\0')
		pc_fatal("POWERCUT_AT=%s: want sync:N or sync:N:NAME", at);
	pc.rng = seed != NULL ? strtoull(seed, NULL, 10) : 1;
	pc.p = pc_uniform();
	pc.on = true;
}

/* What FD refers to: PC_FD_NONE, PC_FD_DIR or a file index + 1. */
static int
pc_fd_kind(int fd)
{
	return fd >= 0 && fd < pc.nfds ? pc.fds[fd] : PC_FD_NONE;
}

static void
pc_fd_set(int fd, int kind)
{
	int	n;

	if (fd >= pc.nfds) {
		n = fd + 64;
		if ((pc.fds = realloc(pc.fds, (size_t)n * sizeof *pc.fds)) ==
		    NULL)
			pc_fatal("out of memory");
		memset(pc.fds + pc.nfds, 0, (size_t)(n - pc.nfds) *
		    sizeof *pc.fds);
		pc.nfds = n;
	}
	pc.fds[fd] = kind;
}

/* An unsynced create (LINKED) or unlink of F's name. */
static void
pc_dirop(struct pc_file *f, bool linked)
{
	if (f->ndirops == PC_MAXDIROPS)
		pc_fatal("%s: too many unsynced directory operations",
		    f->name);
	f->dirops[f->ndirops++] = linked;
}

static void
pc_ops_clear(struct pc_file *f)
{
	size_t	i;

	for (i = 0; i < f->nops; i++)
		free(f->ops[i].data);
	f->nops = 0;
}

/* Remember an unsynced write (DATA != NULL) or truncate of file KIND. */
static void
pc_record(int kind, const void *data, size_t len, off64_t off)
{
	struct pc_file	*f = &pc.files[kind - 1];
	struct pc_op	*op;

	if (f->nops == f->opscap) {
		f->opscap = f->opscap ? 2 * f->opscap : 64;
		if ((f->ops = realloc(f->ops, f->opscap * sizeof *f->ops)) ==
		    NULL)
			pc_fatal("out of memory");
	}
	op = &f->ops[f->nops++];
	op->off = off;
	op->len = len;
	op->data = NULL;
	if (data != NULL) {
		if ((op->data = malloc(len)) == NULL)
			pc_fatal("out of memory");
		memcpy(op->data, data, len);
	}
}

/* F is synced: its unsynced operations are durable, in its shadow. */
static void
pc_apply(struct pc_file *f)
{
	const struct pc_op	*op;
	size_t			 i;
	int			 fd;

	if (f->nops == 0)
		return;
	if ((fd = real_open(f->shadow, O_WRONLY | O_CLOEXEC)) == -1)
		pc_fatal("%s: %s", f->shadow, strerror(errno));
	for (i = 0; i < f->nops; i++) {
		op = &f->ops[i];
		if (op->data == NULL ? real_ftruncate64(fd, op->off) == -1 :
		    real_pwrite64(fd, op->data, op->len, op->off) !=
		    (ssize_t)op->len)
			pc_fatal("%s: %s", f->shadow, strerror(errno));
	}
	real_close(fd);
	pc_ops_clear(f);
}

/* The directory is synced: its entries as they are now are durable. */
static void
pc_apply_dir(void)
{
	struct pc_file	*f;
	size_t		 i;

	for (i = 0; i < PC_NFILES; i++) {
		f = &pc.files[i];
		if (f->ndirops == 0)
			continue;
		f->linked = f->dirops[f->ndirops - 1];
		f->ndirops = 0;
		if (!f->linked) {	/* its data went with its inode */
			pc_ops_clear(f);
			pc_spill(f->shadow, NULL, 0);
		}
	}
}

/* The first time this process meets F: what is there now is durable. */
static void
pc_first_sight(struct pc_file *f, bool existed)
{
	unsigned char	*buf;
	size_t		 size = 0;

	f->known = true;
	f->linked = existed;
	buf = existed ? pc_slurp(f->path, &size, 0) : NULL;
	pc_spill(f->shadow, buf, size);
	free(buf);
}

/* The sectors of the file (NSEC of them) that unsynced OP touches. */
static void
pc_op_sectors(const struct pc_op *op, size_t nsec, size_t *first,
    size_t *last)
{
	*first = (size_t)op->off / PC_SECTOR;
	*last = op->data != NULL ? ((size_t)op->off + op->len - 1) / PC_SECTOR :
	    nsec - 1;
	if (*last >= nsec)
		*last = nsec - 1;
}

/*
 * The crash image of F in BUF, which holds its durable content (SIZE
 * bytes) and has room for EXTENT: each sector its unsynced operations
 * touched replays a prefix of those that touched it. Returns the size
 * after the cut; adds the sectors touched and those that got something.
 */
static size_t
pc_image(const struct pc_file *f, unsigned char *buf, size_t size,
    size_t extent, size_t *touched, size_t *landed)
{
	const struct pc_op	*op;
	size_t			*count, *pick, *seen, i, s, k;
	size_t			 nsec, first, last, lo, hi, off;

	nsec = (extent + PC_SECTOR - 1) / PC_SECTOR;
	if ((count = calloc(3 * (nsec + 1), sizeof *count)) == NULL)
		pc_fatal("out of memory");
	pick = count + nsec + 1;
	seen = pick + nsec + 1;
	for (i = 0; i < f->nops; i++) {
		pc_op_sectors(&f->ops[i], nsec, &first, &last);
		for (s = first; s <= last; s++)
			count[s]++;
	}
	for (s = 0; s < nsec; s++) {
		pick[s] = pc_pick(count[s]);
		*touched += count[s] > 0;
		*landed += pick[s] > 0;
	}
	for (i = 0; i < f->nops; i++) {
		op = &f->ops[i];
		off = (size_t)op->off;
		pc_op_sectors(op, nsec, &first, &last);
		for (s = first; s <= last; s++) {
			if (++seen[s] > pick[s])
				continue;
			lo = s * PC_SECTOR > off ? s * PC_SECTOR : off;
			hi = (s + 1) * PC_SECTOR;
			if (op->data == NULL)		/* a truncate */
				memset(buf + lo, 0, hi - lo);
			else {
				if (hi > off + op->len)
					hi = off + op->len;
				memcpy(buf + lo, op->data + (lo - off),
				    hi - lo);
			}
		}
	}
	free(count);
	k = pc_pick(f->nops);
	for (i = 0; i < k; i++) {
		op = &f->ops[i];
		if (op->data == NULL)
			size = (size_t)op->off;
		else if ((size_t)op->off + op->len > size)
			size = (size_t)op->off + op->len;
	}
	return size;
}

/*
 * Cut the power: write the disk as it is after the cut to
 * POWERCUT_DIR/crash/, a summary last, and die at once.
 */
static void __attribute__((noreturn))
pc_cut(void)
{
	char		 crash[PATH_MAX], path[PATH_MAX], note[PATH_MAX];
	unsigned char	*buf;
	size_t		 i, j, size, extent, touched, landed;
	struct pc_file	*f;
	bool		 present;
	int		 fd;

	pc_path(crash, pc.shadowdir, "crash");
	if (mkdir(crash, 0700) == -1 && errno != EEXIST)
		pc_fatal("%s: %s", crash, strerror(errno));
	pc_path(note, crash, "cut.tmp");
	fd = real_open(note, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1)
		pc_fatal("%s: %s", note, strerror(errno));
	dprintf(fd, "sync=%ld counted=%ld from=%s writes=%ld p=%.3f\n",
	    pc.syncs, pc.counted, pc.from != NULL ? pc.from->name : "start",
	    pc.writes, pc.p);
	for (i = 0; i < PC_NFILES; i++) {
		f = &pc.files[i];
		if (!f->known)
			continue;
		j = pc_pick((size_t)f->ndirops);
		present = j > 0 ? f->dirops[j - 1] : f->linked;
		size = touched = landed = 0;
		if (present) {
			extent = 0;
			for (j = 0; j < f->nops; j++)
				if (f->ops[j].data != NULL &&
				    (size_t)f->ops[j].off + f->ops[j].len >
				    extent)
					extent = (size_t)f->ops[j].off +
					    f->ops[j].len;
			buf = pc_slurp(f->shadow, &size, extent);
			if (extent < size)
				extent = size;
			size = pc_image(f, buf, size, extent, &touched,
			    &landed);
			pc_path(path, crash, f->name);
			pc_spill(path, buf, size);
			free(buf);
		}
		dprintf(fd, "file=%s present=%d size=%zu unsynced=%zu "
		    "sectors=%zu landed=%zu dirops=%d\n", f->name, present,
		    size, f->nops, touched, landed, f->ndirops);
	}
	real_close(fd);
	pc_path(path, crash, "cut");
	if (real_rename(note, path) == -1)
		pc_fatal("%s: %s", path, strerror(errno));
	kill(getpid(), SIGKILL);
	_exit(137);
}

/* Count a sync of KIND, and cut if this is the chosen one. */
static void
pc_synced(int kind)
{
	pc.syncs++;
	if (pc.from != NULL && pc.counted == 0 && (kind == PC_FD_DIR ||
	    &pc.files[kind - 1] != pc.from))
		return;
	if (++pc.counted == pc.at)
		pc_cut();
}

/* After a successful open of F (EXISTED before it) as FD. */
static void
pc_opened(struct pc_file *f, bool existed, int flags, int fd)
{
	int	kind = (int)(f - pc.files) + 1;

	if (!f->known) {
		pc_first_sight(f, existed);
		if (!existed)
			pc_dirop(f, true);
	} else if (!existed) {
		if (f->ndirops > 0 && !f->dirops[f->ndirops - 1])
			pc_fatal("%s: re-created before its unlink was "
			    "durable: not modelled", f->name);
		pc_dirop(f, true);
	}
	pc_fd_set(fd, kind);
	if (existed && (flags & O_TRUNC)) {
		pc.writes++;
		pc_record(kind, NULL, 0, 0);
	}
}

/* Every open: track the fd if PATH is one of ours or their directory. */
static int
pc_open(int dirfd, const char *path, int flags, mode_t mode, bool at,
    bool large)
{
	struct pc_file	*f = NULL;
	struct stat	 st;
	bool		 mine, existed = false;
	int		 fd;

	pc_syms();
	mine = pc.on && (dirfd == AT_FDCWD || path[0] == '/');
	if (mine) {
		pthread_mutex_lock(&pc.lock);
		if ((f = pc_file_named(path, false)) != NULL)
			existed = stat(path, &st) == 0;
	}
	if (at)
		fd = (large ? real_openat64 : real_openat)(dirfd, path, flags,
		    mode);
	else
		fd = (large ? real_open64 : real_open)(path, flags, mode);
	if (mine && fd >= 0) {
		if (f != NULL)
			pc_opened(f, existed, flags, fd);
		else if (strcmp(path, pc.dir) == 0)
			pc_fd_set(fd, PC_FD_DIR);
		else
			pc_fd_set(fd, PC_FD_NONE);
	}
	if (mine)
		pthread_mutex_unlock(&pc.lock);
	return fd;
}

/* The mode argument, there only with O_CREAT or O_TMPFILE. */
#define PC_MODE(flags, mode) do {				\
	va_list	ap;						\
								\
	if ((flags) & (O_CREAT | O_TMPFILE)) {			\
		va_start(ap, flags);				\
		mode = (mode_t)va_arg(ap, int);			\
		va_end(ap);					\
	}							\
} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t	mode = 0;

	PC_MODE(flags, mode);
	return pc_open(AT_FDCWD, path, flags, mode, false, false);
}

int
open64(const char *path, int flags, ...)
{
	mode_t	mode = 0;

	PC_MODE(flags, mode);
	return pc_open(AT_FDCWD, path, flags, mode, false, true);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t	mode = 0;

	PC_MODE(flags, mode);
	return pc_open(dirfd, path, flags, mode, true, false);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t	mode = 0;

	PC_MODE(flags, mode);
	return pc_open(dirfd, path, flags, mode, true, true);
}

int
close(int fd)
{
	int	rc;

	pc_syms();
	if (!pc.on)
		return real_close(fd);
	pthread_mutex_lock(&pc.lock);
	if (pc_fd_kind(fd) != PC_FD_NONE)
		pc.fds[fd] = PC_FD_NONE;
	rc = real_close(fd);
	pthread_mutex_unlock(&pc.lock);
	return rc;
}

/* Every write: at OFF, or at the file offset (AT_OFFSET, for write). */
static ssize_t
pc_write(int fd, const void *buf, size_t len, off64_t off, bool at_offset,
    bool large)
{
	ssize_t	n;
	int	kind;

	pc_syms();
	if (pc.on) {
		pthread_mutex_lock(&pc.lock);
		if ((kind = pc_fd_kind(fd)) > 0) {
			pc.writes++;
			if (at_offset && (off = lseek(fd, 0, SEEK_CUR)) == -1)
				pc_fatal("lseek: %s", strerror(errno));
			if ((n = real_pwrite64(fd, buf, len, off)) > 0) {
				pc_record(kind, buf, (size_t)n, off);
				if (at_offset && lseek(fd, off + n, SEEK_SET) ==
				    -1)
					pc_fatal("lseek: %s", strerror(errno));
			}
			pthread_mutex_unlock(&pc.lock);
			return n;
		}
		pthread_mutex_unlock(&pc.lock);
	}
	if (at_offset)
		return real_write(fd, buf, len);
	return large ? real_pwrite64(fd, buf, len, off) :
	    real_pwrite(fd, buf, len, (off_t)off);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	return pc_write(fd, buf, len, 0, true, false);
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return pc_write(fd, buf, len, off, false, false);
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	return pc_write(fd, buf, len, off, false, true);
}

/* Every ftruncate. */
static int
pc_truncate(int fd, off64_t len, bool large)
{
	int	kind, rc;

	pc_syms();
	if (pc.on) {
		pthread_mutex_lock(&pc.lock);
		if ((kind = pc_fd_kind(fd)) > 0) {
			pc.writes++;
			if ((rc = real_ftruncate64(fd, len)) == 0)
				pc_record(kind, NULL, 0, len);
			pthread_mutex_unlock(&pc.lock);
			return rc;
		}
		pthread_mutex_unlock(&pc.lock);
	}
	return large ? real_ftruncate64(fd, len) :
	    real_ftruncate(fd, (off_t)len);
}

int
ftruncate(int fd, off_t len)
{
	return pc_truncate(fd, len, false);
}

int
ftruncate64(int fd, off64_t len)
{
	return pc_truncate(fd, len, true);
}

/* fsync or fdatasync (DATA) of FD; a tracked one may be the cut. */
static int
pc_sync(int fd, bool data)
{
	int	kind, rc;

	pc_syms();
	if (!pc.on)
		return data ? real_fdatasync(fd) : real_fsync(fd);
	pthread_mutex_lock(&pc.lock);
	if ((kind = pc_fd_kind(fd)) == PC_FD_NONE) {
		pthread_mutex_unlock(&pc.lock);
		return data ? real_fdatasync(fd) : real_fsync(fd);
	}
	pc_synced(kind);
	rc = data ? real_fdatasync(fd) : real_fsync(fd);
	if (rc == 0 && kind == PC_FD_DIR)
		pc_apply_dir();
	else if (rc == 0)
		pc_apply(&pc.files[kind - 1]);
	pthread_mutex_unlock(&pc.lock);
	return rc;
}

int
fsync(int fd)
{
	return pc_sync(fd, false);
}

int
fdatasync(int fd)
{
	return pc_sync(fd, true);
}

int
unlink(const char *path)
{
	struct pc_file	*f;
	struct stat	 st;
	int		 rc;

	pc_syms();
	if (!pc.on)
		return real_unlink(path);
	pthread_mutex_lock(&pc.lock);
	if ((f = pc_file_named(path, false)) != NULL && !f->known &&
	    stat(path, &st) == 0)
		pc_first_sight(f, true);
	rc = real_unlink(path);
	if (rc == 0 && f != NULL)
		pc_dirop(f, false);
	pthread_mutex_unlock(&pc.lock);
	return rc;
}

int
rename(const char *from, const char *to)
{
	pc_syms();
	if (pc.on && (pc_file_named(from, false) != NULL ||
	    pc_file_named(to, false) != NULL))
		pc_fatal("rename %s %s: not modelled", from, to);
	return real_rename(from, to);
}
