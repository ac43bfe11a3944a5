/*
 * server/data/resources.h: SuperOffice resource strings (the text behind an
 * [SR_...] reference, per language) as one reader sees them. A reader reads
 * the whole resource table when it opens, sorted by (id, language), and
 * finds a text by binary search: one SQL statement per reference was 12%
 * of an uncached translated answer. Used only by the thread holding the
 * reader.
 */
#ifndef SERVER_DATA_RESOURCES_H
#define SERVER_DATA_RESOURCES_H

#include <stddef.h>

struct resource_entry;
struct sqlite3;

/* One reader's copy of the resource table. Start it as { 0 }. */
struct resources {
	struct resource_entry *entries;  /* owned, sorted by (id, language) */
	size_t n;
	char *text;                      /* owned: every string of entries */
};

/*
 * Read every resource of @db into @res (empty). 0, -EIO when the query
 * cannot be prepared (logged) or -ENOMEM; on error @res may hold part of
 * the table: resources_finish() it.
 */
int resources_load(struct resources *res, struct sqlite3 *db);
/* Free what @res holds and zero it. Cannot fail. */
void resources_finish(struct resources *res);

/*
 * The text of resource @id (@n bytes, no brackets) in language @prefix, or
 * NULL. @reader is a struct store_reader (i18n_resource_fn's user data);
 * the text is borrowed while the reader is held (until
 * store_reader_release).
 */
const char *store_resource(void *reader, const char *id, size_t n,
	const char *prefix);

#endif
