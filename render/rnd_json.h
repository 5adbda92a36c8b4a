/*
 * rnd_json.h - writes a ladder layout as JSON ("tcpsim-ladder-layout" version 1, documented in
 * docs/diagrams.md, section "Layout JSON").
 */
#ifndef TCPSIM_RND_JSON_H
#define TCPSIM_RND_JSON_H

#include <stdio.h>

#include "rnd_layout.h"
#include "rnd_model.h"
#include "rnd_text.h"

/* Writes lay (built from m) to fp.  Returns 0, or RND_ERUNTIME when fp reports an error. */
int rnd_json_write(FILE *fp, const rnd_layout *lay, const rnd_model *m);

#endif
