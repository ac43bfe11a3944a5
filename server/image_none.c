/*
 * server/image_none.c: no embedded demo image (the first-stage build that
 * makes the image); the final binary links the generated image_gen.c.
 */
#include <stddef.h>

extern const unsigned char embed_demo_db[];
extern const size_t embed_demo_db_len;

const unsigned char embed_demo_db[] = { 0 };
const size_t embed_demo_db_len = 0;
