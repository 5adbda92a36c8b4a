/*
 * cap_skip.c - the names of the skip reasons (cap_skip.h).  The table is indexed by the enum, so
 * a reason added to the enum without a name fails the build (static assertion below).
 */
#include "cap_skip.h"

#include <string.h>

static const char *const skip_names[] = {
    [CAP_SKIP_NONE] = "none",
    [CAP_SKIP_NOT_IP] = "not-ip",
    [CAP_SKIP_NOT_TCP] = "not-tcp",
    [CAP_SKIP_TRUNCATED] = "truncated",
    [CAP_SKIP_MALFORMED_LINK] = "malformed-link",
    [CAP_SKIP_MALFORMED_IP] = "malformed-ip",
    [CAP_SKIP_MALFORMED_TCP] = "malformed-tcp",
    [CAP_SKIP_FRAGMENT] = "fragment",
    [CAP_SKIP_UNSUPPORTED_LINK] = "unsupported-link",
};

_Static_assert(sizeof skip_names / sizeof skip_names[0] == CAP_SKIP_COUNT,
               "every cap_skip value needs a name");

const char *cap_skip_name(cap_skip why)
{
    if ((unsigned)why >= CAP_SKIP_COUNT)
        return "?";
    return skip_names[why];
}

int cap_skip_parse(const char *name)
{
    if (name == NULL)
        return -1;
    for (int i = 0; i < CAP_SKIP_COUNT; i++) {
        if (strcmp(skip_names[i], name) == 0)
            return i;
    }
    return -1;
}
