/*
 * cap_mapguard.h - keeps a file mapping from killing the process when the file shrinks under it.
 * A page of a mapping that lies past the end of its (now shorter) file raises SIGBUS when it is
 * read.  cap_mapguard_add() registers a mapping; the guard's SIGBUS handler then replaces the
 * mapping from the faulting page to its end with zero-filled anonymous pages, marks it cut and
 * lets the read go on.  The reader (cap_source.c) asks cap_mapguard_cut() before and after each
 * record and stops with an error naming the file, instead of dying.  Faults outside every
 * registered mapping get the signal's previous disposition.
 */
#ifndef CAP_MAPGUARD_H
#define CAP_MAPGUARD_H

#include <stdbool.h>
#include <stddef.h>

/* Registers [base, base + len); -1 when all slots are taken (the caller then does not map). */
int cap_mapguard_add(const void *base, size_t len);
/* True once a fault inside the mapping at slot has been repaired with zero pages; *at (may be
 * NULL) is then the faulting byte's offset from the mapping's base. */
bool cap_mapguard_cut(int slot, size_t *at);
/* Forgets the slot (call before munmap). */
void cap_mapguard_remove(int slot);

#endif
