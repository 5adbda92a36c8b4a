/*
 * rnd_build.c - the ladder pipeline up to the layout (see rnd_build.h).
 */
#include "rnd_build.h"

#include <stdio.h>

int rnd_built_make(rnd_built *b, const trace_buf *tr, const rnd_options *opts, const char *path,
                   char *err, size_t errlen)
{
    int rc = opts->nconns >= 2
                 ? rnd_model_build_multi(&b->m, tr, opts->conns, opts->nconns, opts, err, errlen)
                 : rnd_model_build(&b->m, tr, opts, err, errlen);
    if (rc != 0)
        return rc;
    rnd_style_default(&b->st);
    b->st.time_axis = (uint8_t)opts->time_axis;
    if (rnd_fonts_init(&b->fonts, &b->st) != 0) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cannot write %s: cairo has no usable font", path);
        rnd_model_free(&b->m);
        return RND_ERUNTIME;
    }
    if (rnd_layout_build(&b->lay, &b->m, &b->st, rnd_fonts_measure, &b->fonts) != 0) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "cannot write %s: out of memory", path);
        rnd_layout_free(&b->lay);
        rnd_fonts_free(&b->fonts);
        rnd_model_free(&b->m);
        return RND_ERUNTIME;
    }
    return 0;
}

void rnd_built_free(rnd_built *b)
{
    rnd_layout_free(&b->lay);
    rnd_fonts_free(&b->fonts);
    rnd_model_free(&b->m);
}
