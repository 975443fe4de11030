/* alloc_noinline.c — ss_alloc out of line, for the visibility axis (-DSS_NOINLINE_ALLOC):
   the one definition. */
#define SS_DEFINE_NOINLINE_ALLOC
#include "secondstack/secondstack.h"
