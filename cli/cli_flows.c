/*
 * cli_flows.c - parses --flow N,M,... (see cli_flows.h).
 */
#include "cli_flows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cli_flow_is_list(const char *s)
{
    return s != NULL && strchr(s, ',') != NULL;
}

int cli_flow_list(const char *s, uint32_t *out, size_t max, size_t *n, char *err, size_t errlen)
{
    const char *p = s;
    *n = 0;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[24], *stop = NULL;
        unsigned long v;
        if (len == 0) {
            snprintf(err, errlen, "bad --flow '%s': an empty item (write N,M,... without spaces)",
                     s);
            return -1;
        }
        snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item - 1 ? len : sizeof item - 1),
                 p);
        v = strtoul(item, &stop, 10);
        if (len >= sizeof item || *stop || item[0] < '0' || item[0] > '9' || v > UINT32_MAX - 1) {
            snprintf(err, errlen, "bad --flow '%s': '%s' is not a connection number", s, item);
            return -1;
        }
        if (v == 0) {
            snprintf(err, errlen, "bad --flow '%s': connection numbers start at 1", s);
            return -1;
        }
        for (size_t k = 0; k < *n; k++)
            if (out[k] == v) {
                snprintf(err, errlen, "bad --flow '%s': connection %lu is listed twice", s, v);
                return -1;
            }
        if (*n == max) {
            snprintf(err, errlen, "bad --flow '%s': one diagram draws at most %zu connections", s,
                     max);
            return -1;
        }
        out[(*n)++] = (uint32_t)v;
        if (end == NULL)
            return 0;
        p = end + 1;
    }
}
