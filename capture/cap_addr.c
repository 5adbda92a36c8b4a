/*
 * cap_addr.c - address text (cap_addr.h), through inet_ntop so IPv6 is printed in its
 * canonical compressed form (RFC 5952).
 */
#include "cap_addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

const char *cap_addr_str(const cap_addr *a, char *buf, size_t size)
{
    int af = a->family == CAP_FAMILY_IPV4 ? AF_INET : a->family == CAP_FAMILY_IPV6 ? AF_INET6 : -1;
    if (size == 0)
        return buf;
    if (af < 0 || size > (size_t)INT32_MAX || inet_ntop(af, a->bytes, buf, (socklen_t)size) == NULL)
        snprintf(buf, size, "?");
    return buf;
}

const char *cap_endpoint_str(const cap_addr *a, uint16_t port, char *buf, size_t size)
{
    char host[INET6_ADDRSTRLEN];
    cap_addr_str(a, host, sizeof host);
    if (a->family == CAP_FAMILY_IPV6)
        snprintf(buf, size, "[%s]:%u", host, (unsigned)port);
    else
        snprintf(buf, size, "%s:%u", host, (unsigned)port);
    return buf;
}

bool cap_addr_eq(const cap_addr *a, const cap_addr *b)
{
    return a->family == b->family && memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}
