/*
 * server/time/tzif.c: the TZif reader. The whole file is read into memory
 * (it is at most TZIF_FILE_MAX bytes) and parsed with every count and
 * index checked against the bytes actually there, since a zone name can
 * come from a request and the file could be anything.
 */
#include "build-config.h"

#include "tzif.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "posix_tz.h"

/* Caps on hostile or broken input. */
#define TZIF_FILE_MAX (1 << 20)
#define TZIF_TIMES_MAX 100000
#define FOOTER_MAX 256
/* RFC 8536 §3.2: utoff must be in [-89999, 93599] */
#define UTOFF_MIN (-89999)
#define UTOFF_MAX 93599

struct tzif {
	int64_t *times;         /* owned, strictly ascending */
	unsigned char *idx;     /* owned, type of each transition */
	size_t timecnt;
	int32_t utoff[256];     /* offset of each local time type */
	bool has_footer;
	struct posix_tz footer;
};

static uint32_t be32(const unsigned char *p) {
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int64_t be64(const unsigned char *p) {
	uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
	return (int64_t)v;
}

struct tzif_header {
	char version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static bool read_header(const unsigned char *p, size_t n,
		struct tzif_header *h) {
	if (n < 44 || memcmp(p, "TZif", 4)) {
		return false;
	}
	h->version = (char)p[4];
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	return h->typecnt >= 1 && h->typecnt <= 256 &&
		h->timecnt <= TZIF_TIMES_MAX && h->charcnt <= 65536 &&
		(h->isstdcnt == 0 || h->isstdcnt == h->typecnt) &&
		(h->isutcnt == 0 || h->isutcnt == h->typecnt) &&
		h->leapcnt <= 65536;
}

static size_t block_size(const struct tzif_header *h, size_t tsize) {
	return (size_t)h->timecnt * tsize + h->timecnt + h->typecnt * 6 +
		h->charcnt + (size_t)h->leapcnt * (tsize + 4) + h->isstdcnt +
		h->isutcnt;
}

/* Parse a whole TZif file into @tzif: 0, -EINVAL or -ENOMEM. */
static int parse(const unsigned char *p, size_t n, struct tzif *tzif) {
	struct tzif_header h = { 0 };
	if (!read_header(p, n, &h)) {
		return -EINVAL;
	}
	size_t tsize = 4;
	if (h.version >= '2') {
		size_t skip = 44 + block_size(&h, 4);
		if (skip > n) {
			return -EINVAL;
		}
		p += skip;
		n -= skip;
		if (!read_header(p, n, &h)) {
			return -EINVAL;
		}
		tsize = 8;
	}
	p += 44;
	n -= 44;
	size_t need = block_size(&h, tsize);
	if (need > n) {
		return -EINVAL;
	}
	if (h.leapcnt) {
		/* "right/" zones count leap seconds; we do not model them */
		return -EINVAL;
	}
	tzif->timecnt = h.timecnt;
	if (h.timecnt) {
		tzif->times = calloc(h.timecnt, sizeof(*tzif->times));
		tzif->idx = calloc(h.timecnt, 1);
		if (!tzif->times || !tzif->idx) {
			return -ENOMEM;
		}
	}
	const unsigned char *q = p;
	for (size_t i = 0; i < h.timecnt; i++, q += tsize) {
		tzif->times[i] = tsize == 8 ? be64(q) : (int32_t)be32(q);
		if (i && tzif->times[i] <= tzif->times[i - 1]) {
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < h.timecnt; i++, q++) {
		if (*q >= h.typecnt) {
			return -EINVAL;
		}
		tzif->idx[i] = *q;
	}
	for (size_t i = 0; i < h.typecnt; i++, q += 6) {
		int32_t off = (int32_t)be32(q);
		if (off < UTOFF_MIN || off > UTOFF_MAX || q[4] > 1) {
			return -EINVAL;
		}
		tzif->utoff[i] = off;
	}
	if (h.version < '2') {
		return 0;
	}
	p += need;
	n -= need;
	/* RFC 8536 §3.3: "\n" TZ-string "\n", the string possibly empty */
	if (n < 2 || p[0] != '\n') {
		return -EINVAL;
	}
	const unsigned char *nl = memchr(p + 1, '\n', n - 1);
	if (!nl || nl - (p + 1) > FOOTER_MAX) {
		return -EINVAL;
	}
	size_t flen = (size_t)(nl - (p + 1));
	if (!flen) {
		return 0;
	}
	if (!posix_tz_parse((const char *)p + 1, flen, &tzif->footer)) {
		return -EINVAL;
	}
	tzif->has_footer = true;
	return 0;
}

struct tzif *tzif_parse(const unsigned char *buf, size_t n) {
	struct tzif *tzif = calloc(1, sizeof(*tzif));
	if (!tzif) {
		return NULL;
	}
	int err = parse(buf, n, tzif);
	if (err) {
		tzif_destroy(tzif);
		errno = -err;
		return NULL;
	}
	return tzif;
}

void tzif_destroy(struct tzif *tzif) {
	if (!tzif) {
		return;
	}
	free(tzif->times);
	free(tzif->idx);
	free(tzif);
}

/* The whole of @path into *buf (owned) and *size; 0 or a negative errno. */
static int read_file(const char *path, unsigned char **buf, size_t *size) {
	int ret = 0;
	unsigned char *data = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	struct stat st = { 0 };
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 44 ||
			st.st_size > TZIF_FILE_MAX) {
		ret = -EINVAL;
		goto out;
	}
	size_t n = (size_t)st.st_size;
	data = malloc(n);
	if (!data) {
		ret = -ENOMEM;
		goto out;
	}
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, data + got, n - got);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			/* a file that shrank under us reads as malformed */
			ret = r < 0 ? -errno : -EINVAL;
			goto out;
		}
		got += (size_t)r;
	}
	*buf = data;
	*size = n;
	data = NULL;
out:
	free(data);
	close(fd);
	return ret;
}

struct tzif *tzif_load(const char *dir, const char *name) {
	char path[PATH_MAX];
	int len = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	unsigned char *buf = NULL;
	size_t size = 0;
	int err = read_file(path, &buf, &size);
	if (err) {
		errno = -err;
		return NULL;
	}
	struct tzif *tzif = tzif_parse(buf, size);
	if (!tzif && errno == EINVAL) {
		/* debug only: names come from requests ("leapseconds") */
		log_debug("'%s' is not a usable TZif file", path);
	}
	int saved = errno;
	free(buf);
	errno = saved;
	return tzif;
}

int32_t tzif_offset(const struct tzif *tzif, int64_t t) {
	size_t n = tzif->timecnt;
	if (!n || t < tzif->times[0]) {
		/* RFC 8536 §3.2: type 0 before the first transition */
		return n || !tzif->has_footer ? tzif->utoff[0] :
			posix_tz_offset(&tzif->footer, t);
	}
	size_t lo = 0;
	size_t hi = n;
	/* last transition <= t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tzif->times[mid] <= t) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	if (lo == n - 1 && tzif->has_footer) {
		return posix_tz_offset(&tzif->footer, t);
	}
	return tzif->utoff[tzif->idx[lo]];
}
