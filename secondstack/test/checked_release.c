/* checked_release.c — a release unit (built without SS_CHECKED) for test_checked: it begins the
   scopes and pushes the data the checked unit then uses, as a release library would. */
#include "secondstack.h"

#ifdef SS_CHECKED
#error "checked_release.c is the release half of test_checked"
#endif

ss_allocator release_scope_begin(ss_scope *sc, ss_allocator parent) { return ss_scope_begin(sc, parent); }

float *release_alloc(ss_allocator s, unsigned n) { return ss_alloc(s, n); }
