#include <zlib.h>

/* deflateInit2 / inflateInit2 are macros Swift cannot call: raw deflate (RFC 1951, no zlib
   header) as COMPRESS=DEFLATE requires (RFC 4978 §3), window 2^15. */
static inline int czlib_deflate_init_raw(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init_raw(z_streamp stream) {
    return inflateInit2(stream, -15);
}
