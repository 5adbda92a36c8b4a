/*
 * rnd_paint.h - draws a ladder layout with cairo, one page at a time, and the palette shared with
 * the time-sequence graph.  The painter decides nothing about positions: everything comes from the
 * layout, so PNG, SVG and PDF differ only in the cairo surface underneath.
 */
#ifndef TCPSIM_RND_PAINT_H
#define TCPSIM_RND_PAINT_H

#include <cairo.h>

#include "rnd_font.h"
#include "rnd_layout.h"

typedef struct rnd_rgb {
    double r, g, b;
} rnd_rgb;

/* Colour, line width and dash pattern of an arrow style (also used by the legend and the graph). */
typedef struct rnd_pen {
    rnd_rgb color;
    double width;
    double dash[4];
    int ndash;
} rnd_pen;

const rnd_pen *rnd_pen_of(int arrow_style);
/* The pen of an arrow style for connection ci of a diagram (index in the model's conns): data
 * and ACK arrows of the first connection as rnd_pen_of, of the others in the connection's own
 * colour; retransmissions, duplicate ACKs, zero windows and resets keep their colours. */
rnd_pen rnd_pen_conn(int arrow_style, unsigned ci);
/* The colour of connection ci (its data arrows). */
rnd_rgb rnd_conn_rgb(unsigned ci);
/* Text colour of a label of that style and connection: the arrow's colour, a little darker. */
rnd_rgb rnd_label_rgb(int arrow_style, unsigned ci);
void rnd_set_rgb(cairo_t *cr, rnd_rgb c);
void rnd_set_pen(cairo_t *cr, const rnd_pen *p);

/* Paints the part of lay that page pg shows; the caller has set up a page of pg's size.  The
 * whole diagram as one page is {0, lay->height, 0, false}. */
void rnd_paint_page(const rnd_layout *lay, const rnd_fonts *f, cairo_t *cr, const rnd_page *pg);

#endif
