/* physics_scenes.h — the toy 2D rigid-disc engine's problem, written once: scenes and their
   initial states (one seeded PRNG), the world every implementation steps, the invariant checks,
   and the interface each implementation (impl_bump/, impl_malloc/, impl_stack/) exports.

   THE ENGINE (each impl_X/physics.c, same arithmetic in the same order)

   One step of length dt, symplectic Euler:
     1. forces into per-step temporaries fx, fy: gravity (m g), cloth springs (Hooke + damping
        along the spring), nbody softened pairwise gravity (each pair once, equal and opposite);
        then v += f · (1/m) · dt.
     2. broad phase: a uniform grid of cells (side p.cell ≥ the largest diameter) over the box;
        a counting sort of the bodies by cell (per-step temporaries: cell ids, counts, offsets,
        order). Bodies outside the box are clamped to the border cells.
     3. narrow phase: each body against the later bodies of its cell and of the half-stencil
        of neighbour cells (E, NW, N, NE), so every pair is tested once, in a fixed order;
        overlapping pairs are pushed onto a growable contact list, bodies touching a wall
        onto a second one.
     4. sequential impulses: p.iterations passes over the contacts, then the wall contacts;
        accumulated impulses clamped at 0; a contact's target normal velocity is the larger
        of the Baumgarte separation speed p.beta · (overlap − p.slop) / dt and, for contacts
        closing faster than p.bounce_threshold, the restitution target −e·vn₀.
     5. x += v · dt, then every body is clamped into the box (walls) — the last write of the
        step, so containment holds exactly.
   Only + − × ÷ and sqrt on float32 (and + on the double statistics): with -ffp-contract=off
   gcc, clang and WebAssembly compute the same bits. sqrtf compiles to sqrtss; libm's sqrtf
   is reached only on the errno path for a negative argument, which a sum of squares never is.

   Bodies with inverse mass 0 (cloth's top row) never move: every velocity update is
   multiplied by their inverse mass, so the drift adds 0, and walls skip them.

   TWO ENGINES (PHYS_ENGINES), the same step in two formulations, in every implementation:
     loop   impl_X/physics.c: per-body and per-pair loops over the world's arrays; eight
            temporaries a step (four in the broad phase, two force arrays, two contact lists).
     array  impl_X/physics_array.c: the seed's rk4 style, everything before the solver as
            expressions over whole arrays with the implementation's vector library
            (impl_X/vec.h), one fresh array per operation: forces (springs as per-spring arrays
            added to both ends in spring order; nbody by rows, each row's sum sequential), the
            kick, the cell ids, the narrow phase over gathered candidate pairs (blocks of at
            most PHYS_MAX_PAIRS(n), compacted in the loop engine's order with its capacity cut),
            the wall contacts, the drift and the clamping.
   Both share the sequential-impulse solver and the wall-impulse sums (impl_X/physics_common.h),
   whose Gauss–Seidel order is the result's bits, and compute every element with the same
   operations in the same order: the two engines give the same bits.
*/
#ifndef PHYSICS_SCENES_H
#define PHYSICS_SCENES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* PHYS_STACK_SIZES(X): the stack implementation is built once per size, from SS_PHYS_SIZES
   (workloads/CMakeLists.txt); the others take any n ≥ 1. */
#include "ss_sizes.h"

#ifdef __cplusplus
extern "C" {
#endif

//~ Scenes

#define PHYS_SCENES(X)                                                                                       \
    X(rain, "discs fall into a box and come to rest")                                                        \
    X(billiards, "no gravity, elastic discs and walls")                                                      \
    X(cloth, "a net of springs hanging from its pinned top row")                                             \
    X(nbody, "softened pairwise gravity, colliding discs, no walls")

typedef enum phys_scene {
#define PHYS__X(name, doc) PHYS_##name,
    PHYS_SCENES(PHYS__X)
#undef PHYS__X
        PHYS_SCENE_COUNT
} phys_scene;


/* Capacities every implementation respects, so all three agree even at the limit:
   grid cells per scene (scenes are laid out within it) and contacts per step (a disc
   overlapping more than 16 others is a broken simulation; past it, contacts are dropped
   and the world's `overflow` flag fails the check). */
#define PHYS_MAX_CELLS(n) (8u * (n) + 64u)
#define PHYS_MAX_CONTACTS(n) (8u * (n) + 64u)
/* Cloth has fewer springs than two per body (one right, one down). */
#define PHYS_MAX_SPRINGS(n) (2u * (n))
/* The array engine examines candidate pairs in blocks of at most this many, so its arrays are
   bounded whatever the scene (all n bodies in one cell make n(n-1)/2 candidates). Rain has at
   most 7n candidates in a step and nbody up to 26n: most steps take one block. */
#define PHYS_MAX_PAIRS(n) (8u * (n) + 64u)

typedef struct phys_params {
    float dt;                 /* s */
    float gx, gy;             /* gravity, m/s² */
    float restitution;        /* e */
    float bounce_threshold;   /* closing speeds below this do not bounce (rest) */
    float beta, slop;         /* Baumgarte: overlap fraction removed per step, allowed overlap */
    unsigned iterations;      /* sequential-impulse passes per step */
    int walls;                /* 0: open space (nbody) */
    float width, height;      /* the box [0, width] × [0, height] */
    float cell;               /* grid cell side ≥ 2 · largest radius */
    unsigned grid_w, grid_h;  /* cells; grid_w · grid_h ≤ PHYS_MAX_CELLS(n) */
    float spring_k, spring_c; /* cloth: stiffness (N/m), damping (N·s/m) */
    float G, softening;       /* nbody */
} phys_params;

typedef struct phys_spring {
    unsigned a, b;
    float rest;
} phys_spring;

/* One contact: a touches b along the unit normal (nx, ny) from a to b; for a wall contact
   b is unused and the normal points from the body into the wall. */
typedef struct phys_contact {
    unsigned a, b;
    float nx, ny;
    float bias; /* the normal velocity to reach */
    float mass; /* 1 / (1/m_a + 1/m_b) */
    float acc;  /* accumulated impulse, ≥ 0 */
} phys_contact;

/* The state all implementations step. Arrays of n (structure of arrays). */
typedef struct phys_world {
    phys_scene scene;
    unsigned n;
    uint64_t seed;
    phys_params p;
    float *x, *y, *vx, *vy;
    float *r, *m, *inv_m;
    unsigned nsprings;
    phys_spring *springs;
    /* Written by the engine (identically in every implementation). */
    uint64_t steps;
    uint64_t contacts_total, walls_total; /* contacts found, summed over steps */
    unsigned contacts_last, walls_last;   /* in the last step */
    unsigned contacts_max;                /* the most in one step */
    double wall_px, wall_py;              /* momentum the walls gave, summed */
    int overflow;                         /* contact capacity was exceeded */
} phys_world;

//~ Engines and implementations: each implementation exports one phys_impl per engine (stack:
//  one per engine and size).

#define PHYS_ENGINES(X)                                                                                      \
    X(loop, "per-body and per-pair loops, eight temporaries a step")                                         \
    X(array, "whole-array expressions, a fresh array per operation (the seed's rk4 style)")

typedef enum phys_engine {
#define PHYS__X(name, doc) PHYS_ENGINE_##name,
    PHYS_ENGINES(PHYS__X)
#undef PHYS__X
        PHYS_ENGINE_COUNT
} phys_engine;

typedef struct phys_impl {
    const char *name;   /* "bump", "malloc", "stack" */
    phys_engine engine; /* PHYS_ENGINE_loop or PHYS_ENGINE_array */
    unsigned n;         /* stack: the one n it was built for; 0: any */
    /* Per-world resources (bump: the region); NULL and a message on stderr on failure. */
    void *(*create)(const phys_world *w);
    void (*run)(void *engine, phys_world *w, unsigned steps);
    void (*destroy)(void *engine);
    /* Allocator calls the last step made (0 before the first): every call that obtains memory,
       counted alike in every implementation: ss_alloc, ss_new and ss_push's growth; malloc,
       calloc and realloc (a growing list's realloc too); 0 for the stack implementation.
       tests/test_physics_allocs.c counts the real calls and requires this number. */
    unsigned long (*allocs_per_step)(const void *engine, const phys_world *w);
} phys_impl;

extern const phys_impl phys_impl_bump, phys_impl_malloc;             /* the loop engine */
extern const phys_impl phys_impl_bump_array, phys_impl_malloc_array; /* the array engine */
#define PHYS__DECL_STACK(N) extern const phys_impl phys_impl_stack_##N, phys_impl_stack_array_##N;
PHYS_STACK_SIZES(PHYS__DECL_STACK)
#undef PHYS__DECL_STACK

/* Only programs linked with every implementation may call these. NULL if `name` is unknown,
   `engine` is not an engine or, for "stack", if n is not a built size. */
static inline const phys_impl *phys_impl_find_engine(const char *name, phys_engine engine, unsigned n) {
    const int array = engine == PHYS_ENGINE_array;
    if (engine != PHYS_ENGINE_loop && !array) return NULL;
    if (!strcmp(name, "bump")) return array ? &phys_impl_bump_array : &phys_impl_bump;
    if (!strcmp(name, "malloc")) return array ? &phys_impl_malloc_array : &phys_impl_malloc;
    if (!strcmp(name, "stack")) {
#define PHYS__FIND_STACK(N)                                                                                  \
    if (n == N) return array ? &phys_impl_stack_array_##N : &phys_impl_stack_##N;
        PHYS_STACK_SIZES(PHYS__FIND_STACK)
#undef PHYS__FIND_STACK
    }
    return NULL;
}

/* The loop engine (the default). */
static inline const phys_impl *phys_impl_find(const char *name, unsigned n) {
    return phys_impl_find_engine(name, PHYS_ENGINE_loop, n);
}

//~ Scenes, worlds (physics_scenes.c)

extern const char *const phys_scene_names[PHYS_SCENE_COUNT];
extern const char *const phys_scene_docs[PHYS_SCENE_COUNT];
int phys_scene_from_name(const char *name); /* -1 if unknown */
extern const char *const phys_engine_names[PHYS_ENGINE_COUNT];
extern const char *const phys_engine_docs[PHYS_ENGINE_COUNT];
int phys_engine_from_name(const char *name); /* -1 if unknown */

/* A scene's initial state, identical for every implementation; NULL and errno on failure. */
phys_world *phys_world_create(phys_scene scene, unsigned n, uint64_t seed);
phys_world *phys_world_copy(const phys_world *w);
void phys_world_set(phys_world *dst, const phys_world *src); /* same scene and n */
void phys_world_free(phys_world *w);

/* Bitwise equality of the state and the engine's statistics; 0 if equal, else 1 and the
   first difference in `why`. */
int phys_world_diff(const phys_world *a, const phys_world *b, char *why, size_t len);

/* FNV-1a 64 over the bits of the positions (x then y). */
uint64_t phys_checksum(const phys_world *w);

//~ Invariants

/* Watches a run step by step: keeps the initial world and what the bounds need. */
typedef struct phys_watch {
    phys_world *initial;
    double momentum_bound; /* rounding bound on |p − p₀ − J_walls| (physics_scenes.c) */
    double momentum_var;   /* its square */
    double energy_scale;   /* the largest kinetic energy observed */
    uint64_t steps;
} phys_watch;

int phys_watch_begin(phys_watch *wa, const phys_world *w);
void phys_watch_step(phys_watch *wa, const phys_world *w); /* after every step */
void phys_watch_end(phys_watch *wa);

/* The scene's invariants on the world now; 0 if all hold, else 1 and which one failed and
   by how much in `why`. `settled`: also require rain to have come to rest. */
int phys_check(const phys_watch *wa, const phys_world *w, int settled, char *why, size_t len);

/* Steps after which rain at n bodies is expected to be at rest (its fall time plus settling). */
unsigned phys_rain_settle_steps(unsigned n);

double phys_kinetic_energy(const phys_world *w);
void phys_momentum(const phys_world *w, double *px, double *py);

#ifdef __cplusplus
}
#endif

#endif /* PHYSICS_SCENES_H */
