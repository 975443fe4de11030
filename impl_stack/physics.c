/* physics.c (impl_stack) — the toy rigid-disc engine of workloads/physics_scenes.h.
   Memory: capacities fixed at compile time (-DPHYS_N=n, one build per size); every per-step
   temporary is a fixed array sized for n bodies: on the stack up to n = 1024 (about 430 KiB),
   in static storage above (16384 bodies need about 6 MiB, more than a default 8 MiB stack
   can spare safely) — so a build above 1024 steps one world at a time. */
#include "physics_common.h"

//~ Forces, then velocities (symplectic Euler: velocities first)

static void phys_forces(const phys_world *w, float *fx, float *fy) {
    const unsigned n = PHYS_N;
    const phys_params *p = &w->p;
    for (unsigned i = 0; i < n; i++) {
        fx[i] = w->m[i] * p->gx;
        fy[i] = w->m[i] * p->gy;
    }
    for (unsigned s = 0; s < w->nsprings; s++) {
        const unsigned a = w->springs[s].a, b = w->springs[s].b;
        const float dx = w->x[b] - w->x[a], dy = w->y[b] - w->y[a];
        const float d = sqrtf(dx * dx + dy * dy);
        if (!(d > 0.0f)) continue; /* coincident ends: no direction */
        const float ux = dx / d, uy = dy / d;
        const float vrel = (w->vx[b] - w->vx[a]) * ux + (w->vy[b] - w->vy[a]) * uy;
        const float f = p->spring_k * (d - w->springs[s].rest) + p->spring_c * vrel;
        fx[a] += f * ux;
        fy[a] += f * uy;
        fx[b] -= f * ux;
        fy[b] -= f * uy;
    }
    if (p->G != 0.0f) {
        const float soft2 = p->softening * p->softening;
        for (unsigned i = 0; i < n; i++) {
            float fxi = 0.0f, fyi = 0.0f;
            for (unsigned j = i + 1; j < n; j++) {
                const float dx = w->x[j] - w->x[i], dy = w->y[j] - w->y[i];
                const float d2 = dx * dx + dy * dy + soft2;
                const float inv_d = 1.0f / sqrtf(d2);
                const float s = p->G * w->m[i] * w->m[j] * (inv_d * inv_d * inv_d);
                fxi += s * dx;
                fyi += s * dy;
                fx[j] -= s * dx;
                fy[j] -= s * dy;
            }
            fx[i] += fxi;
            fy[i] += fyi;
        }
    }
}

static void phys_kick(phys_world *w, const float *fx, const float *fy) {
    const unsigned n = PHYS_N;
    const float dt = w->p.dt;
    for (unsigned i = 0; i < n; i++) {
        w->vx[i] += fx[i] * w->inv_m[i] * dt;
        w->vy[i] += fy[i] * w->inv_m[i] * dt;
    }
}

//~ Broad phase: a counting sort of the bodies by grid cell

static unsigned phys_cell_of(const phys_params *p, float x, float y) {
    float cx = x / p->cell, cy = y / p->cell;
    /* Clamp in float first: converting an out-of-range (or NaN) float to unsigned is undefined. */
    if (!(cx >= 0.0f)) cx = 0.0f;
    if (!(cy >= 0.0f)) cy = 0.0f;
    if (cx > (float)(p->grid_w - 1)) cx = (float)(p->grid_w - 1);
    if (cy > (float)(p->grid_h - 1)) cy = (float)(p->grid_h - 1);
    return (unsigned)cy * p->grid_w + (unsigned)cx;
}

/* offset[c] .. offset[c + 1] index `order` for the bodies of cell c, in body order. */
static void phys_broad_phase(const phys_world *w, unsigned *cell, unsigned *count, unsigned *offset,
                             unsigned *order) {
    const unsigned n = PHYS_N;
    const unsigned ncells = w->p.grid_w * w->p.grid_h;
    for (unsigned c = 0; c < ncells; c++) count[c] = 0;
    for (unsigned i = 0; i < n; i++) {
        cell[i] = phys_cell_of(&w->p, w->x[i], w->y[i]);
        count[cell[i]]++;
    }
    unsigned sum = 0;
    for (unsigned c = 0; c < ncells; c++) {
        offset[c] = sum;
        sum += count[c];
        count[c] = offset[c]; /* from here on: where the cell's next body goes */
    }
    offset[ncells] = sum;
    for (unsigned i = 0; i < n; i++) order[count[cell[i]]++] = i;
}

//~ Narrow phase: overlapping pairs and wall contacts into growable lists

static void phys_touch(const phys_world *w, unsigned a, unsigned b, phys_contacts *contacts, int *overflow) {
    const float dx = w->x[b] - w->x[a], dy = w->y[b] - w->y[a];
    const float rs = w->r[a] + w->r[b];
    const float d2 = dx * dx + dy * dy;
    if (!(d2 < rs * rs)) return;
    const float wsum = w->inv_m[a] + w->inv_m[b];
    if (wsum == 0.0f) return; /* two pinned bodies */
    if (contacts->len == PHYS_MAX_CONTACTS(w->n)) {
        *overflow = 1;
        return;
    }
    const float d = sqrtf(d2);
    const float overlap = rs - d - w->p.slop;
    phys_contact c = {.a = a, .b = b, .nx = 1.0f, .ny = 0.0f, .bias = 0.0f, .mass = 1.0f / wsum, .acc = 0.0f};
    if (d > 0.0f) {
        c.nx = dx / d;
        c.ny = dy / d;
    }
    /* Baumgarte: separate at the speed that removes the fraction beta of the overlap in a step. */
    if (overlap > 0.0f) c.bias = w->p.beta / w->p.dt * overlap;
    phys_push(contacts, c);
}

static void phys_narrow_phase(const phys_world *w, const unsigned *offset, const unsigned *order,
                              phys_contacts *contacts, int *overflow) {
    /* The half-stencil: each pair of neighbouring cells is visited from one side only. */
    static const int sx[4] = {1, -1, 0, 1}, sy[4] = {0, 1, 1, 1};
    const unsigned gw = w->p.grid_w, gh = w->p.grid_h;
    for (unsigned cy = 0; cy < gh; cy++) {
        for (unsigned cx = 0; cx < gw; cx++) {
            const unsigned c = cy * gw + cx;
            for (unsigned k = offset[c]; k < offset[c + 1]; k++) {
                const unsigned a = order[k];
                for (unsigned l = k + 1; l < offset[c + 1]; l++)
                    phys_touch(w, a, order[l], contacts, overflow);
                for (int s = 0; s < 4; s++) {
                    const int ox = (int)cx + sx[s], oy = (int)cy + sy[s];
                    if (ox < 0 || ox >= (int)gw || oy >= (int)gh) continue;
                    const unsigned o = (unsigned)oy * gw + (unsigned)ox;
                    for (unsigned l = offset[o]; l < offset[o + 1]; l++)
                        phys_touch(w, a, order[l], contacts, overflow);
                }
            }
        }
    }
}

static void phys_wall(const phys_world *w, unsigned a, float nx, float ny, phys_contacts *walls) {
    phys_contact c = {
        .a = a, .b = a, .nx = nx, .ny = ny, .bias = 0.0f, .mass = 1.0f / w->inv_m[a], .acc = 0.0f};
    phys_push(walls, c);
}

static void phys_find_walls(const phys_world *w, phys_contacts *walls) {
    const unsigned n = PHYS_N;
    const phys_params *p = &w->p;
    if (!p->walls) return;
    for (unsigned i = 0; i < n; i++) {
        if (w->inv_m[i] == 0.0f) continue;
        const float x = w->x[i], y = w->y[i], r = w->r[i];
        if (x - r <= 0.0f) phys_wall(w, i, -1.0f, 0.0f, walls);
        if (x + r >= p->width) phys_wall(w, i, 1.0f, 0.0f, walls);
        if (y - r <= 0.0f) phys_wall(w, i, 0.0f, -1.0f, walls);
        if (y + r >= p->height) phys_wall(w, i, 0.0f, 1.0f, walls);
    }
}

//~ Positions

static void phys_drift(phys_world *w) {
    const unsigned n = PHYS_N;
    const float dt = w->p.dt;
    for (unsigned i = 0; i < n; i++) {
        w->x[i] += w->vx[i] * dt;
        w->y[i] += w->vy[i] * dt;
    }
}

static void phys_clamp(phys_world *w) {
    const unsigned n = PHYS_N;
    const phys_params *p = &w->p;
    if (!p->walls) return;
    for (unsigned i = 0; i < n; i++) {
        if (w->inv_m[i] == 0.0f) continue;
        const float r = w->r[i];
        if (w->x[i] < r) w->x[i] = r;
        if (w->x[i] > p->width - r) w->x[i] = p->width - r;
        if (w->y[i] < r) w->y[i] = r;
        if (w->y[i] > p->height - r) w->y[i] = p->height - r;
    }
}

//~ The step

static void phys_step(phys_world *w) {
    PHYS_TEMP float fx[PHYS_N];
    PHYS_TEMP float fy[PHYS_N];
    PHYS_TEMP unsigned cell[PHYS_N];
    PHYS_TEMP unsigned count[PHYS_MAX_CELLS(PHYS_N)];
    PHYS_TEMP unsigned offset[PHYS_MAX_CELLS(PHYS_N) + 1];
    PHYS_TEMP unsigned order[PHYS_N];
    PHYS_TEMP phys_contact contact_store[PHYS_MAX_CONTACTS(PHYS_N)];
    PHYS_TEMP phys_contact wall_store[4 * PHYS_N];
    phys_contacts contacts = {contact_store, 0};
    phys_contacts walls = {wall_store, 0};
    int overflow = 0;

    phys_forces(w, fx, fy);
    phys_kick(w, fx, fy);
    phys_broad_phase(w, cell, count, offset, order);
    phys_narrow_phase(w, offset, order, &contacts, &overflow);
    phys_find_walls(w, &walls);
    phys_solve(w, &contacts, &walls);
    phys_drift(w);
    phys_clamp(w);

    phys_tally(w, &contacts, &walls, overflow);
}

//~ Engine lifetime

static void *phys_create(const phys_world *w) { return phys_create_handle(w, "loop"); }

const phys_impl PHYS_NAME(phys_impl_stack_, PHYS_N) = PHYS_IMPL(loop);
