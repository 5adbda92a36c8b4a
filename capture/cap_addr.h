/*
 * cap_addr.h - printing and comparing the addresses the decoder produces: "10.0.0.1:80" and
 * "[2001:db8::1]:443" (brackets around IPv6, as the JSON output and URLs write them).
 */
#ifndef TCPSIM_CAP_ADDR_H
#define TCPSIM_CAP_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap_decode.h"

/* Enough for "[" + the longest IPv6 text (45) + "]:65535" and the terminator. */
#define CAP_ENDPOINT_STRLEN 56

/* Writes the address alone ("10.0.0.1", "::1"); returns buf, or "?" copied for a bad family. */
const char *cap_addr_str(const cap_addr *a, char *buf, size_t size);

/* Writes "ADDR:PORT" with IPv6 in brackets; returns buf. */
const char *cap_endpoint_str(const cap_addr *a, uint16_t port, char *buf, size_t size);

/* Same family and bytes. */
bool cap_addr_eq(const cap_addr *a, const cap_addr *b);

#endif
