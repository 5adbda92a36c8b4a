/*
 * sim_builtin.c - the built-in scenarios, each one a small lesson about TCP (the handshake, data
 * and acknowledgments, loss and retransmission, closing, and the corner cases textbooks draw).
 * They are scenario files, samples/scenarios/NAME.tcpsim, embedded in the binary at build time
 * (sim_embed.h); loading one parses its text exactly like `--scenario-file` would, so every
 * built-in is also an example of the language.  The list's summaries come from the files'
 * `summary` statements, parsed once on first use.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_embed.h"
#include "sim_parse.h"
#include "sim_scenario.h"

#define N_MAX_BUILTIN 64

/* Parses embedded file k into a fresh script (the caller frees it), or NULL. */
static sim_script *parse_embedded(size_t k)
{
    sim_script *s = malloc(sizeof *s);
    if (s == NULL)
        return NULL;
    const sim_embedded *f = &sim_embedded_files[k];
    if (sim_parse(s, (const char *)f->text, f->len) < 0) {
        free(s);
        return NULL; /* cannot happen for a file that passed the build's tests */
    }
    if (s->sc.name[0] == '\0')
        strncpy(s->sc.name, f->name, sizeof s->sc.name - 1);
    return s;
}

const sim_builtin *sim_builtin_list(void)
{
    static sim_builtin list[N_MAX_BUILTIN + 1];
    static char summary[N_MAX_BUILTIN][SIM_SUMMARY_MAX];
    static bool done;
    if (done)
        return list;
    size_t n = 0;
    for (size_t k = 0; k < sim_embedded_count && n < N_MAX_BUILTIN; k++) {
        sim_script *s = parse_embedded(k);
        if (s == NULL)
            continue;
        memcpy(summary[n], s->summary, sizeof summary[n]);
        free(s);
        list[n].name = sim_embedded_files[k].name;
        list[n].summary = summary[n];
        n++;
    }
    list[n] = (sim_builtin){NULL, NULL};
    done = true;
    return list;
}

sim_script *sim_builtin_script(const char *name)
{
    for (size_t k = 0; k < sim_embedded_count; k++)
        if (strcmp(sim_embedded_files[k].name, name) == 0)
            return parse_embedded(k);
    return NULL;
}

int sim_builtin_load(sim_scenario *sc, const char *name)
{
    for (size_t k = 0; k < sim_embedded_count; k++) {
        if (strcmp(sim_embedded_files[k].name, name) != 0)
            continue;
        sim_script *s = parse_embedded(k);
        if (s == NULL)
            return -1;
        *sc = s->sc;
        free(s);
        return 0;
    }
    return -1;
}
