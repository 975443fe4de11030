/* phys_web.c — the physics engine's three implementations, in both engines, exported to
   JavaScript.

   The page (web/app.js) creates one simulation per implementation from the same engine, scene,
   n and seed, steps each in batches, reads the positions straight out of linear memory to
   draw them, and asks for the checksum of the final positions: the same FNV-1a 64 that
   `ss-run physics --checksum` prints, so the two can be compared digit for digit (both engines
   compute the same bits).

       int         web_create(impl, engine, scene, n, seed)
                                                      a handle > 0, or 0 and web_error();
                                                      engine: "loop" or "array"
       double      web_run(h, steps)                  steps them; the engine's seconds
       unsigned    web_n(h); double web_steps(h)
       float      *web_x(h), *web_y(h), *web_r(h)     n floats each, in linear memory
       double      web_width(h), web_height(h)        the box
       const char *web_checksum(h)                    16 hex digits
       unsigned    web_contacts(h)                    contacts in the last step
       double      web_allocs(h)                      allocator calls of the last step
       void        web_destroy(h)
       const char *web_build(void)                    compiler and flags of this module
       const char *web_stack_sizes(void)              "16 64 ..." (the stack build's sizes)
       const char *web_error(void)                    why the last web_create failed
       const char *web_region_probe(kind)             "ok", or why a region of that kind
                                                      (ss_region_kind) cannot be made here
*/
#include <emscripten/emscripten.h>
#include <emscripten/version.h>
#include <stdio.h>
#include <string.h>

#include "physics_scenes.h"
#include "ss_region.h"

#ifndef PHYS_WEB_FLAGS
#error "build with -DPHYS_WEB_FLAGS='\"...\"' (web/Makefile does): the page states its flags"
#endif

#define WEB_MAX_SIMS 16

typedef struct web_sim {
    const phys_impl *impl;
    void *engine;
    phys_world *w;
} web_sim;

static web_sim sims[WEB_MAX_SIMS + 1]; /* handle 0 is "none" */
static char error[256];
static char text[64];

static web_sim *sim(int h) {
    if (h < 1 || h > WEB_MAX_SIMS || sims[h].w == NULL) return NULL;
    return &sims[h];
}

EMSCRIPTEN_KEEPALIVE const char *web_error(void) { return error; }

EMSCRIPTEN_KEEPALIVE const char *web_build(void) {
    static char build[512];
    snprintf(build, sizeof build, "emcc %d.%d.%d (clang %d.%d.%d), %s", __EMSCRIPTEN_major__,
             __EMSCRIPTEN_minor__, __EMSCRIPTEN_tiny__, __clang_major__, __clang_minor__,
             __clang_patchlevel__, PHYS_WEB_FLAGS);
    return build;
}

/* Which region kinds work in this module: a fixed one must; the OS-backed ones cannot. */
EMSCRIPTEN_KEEPALIVE const char *web_region_probe(int kind) {
    static char probe[512];
    ss_region r;
    if (ss_region_create_kind(&r, "probe", (size_t)1 << 20, (ss_region_kind)kind) != 0) {
        snprintf(probe, sizeof probe, "%s", ss_region_error());
        return probe;
    }
    float *p = ss_alloc(ss_region_allocator(&r), 1000);
    p[0] = 1.0f;
    const int ok = ss_region_used(&r) >= 1000 * sizeof(float);
    ss_region_destroy(&r);
    return ok ? "ok" : "allocation not accounted";
}

EMSCRIPTEN_KEEPALIVE const char *web_stack_sizes(void) {
    static char sizes[128];
    size_t len = 0;
#define PHYS__SIZE(N) len += (size_t)snprintf(sizes + len, sizeof sizes - len, "%s%d", len ? " " : "", N);
    PHYS_STACK_SIZES(PHYS__SIZE)
#undef PHYS__SIZE
    return sizes;
}

EMSCRIPTEN_KEEPALIVE int web_create(const char *impl_name, const char *engine_name, const char *scene_name,
                                    unsigned n, unsigned seed) {
    error[0] = '\0';
    const int form = phys_engine_from_name(engine_name);
    if (form < 0) {
        snprintf(error, sizeof error, "unknown engine '%s' (loop, array)", engine_name);
        return 0;
    }
    const int scene = phys_scene_from_name(scene_name);
    if (scene < 0) {
        snprintf(error, sizeof error, "unknown scene '%s' (rain, billiards, cloth, nbody)", scene_name);
        return 0;
    }
    if (n < 1 || n > (1u << 20)) {
        snprintf(error, sizeof error, "n = %u is not in [1, 1048576]", n);
        return 0;
    }
    if (strcmp(impl_name, "bump") && strcmp(impl_name, "malloc") && strcmp(impl_name, "stack")) {
        snprintf(error, sizeof error, "unknown implementation '%s' (bump, malloc, stack)", impl_name);
        return 0;
    }
    const phys_impl *impl = phys_impl_find_engine(impl_name, (phys_engine)form, n);
    if (impl == NULL) {
        snprintf(error, sizeof error, "the stack implementation is not built for n = %u; built sizes: %s", n,
                 web_stack_sizes());
        return 0;
    }
    int h = 1;
    while (h <= WEB_MAX_SIMS && sims[h].w != NULL) h++;
    if (h > WEB_MAX_SIMS) {
        snprintf(error, sizeof error, "%d simulations exist already", WEB_MAX_SIMS);
        return 0;
    }
    phys_world *w = phys_world_create((phys_scene)scene, n, seed);
    if (w == NULL) {
        snprintf(error, sizeof error, "cannot allocate a %s world of %u bodies (linear memory full?)",
                 scene_name, n);
        return 0;
    }
    void *engine = impl->create(w); /* on failure it has said why on stderr (the console) */
    if (engine == NULL) {
        snprintf(error, sizeof error, "%s (%s engine): cannot create it for n = %u (linear memory full?)",
                 impl_name, engine_name, n);
        phys_world_free(w);
        return 0;
    }
    sims[h] = (web_sim){impl, engine, w};
    return h;
}

EMSCRIPTEN_KEEPALIVE double web_run(int h, unsigned steps) {
    web_sim *s = sim(h);
    if (s == NULL) return -1.0;
    const double t0 = emscripten_get_now();
    s->impl->run(s->engine, s->w, steps);
    return (emscripten_get_now() - t0) * 1e-3;
}

EMSCRIPTEN_KEEPALIVE unsigned web_n(int h) { return sim(h) ? sim(h)->w->n : 0; }
EMSCRIPTEN_KEEPALIVE double web_steps(int h) { return sim(h) ? (double)sim(h)->w->steps : -1.0; }
EMSCRIPTEN_KEEPALIVE float *web_x(int h) { return sim(h) ? sim(h)->w->x : NULL; }
EMSCRIPTEN_KEEPALIVE float *web_y(int h) { return sim(h) ? sim(h)->w->y : NULL; }
EMSCRIPTEN_KEEPALIVE float *web_r(int h) { return sim(h) ? sim(h)->w->r : NULL; }
EMSCRIPTEN_KEEPALIVE double web_width(int h) { return sim(h) ? (double)sim(h)->w->p.width : 0.0; }
EMSCRIPTEN_KEEPALIVE double web_height(int h) { return sim(h) ? (double)sim(h)->w->p.height : 0.0; }
EMSCRIPTEN_KEEPALIVE unsigned web_contacts(int h) { return sim(h) ? sim(h)->w->contacts_last : 0; }
EMSCRIPTEN_KEEPALIVE double web_allocs(int h) {
    return sim(h) ? (double)sim(h)->impl->allocs_per_step(sim(h)->engine, sim(h)->w) : 0.0;
}

EMSCRIPTEN_KEEPALIVE const char *web_checksum(int h) {
    if (sim(h) == NULL) return "";
    snprintf(text, sizeof text, "%016llx", (unsigned long long)phys_checksum(sim(h)->w));
    return text;
}

EMSCRIPTEN_KEEPALIVE void web_destroy(int h) {
    web_sim *s = sim(h);
    if (s == NULL) return;
    s->impl->destroy(s->engine);
    phys_world_free(s->w);
    *s = (web_sim){0};
}
