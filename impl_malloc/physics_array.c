/* physics_array.c (impl_malloc) — the engine of workloads/physics_scenes.h in the array style of
   the seed's rk4: every phase before the solver is expressions over whole arrays (structure of
   arrays), one operation a line, each returning a fresh malloc'd array (vec.h) that is freed
   when its variable goes out of scope (VEC, IDX: at the end of its phase, row or block).
   The solver and the wall-impulse sums are the loop engine's (physics_common.h). Every element
   takes the loop engine's operations in its order (physics.c): the two engines' bits agree. */
#include <limits.h>

#include "physics_common.h"
#include "vec.h"

/* The five cells a body meets candidates in: its own (the bodies after it in `order`) and the
   loop engine's half-stencil E, NW, N, NE. −1 is UINT_MAX: off the left edge the column wraps
   past grid_w, where the bounds test rejects it. */
static const unsigned phys_sx[5] = {0, 1, UINT_MAX, 0, 1}, phys_sy[5] = {0, 0, 1, 1, 1};

/* The walls in the loop engine's order per body: left, right, bottom, top. */
static const float phys_wall_nx[4] = {-1.0f, 1.0f, 0.0f, 0.0f}, phys_wall_ny[4] = {0.0f, 0.0f, -1.0f, 1.0f};

//~ Forces, then velocities (symplectic Euler: velocities first)

/* Cloth: each spring's force as arrays over the springs; springs whose ends coincide (no
   direction) are left out; then each force is added to one end and taken from the other in
   spring order, so every body sums its springs as the loop engine does. */
enum { PHYS_SPRING_ARRAYS = 36 };
static void phys_springs(const phys_world *w, float *fx, float *fy) {
    const unsigned ns = w->nsprings;
    const phys_params *p = &w->p;
    IDX unsigned *sa = new_indices(ns);
    IDX unsigned *sb = new_indices(ns);
    VEC float *rest = new_vector(ns);
    for (unsigned s = 0; s < ns; s++) { /* the scene keeps springs as records: their columns */
        sa[s] = w->springs[s].a;
        sb[s] = w->springs[s].b;
        rest[s] = w->springs[s].rest;
    }
    VEC float *xa = gather(w->x, sa, ns);
    VEC float *xb = gather(w->x, sb, ns);
    VEC float *ya = gather(w->y, sa, ns);
    VEC float *yb = gather(w->y, sb, ns);
    VEC float *dx = sub_vv(xb, xa, ns);
    VEC float *dy = sub_vv(yb, ya, ns);
    VEC float *dx2 = mul_vv(dx, dx, ns);
    VEC float *dy2 = mul_vv(dy, dy, ns);
    VEC float *d2 = add_vv(dx2, dy2, ns);
    VEC float *d = sqrt_v(d2, ns);
    VEC float *ux = div_vv(dx, d, ns);
    VEC float *uy = div_vv(dy, d, ns);
    VEC float *vxa = gather(w->vx, sa, ns);
    VEC float *vxb = gather(w->vx, sb, ns);
    VEC float *vya = gather(w->vy, sa, ns);
    VEC float *vyb = gather(w->vy, sb, ns);
    VEC float *dvx = sub_vv(vxb, vxa, ns);
    VEC float *dvy = sub_vv(vyb, vya, ns);
    VEC float *vrel_x = mul_vv(dvx, ux, ns);
    VEC float *vrel_y = mul_vv(dvy, uy, ns);
    VEC float *vrel = add_vv(vrel_x, vrel_y, ns);
    VEC float *stretch = sub_vv(d, rest, ns);
    VEC float *f_spring = mul_vs(stretch, p->spring_k, ns);
    VEC float *f_damp = mul_vs(vrel, p->spring_c, ns);
    VEC float *f = add_vv(f_spring, f_damp, ns);
    VEC float *fux = mul_vv(f, ux, ns);
    VEC float *fuy = mul_vv(f, uy, ns);
    IDX unsigned *apart = gt_vs(d, 0.0f, ns);
    const unsigned nk = sum_u(apart, ns);
    IDX unsigned *kept = nonzero(apart, ns, nk);
    IDX unsigned *ka = gather_u(sa, kept, nk);
    IDX unsigned *kb = gather_u(sb, kept, nk);
    VEC float *kfx = gather(fux, kept, nk);
    VEC float *kfy = gather(fuy, kept, nk);
    scatter_pairs(fx, ka, kb, kfx, nk);
    scatter_pairs(fy, ka, kb, kfy, nk);
}

/* nbody, row i: body i against the bodies j > i, as arrays over j. Body i's share is summed
   left to right (the loop engine's order), the others' taken from them in place. */
enum { PHYS_ROW_ARRAYS = 14 };
static void phys_gravity_row(const phys_world *w, unsigned i, float *fx, float *fy) {
    const unsigned m = w->n - i - 1;
    const phys_params *p = &w->p;
    const float soft2 = p->softening * p->softening;
    VEC float *dx = sub_vs(w->x + i + 1, w->x[i], m);
    VEC float *dy = sub_vs(w->y + i + 1, w->y[i], m);
    VEC float *dx2 = mul_vv(dx, dx, m);
    VEC float *dy2 = mul_vv(dy, dy, m);
    VEC float *r2 = add_vv(dx2, dy2, m);
    VEC float *d2 = add_vs(r2, soft2, m);
    VEC float *d = sqrt_v(d2, m);
    VEC float *inv_d = div_sv(1.0f, d, m);
    VEC float *inv_d2 = mul_vv(inv_d, inv_d, m);
    VEC float *inv_d3 = mul_vv(inv_d2, inv_d, m);
    VEC float *gm = mul_vs(w->m + i + 1, p->G * w->m[i], m);
    VEC float *s = mul_vv(gm, inv_d3, m);
    VEC float *sdx = mul_vv(s, dx, m);
    VEC float *sdy = mul_vv(s, dy, m);
    fx[i] += sum_v(sdx, m);
    fy[i] += sum_v(sdy, m);
    sub_vv_to(fx + i + 1, fx + i + 1, sdx, m);
    sub_vv_to(fy + i + 1, fy + i + 1, sdy, m);
}

static void phys_forces(const phys_world *w, float *fx, float *fy) {
    if (w->nsprings) phys_springs(w, fx, fy);
    if (w->p.G == 0.0f) return;
    for (unsigned i = 0; i < w->n; i++) {
        phys_gravity_row(w, i, fx, fy);
    }
}

enum { PHYS_KICK_ARRAYS = 4 };
static void phys_kick(phys_world *w, const float *fx, const float *fy) {
    const unsigned n = w->n;
    const float dt = w->p.dt;
    VEC float *ax = mul_vv(fx, w->inv_m, n);
    VEC float *ay = mul_vv(fy, w->inv_m, n);
    VEC float *dvx = mul_vs(ax, dt, n);
    VEC float *dvy = mul_vs(ay, dt, n);
    add_vv_to(w->vx, w->vx, dvx, n);
    add_vv_to(w->vy, w->vy, dvy, n);
}

//~ Broad phase: the cell ids as array expressions, then a counting sort (vec.h)

enum { PHYS_CELL_ARRAYS = 14 };
static unsigned *phys_cells(const phys_world *w) {
    const unsigned n = w->n;
    const phys_params *p = &w->p;
    const float right = (float)(p->grid_w - 1), top = (float)(p->grid_h - 1);
    VEC float *cx = div_vs(w->x, p->cell, n);
    VEC float *cy = div_vs(w->y, p->cell, n);
    /* Clamp in float first, NaN to 0: converting an out-of-range float to unsigned is undefined. */
    IDX unsigned *cx_in = ge_vs(cx, 0.0f, n);
    IDX unsigned *cy_in = ge_vs(cy, 0.0f, n);
    VEC float *cx0 = select_vs(cx_in, cx, 0.0f, n);
    VEC float *cy0 = select_vs(cy_in, cy, 0.0f, n);
    IDX unsigned *cx_left = le_vs(cx0, right, n);
    IDX unsigned *cy_below = le_vs(cy0, top, n);
    VEC float *cx1 = select_vs(cx_left, cx0, right, n);
    VEC float *cy1 = select_vs(cy_below, cy0, top, n);
    IDX unsigned *col = as_index(cx1, n);
    IDX unsigned *row = as_index(cy1, n);
    IDX unsigned *row_start = mul_us(row, p->grid_w, n);
    return add_uu(row_start, col, n);
}

//~ Narrow phase: candidate pairs as ranges of the sorted bodies, examined in blocks

/* The step's candidate pairs, in the loop engine's order: range k pairs body[k] with
   order[first[k] + i] for i < bounds[k + 1] − bounds[k]; bounds counts them from the first. */
typedef struct phys_ranges {
    const unsigned *order, *body, *first, *bounds;
    unsigned count;
} phys_ranges;

/* The solver's records (physics_common.h), appended to the list; bias NULL: 0. */
static void phys_pack(phys_contacts *list, const unsigned *a, const unsigned *b, const float *nx,
                      const float *ny, const float *bias, const float *mass, unsigned k) {
    phys_contact *c = list->data + list->len;
    for (unsigned i = 0; i < k; i++)
        c[i] = (phys_contact){.a = a[i],
                              .b = b[i],
                              .nx = nx[i],
                              .ny = ny[i],
                              .bias = bias ? bias[i] : 0.0f,
                              .mass = mass[i],
                              .acc = 0.0f};
    list->len += k;
}

/* Candidates q0 … q0 + m − 1: their geometry over gathered arrays; the touching pairs that are
   not both pinned, compacted in order into the contact list up to its capacity (past it the
   step overflows); then the contacts' normals, Baumgarte biases and masses. */
enum { PHYS_PAIR_ARRAYS = 47 };
static void phys_pairs(const phys_world *w, const phys_ranges *g, unsigned q0, unsigned m,
                       phys_contacts *contacts, int *overflow) {
    IDX unsigned *q = iota(q0, m);
    IDX unsigned *range = segment_of(g->bounds, g->count, q0, m);
    IDX unsigned *a = gather_u(g->body, range, m);
    IDX unsigned *start = gather_u(g->bounds, range, m);
    IDX unsigned *skip = sub_uu(q, start, m);
    IDX unsigned *from = gather_u(g->first, range, m);
    IDX unsigned *at = add_uu(from, skip, m);
    IDX unsigned *b = gather_u(g->order, at, m);
    VEC float *xa = gather(w->x, a, m);
    VEC float *xb = gather(w->x, b, m);
    VEC float *ya = gather(w->y, a, m);
    VEC float *yb = gather(w->y, b, m);
    VEC float *dx = sub_vv(xb, xa, m);
    VEC float *dy = sub_vv(yb, ya, m);
    VEC float *ra = gather(w->r, a, m);
    VEC float *rb = gather(w->r, b, m);
    VEC float *rs = add_vv(ra, rb, m);
    VEC float *dx2 = mul_vv(dx, dx, m);
    VEC float *dy2 = mul_vv(dy, dy, m);
    VEC float *d2 = add_vv(dx2, dy2, m);
    VEC float *rs2 = mul_vv(rs, rs, m);
    IDX unsigned *touch = lt_vv(d2, rs2, m);
    VEC float *wa = gather(w->inv_m, a, m);
    VEC float *wb = gather(w->inv_m, b, m);
    VEC float *wsum = add_vv(wa, wb, m);
    IDX unsigned *movable = ne_vs(wsum, 0.0f, m);
    IDX unsigned *keep = and_uu(touch, movable, m);
    const unsigned found = sum_u(keep, m);
    const unsigned room = PHYS_MAX_CONTACTS(w->n) - (unsigned)contacts->len;
    const unsigned k = found < room ? found : room;
    if (found > room) *overflow = 1;
    IDX unsigned *idx = nonzero(keep, m, k);
    IDX unsigned *ca = gather_u(a, idx, k);
    IDX unsigned *cb = gather_u(b, idx, k);
    VEC float *cdx = gather(dx, idx, k);
    VEC float *cdy = gather(dy, idx, k);
    VEC float *cd2 = gather(d2, idx, k);
    VEC float *crs = gather(rs, idx, k);
    VEC float *cw = gather(wsum, idx, k);
    VEC float *d = sqrt_v(cd2, k);
    VEC float *gap = sub_vv(crs, d, k);
    VEC float *overlap = sub_vs(gap, w->p.slop, k);
    IDX unsigned *apart = gt_vs(d, 0.0f, k);
    VEC float *ux = div_vv(cdx, d, k);
    VEC float *uy = div_vv(cdy, d, k);
    VEC float *nx = select_vs(apart, ux, 1.0f, k);
    VEC float *ny = select_vs(apart, uy, 0.0f, k);
    /* Baumgarte: separate at the speed that removes the fraction beta of the overlap in a step. */
    IDX unsigned *deep = gt_vs(overlap, 0.0f, k);
    VEC float *push = mul_vs(overlap, w->p.beta / w->p.dt, k);
    VEC float *bias = select_vs(deep, push, 0.0f, k);
    VEC float *mass = div_sv(1.0f, cw, k);
    phys_pack(contacts, ca, cb, nx, ny, bias, mass, k);
}

/* Five ranges per sorted body k (own cell, E, NW, N, NE: 5k … 5k + 4), cells outside the grid
   emptied; then the candidates in blocks of PHYS_MAX_PAIRS(n). Returns the number of blocks. */
enum { PHYS_RANGE_ARRAYS = 26 };
static unsigned phys_narrow_phase(const phys_world *w, const unsigned *cell, const unsigned *offset,
                                  const unsigned *order, phys_contacts *contacts, int *overflow) {
    const unsigned n = w->n, nr = 5 * n, block = PHYS_MAX_PAIRS(n);
    const unsigned gw = w->p.grid_w, gh = w->p.grid_h;
    IDX unsigned *range = iota(0, nr);
    IDX unsigned *k = div_us(range, 5, nr);
    IDX unsigned *side = mod_us(range, 5, nr);
    IDX unsigned *body = gather_u(order, k, nr);
    IDX unsigned *c = gather_u(cell, body, nr);
    IDX unsigned *cx = mod_us(c, gw, nr);
    IDX unsigned *cy = div_us(c, gw, nr);
    IDX unsigned *sx = gather_u(phys_sx, side, nr);
    IDX unsigned *sy = gather_u(phys_sy, side, nr);
    IDX unsigned *ox = add_uu(cx, sx, nr);
    IDX unsigned *oy = add_uu(cy, sy, nr);
    IDX unsigned *in_x = lt_us(ox, gw, nr);
    IDX unsigned *in_y = lt_us(oy, gh, nr);
    IDX unsigned *inside = and_uu(in_x, in_y, nr);
    IDX unsigned *oy_start = mul_us(oy, gw, nr);
    IDX unsigned *o_any = add_uu(oy_start, ox, nr);
    /* outside the grid: cell 0, its range emptied below */
    IDX unsigned *o = select_us(inside, o_any, 0, nr);
    IDX unsigned *o_next = add_us(o, 1, nr);
    IDX unsigned *begin = gather_u(offset, o, nr);
    IDX unsigned *end = gather_u(offset, o_next, nr);
    IDX unsigned *own = eq_us(side, 0, nr);
    IDX unsigned *after = add_us(k, 1, nr);
    IDX unsigned *first = select_uu(own, after, begin, nr);
    IDX unsigned *span = sub_uu(end, first, nr);
    IDX unsigned *len = select_us(inside, span, 0, nr);
    IDX unsigned *bounds = cumsum_u(len, nr);
    const phys_ranges g = {order, body, first, bounds, nr};
    const unsigned total = bounds[nr];
    for (unsigned q0 = 0; q0 < total; q0 += block) {
        phys_pairs(w, &g, q0, total - q0 < block ? total - q0 : block, contacts, overflow);
    }
    return (total + block - 1) / block;
}

enum { PHYS_WALL_ARRAYS = 22 };
static void phys_find_walls(const phys_world *w, phys_contacts *walls) {
    const unsigned n = w->n;
    const phys_params *p = &w->p;
    if (!p->walls) return;
    IDX unsigned *movable = ne_vs(w->inv_m, 0.0f, n);
    VEC float *x_lo = sub_vv(w->x, w->r, n);
    VEC float *x_hi = add_vv(w->x, w->r, n);
    VEC float *y_lo = sub_vv(w->y, w->r, n);
    VEC float *y_hi = add_vv(w->y, w->r, n);
    IDX unsigned *left = le_vs(x_lo, 0.0f, n);
    IDX unsigned *right = ge_vs(x_hi, p->width, n);
    IDX unsigned *bottom = le_vs(y_lo, 0.0f, n);
    IDX unsigned *top = ge_vs(y_hi, p->height, n);
    IDX unsigned *at_left = and_uu(movable, left, n);
    IDX unsigned *at_right = and_uu(movable, right, n);
    IDX unsigned *at_bottom = and_uu(movable, bottom, n);
    IDX unsigned *at_top = and_uu(movable, top, n);
    const unsigned *sides[4] = {at_left, at_right, at_bottom, at_top};
    IDX unsigned *touch = interleave_u(sides, 4, n);
    const unsigned nw = sum_u(touch, 4 * n);
    IDX unsigned *idx = nonzero(touch, 4 * n, nw);
    IDX unsigned *a = div_us(idx, 4, nw);
    IDX unsigned *side = mod_us(idx, 4, nw);
    VEC float *nx = gather(phys_wall_nx, side, nw);
    VEC float *ny = gather(phys_wall_ny, side, nw);
    VEC float *inv_m = gather(w->inv_m, a, nw);
    VEC float *mass = div_sv(1.0f, inv_m, nw);
    walls->data = phys_new(phys_contact, nw);
    phys_pack(walls, a, a, nx, ny, NULL, mass, nw);
}

//~ Positions

enum { PHYS_DRIFT_ARRAYS = 2 };
static void phys_drift(phys_world *w) {
    const unsigned n = w->n;
    const float dt = w->p.dt;
    VEC float *dx = mul_vs(w->vx, dt, n);
    VEC float *dy = mul_vs(w->vy, dt, n);
    add_vv_to(w->x, w->x, dx, n);
    add_vv_to(w->y, w->y, dy, n);
}

/* One axis into [r, size − r], the loop engine's two tests in its order, for bodies that move. */
static void phys_clamp_axis(const phys_world *w, float *pos, float size, const unsigned *movable) {
    const unsigned n = w->n;
    VEC float *hi = sub_sv(size, w->r, n);
    IDX unsigned *below = lt_vv(pos, w->r, n);
    VEC float *up = select_vv(below, w->r, pos, n);
    IDX unsigned *above = gt_vv(up, hi, n);
    VEC float *in = select_vv(above, hi, up, n);
    select_vv_to(pos, movable, in, pos, n);
}

enum { PHYS_CLAMP_ARRAYS = 1 + 2 * 5 };
static void phys_clamp(phys_world *w) {
    if (!w->p.walls) return;
    IDX unsigned *movable = ne_vs(w->inv_m, 0.0f, w->n);
    phys_clamp_axis(w, w->x, w->p.width, movable);
    phys_clamp_axis(w, w->y, w->p.height, movable);
}

//~ The step

/* The step's own arrays: the contact list, the forces, and the counting sort's four. */
enum { PHYS_STEP_ARRAYS = 1 + 2 + 4 };
static unsigned long phys_step(phys_world *w) {
    const unsigned n = w->n;
    const unsigned ncells = w->p.grid_w * w->p.grid_h;
    PHYS_FREED(contacts) phys_contacts contacts = {.data = phys_new(phys_contact, PHYS_MAX_CONTACTS(n))};
    PHYS_FREED(contacts) phys_contacts walls = {0};
    int overflow = 0;

    VEC float *fx = mul_vs(w->m, w->p.gx, n);
    VEC float *fy = mul_vs(w->m, w->p.gy, n);
    phys_forces(w, fx, fy);
    phys_kick(w, fx, fy);
    IDX unsigned *cell = phys_cells(w);
    IDX unsigned *count = bincount(cell, n, ncells);
    IDX unsigned *offset = cumsum_u(count, ncells);
    IDX unsigned *order = sort_by_key(cell, offset, n, ncells);
    const unsigned blocks = phys_narrow_phase(w, cell, offset, order, &contacts, &overflow);
    phys_find_walls(w, &walls);
    phys_solve(w, &contacts, &walls);
    phys_drift(w);
    phys_clamp(w);

    phys_tally(w, &contacts, &walls, overflow);
    /* The allocator calls above, for allocs_per_step (tests/test_physics_allocs.c counts them). */
    unsigned long calls = PHYS_STEP_ARRAYS + PHYS_KICK_ARRAYS + PHYS_CELL_ARRAYS + PHYS_RANGE_ARRAYS +
                          PHYS_DRIFT_ARRAYS + (unsigned long)blocks * PHYS_PAIR_ARRAYS;
    if (w->nsprings) calls += PHYS_SPRING_ARRAYS;
    if (w->p.G != 0.0f) calls += (unsigned long)n * PHYS_ROW_ARRAYS;
    if (w->p.walls) calls += PHYS_WALL_ARRAYS + PHYS_CLAMP_ARRAYS;
    return calls;
}

//~ Engine lifetime

static void *phys_create(const phys_world *w) { return phys_create_handle(w, "array"); }

const phys_impl phys_impl_malloc_array = PHYS_IMPL(array);
