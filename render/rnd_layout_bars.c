/*
 * rnd_layout_bars.c - activation bars of a ladder diagram: the time a socket call is blocked,
 * from the application event that says it blocks (u.app.phase TRACE_CALL_BLOCKS) to the next one
 * of the same host, socket and call that says it returns (TRACE_CALL_RETURNS), drawn as a narrow
 * bar on the caller's lifeline, as UML sequence diagrams draw an activation.  A call that blocked
 * before the selection starts at the top of the body, one still blocked at its end runs to the
 * bottom.  Only the socket API of hosted scenarios says when a call returns (u.app.has_ret), so
 * the classic scenarios get no bars.
 */
#include <stdlib.h>
#include <string.h>

#include "rnd_layout.h"

enum { BAR_W = 8 };

static bool is_phase(const trace_event *e, uint8_t phase)
{
    return e->kind == TRACE_APP && e->u.app.has_ret && e->u.app.phase == phase;
}

/* The same call of the same socket of the same host. */
static bool same_call(const trace_event *a, const trace_event *b)
{
    return a->u.app.call == b->u.app.call &&
           strncmp(a->u.app.host, b->u.app.host, sizeof a->u.app.host) == 0 &&
           strncmp(a->u.app.sock, b->u.app.sock, sizeof a->u.app.sock) == 0;
}

bool rnd_model_has_blocked(const rnd_model *m)
{
    for (size_t i = 0; i < m->nev; i++)
        if (is_phase(m->ev[i], TRACE_CALL_BLOCKS) || is_phase(m->ev[i], TRACE_CALL_RETURNS))
            return true;
    return false;
}

static rnd_abar *push_bar(rnd_layout *L, size_t *cap)
{
    if (L->nabars == *cap) {
        size_t n = *cap ? *cap * 2 : 8;
        rnd_abar *p = realloc(L->abars, n * sizeof *p);
        if (p == NULL)
            return NULL;
        L->abars = p;
        *cap = n;
    }
    memset(&L->abars[L->nabars], 0, sizeof L->abars[0]);
    return &L->abars[L->nabars++];
}

static void set_call(rnd_abar *b, const rnd_layout *L, const rnd_row *r, const trace_event *e)
{
    b->ep = e->ep < 2 ? e->ep : 0;
    b->lane = r->lane;
    b->ci = r->ci;
    b->call = e->u.app.call;
    b->x = L->lane_x[b->lane];
    b->w = BAR_W;
    memcpy(b->host, e->u.app.host, sizeof b->host);
    b->host[sizeof b->host - 1] = '\0';
    memcpy(b->sock, e->u.app.sock, sizeof b->sock);
    b->sock[sizeof b->sock - 1] = '\0';
}

/* The lane of a trace event of the diagram's connections (or of a host's own call when it
 * draws several), or -1 if it is not drawn. */
static int event_lane(const rnd_layout *L, const rnd_model *m, const trace_event *e)
{
    for (size_t c = 0; c < m->nconns; c++)
        if (e->conn == m->conns[c].conn)
            return m->conns[c].lane[e->ep & 1];
    for (int l = 0; m->nconns > 1 && e->conn == 0 && l < L->nlanes; l++)
        if (strncmp(m->head[l], e->u.app.host, sizeof e->u.app.host) == 0)
            return l;
    return -1;
}

/* Calls that blocked before the selection and return after it (or never): a bar through it.
 * The trace is searched, since the model holds neither end.  With cap NULL only counts them. */
static int bars_through(rnd_layout *L, const rnd_model *m, size_t *cap, double y_top, double y_end)
{
    int n = 0;
    for (size_t i = 0; i < m->nbase; i++) {
        const trace_event *e = &m->base[i];
        const trace_event *ret = NULL;
        rnd_abar *b;
        rnd_row r;
        int lane;
        if (!is_phase(e, TRACE_CALL_BLOCKS) || (int64_t)e->t >= m->t_first)
            continue;
        lane = event_lane(L, m, e);
        if (lane < 0)
            continue;
        for (size_t j = i + 1; j < m->nbase && ret == NULL; j++)
            if (is_phase(&m->base[j], TRACE_CALL_RETURNS) && same_call(e, &m->base[j]) &&
                m->base[j].conn == e->conn)
                ret = &m->base[j];
        if (ret != NULL && (int64_t)ret->t <= m->t_last)
            continue; /* it returns in the selection: drawn with its return */
        n++;
        if (cap == NULL)
            continue;
        b = push_bar(L, cap);
        if (b == NULL)
            return -1;
        memset(&r, 0, sizeof r);
        r.lane = (uint8_t)lane;
        r.ci = RND_CI_NONE;
        for (size_t c = 0; c < m->nconns; c++)
            if (e->conn == m->conns[c].conn)
                r.ci = (uint8_t)c;
        set_call(b, L, &r, e);
        b->open_start = b->open_end = true;
        b->y0 = y_top;
        b->y1 = y_end;
        b->t0 = m->t_first;
        b->t1 = m->t_last;
        b->ev0 = b->ev1 = SIZE_MAX;
    }
    return n;
}

bool rnd_layout_has_blocked(rnd_layout *lay, const rnd_model *m)
{
    return rnd_model_has_blocked(m) || bars_through(lay, m, NULL, 0.0, 0.0) > 0;
}

int rnd_layout_bars(rnd_layout *L, const rnd_model *m, double y_top, double y_end)
{
    size_t cap = 0, *row = malloc((m->nev ? m->nev : 1) * sizeof *row);
    bool *used = calloc(m->nev ? m->nev : 1, sizeof *used); /* a return matched to its call */
    int rc = -1;
    L->nabars = 0;
    if (row == NULL || used == NULL)
        goto out;
    for (size_t i = 0; i < m->nev; i++)
        row[i] = SIZE_MAX;
    for (size_t r = 0; r < L->nrows; r++)
        if (L->rows[r].kind == RND_ROW_APP && L->rows[r].ref < m->nev)
            row[L->rows[r].ref] = r;
    for (size_t i = 0; i < m->nev; i++) {
        const trace_event *e = m->ev[i];
        rnd_abar *b;
        size_t j;
        if (row[i] == SIZE_MAX || !is_phase(e, TRACE_CALL_BLOCKS))
            continue;
        for (j = i + 1; j < m->nev; j++)
            if (!used[j] && is_phase(m->ev[j], TRACE_CALL_RETURNS) && same_call(e, m->ev[j]))
                break;
        b = push_bar(L, &cap);
        if (b == NULL)
            goto out;
        set_call(b, L, &L->rows[row[i]], e);
        b->y0 = L->rows[row[i]].y;
        b->t0 = m->ev_t[i];
        b->ev0 = rnd_model_ev_index(m, e);
        if (j < m->nev && row[j] != SIZE_MAX) {
            used[j] = true;
            b->y1 = L->rows[row[j]].y;
            b->t1 = m->ev_t[j];
            b->ev1 = rnd_model_ev_index(m, m->ev[j]);
        } else {
            b->open_end = true;
            b->y1 = y_end;
            b->t1 = m->t_last;
            b->ev1 = SIZE_MAX;
        }
    }
    /* returns whose call blocked before the selection */
    for (size_t j = 0; j < m->nev; j++) {
        rnd_abar *b;
        if (used[j] || row[j] == SIZE_MAX || !is_phase(m->ev[j], TRACE_CALL_RETURNS))
            continue;
        b = push_bar(L, &cap);
        if (b == NULL)
            goto out;
        set_call(b, L, &L->rows[row[j]], m->ev[j]);
        b->open_start = true;
        b->y0 = y_top;
        b->t0 = m->t_first;
        b->ev0 = SIZE_MAX;
        b->y1 = L->rows[row[j]].y;
        b->t1 = m->ev_t[j];
        b->ev1 = rnd_model_ev_index(m, m->ev[j]);
    }
    if (bars_through(L, m, &cap, y_top, y_end) < 0)
        goto out;
    /* calls blocked at once on one lifeline (a server's accept and read): nested, UML-style,
     * each a little to the right of the one it overlaps */
    for (size_t i = 0; i < L->nabars; i++) {
        unsigned k = 0;
        for (size_t j = 0; j < i; j++)
            if (L->abars[j].lane == L->abars[i].lane && L->abars[j].y0 < L->abars[i].y1 - 0.5 &&
                L->abars[i].y0 < L->abars[j].y1 - 0.5)
                k++;
        L->abars[i].x += k * (BAR_W / 2.0 + 1.0);
    }
    rc = 0;
out:
    free(row);
    free(used);
    return rc;
}
