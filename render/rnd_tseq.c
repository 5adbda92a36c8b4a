/* placeholder */
#include "rnd.h"
int rnd_write_tseq(const trace_buf *tr, const rnd_options *opts, const char *path, char *err, size_t errlen) { (void)tr;(void)opts;(void)path;(void)err;(void)errlen; return RND_EREQUEST; }
