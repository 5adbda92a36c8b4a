/*
 * cap_mapguard.c - the SIGBUS guard of file mappings (cap_mapguard.h).  A handful of slots (one
 * per capture source reading through mmap at once), written only outside the handler; the
 * handler reads them, patches the faulting mapping with MAP_FIXED anonymous pages (a system call
 * that is safe here: it touches no lock of the C library) and sets the slot's cut flag.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */

#include "cap_mapguard.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAPGUARD_SLOTS 8

typedef struct mapguard_slot {
    volatile uintptr_t base; /* 0: free */
    volatile size_t len;
    volatile size_t at; /* the first faulting byte's offset */
    volatile sig_atomic_t cut;
} mapguard_slot;

static mapguard_slot slots[MAPGUARD_SLOTS];
static struct sigaction previous;
static uintptr_t page_size; /* read outside the handler: sysconf is not async-signal-safe */

static void mapguard_handler(int sig, siginfo_t *info, void *ctx)
{
    uintptr_t a = (uintptr_t)info->si_addr;
    for (int i = 0; i < MAPGUARD_SLOTS; i++) {
        uintptr_t b = slots[i].base;
        size_t len = slots[i].len;
        if (b == 0 || a < b || a - b >= len)
            continue;
        uintptr_t from = a & ~(page_size - 1), end = b + len;
        if (mmap((void *)from, (size_t)(end - from), PROT_READ,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
            break; /* cannot repair: die as without the guard */
        if (!slots[i].cut)
            slots[i].at = (size_t)(a - b);
        slots[i].cut = 1;
        return;
    }
    /* not ours: the previous disposition, raised again on return */
    if (previous.sa_flags & SA_SIGINFO) {
        previous.sa_sigaction(sig, info, ctx);
        return;
    }
    if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
        return;
    }
    signal(sig, SIG_DFL);
}

int cap_mapguard_add(const void *base, size_t len)
{
    if (page_size == 0)
        page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    /* (re)installed whenever someone else's handler has taken SIGBUS since */
    struct sigaction now;
    if (sigaction(SIGBUS, NULL, &now) != 0)
        return -1;
    if (!(now.sa_flags & SA_SIGINFO) || now.sa_sigaction != mapguard_handler) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = mapguard_handler;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGBUS, &sa, &previous) != 0)
            return -1;
    }
    for (int i = 0; i < MAPGUARD_SLOTS; i++) {
        if (slots[i].base != 0)
            continue;
        slots[i].cut = 0;
        slots[i].len = len;
        slots[i].base = (uintptr_t)base;
        return i;
    }
    return -1;
}

bool cap_mapguard_cut(int slot, size_t *at)
{
    if (slot < 0 || slot >= MAPGUARD_SLOTS || slots[slot].cut == 0)
        return false;
    if (at != NULL)
        *at = slots[slot].at;
    return true;
}

void cap_mapguard_remove(int slot)
{
    if (slot < 0 || slot >= MAPGUARD_SLOTS)
        return;
    slots[slot].base = 0;
    slots[slot].len = 0;
    slots[slot].cut = 0;
}
