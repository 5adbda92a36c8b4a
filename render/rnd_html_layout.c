/*
 * rnd_html_layout.c - the ladder layouts the explorer page draws (rnd_html.h).  The layout JSON
 * ("tcpsim-ladder-layout", docs/diagrams.md) comes from the true-time diagrams' renderer; until
 * it is part of render/ the object is empty and the page lays the ladder out itself.
 */
#include "rnd_html.h"

int rnd_html_layouts(FILE *out, const trace_buf *tr, const rnd_options *o)
{
    (void)tr;
    (void)o;
    fputs("{}", out);
    return 0;
}
